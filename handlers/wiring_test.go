package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

// The wiring tests: a few routes over the real service layer (internal/inbox) on fakes of
// Dialogporten, one happy path per route group, so the handlers and the service they are built
// with are seen to fit. Every other handler test runs over fakes of the service interfaces
// (services_test.go); the service's own behaviour is asserted in internal/inbox's tests.

// newWiredHarness is newInboxHarness with the real party and search services over the
// harness's Dialogporten fake (dp).
func newWiredHarness(t *testing.T, res func(*dpclient.SearchParams) (*dpclient.SearchResult, error)) *harness {
	t.Helper()
	h := newInboxHarness(t, res)
	h.wire()
	return h
}

// wire rebuilds the harness's server over the real service layer.
func (h *harness) wire() {
	h.srv = New(Deps{
		Config: h.cfg, Login: h.auth.routes(), Sessions: h.auth,
		Parties: inbox.NewParties(h.dp, 0),
		Search:  inbox.NewSearch(h.dp, inbox.NewLimiter(4)),
		Dialogs: realDialogs(DialogDeps{DP: noDialogs{}}, h.dp, nil),
	})
	h.inbox().now = func() time.Time { return testNow }
}

// TestWiringInboxUpstreamCalls: after the first view, a page view costs one upstream call.
func TestWiringInboxUpstreamCalls(t *testing.T) {
	t.Parallel()
	h := newWiredHarness(t, nil)
	for range 3 {
		h.get("/inbox?party="+selfUUID, req{})
	}
	if h.dp.partyCalls != 1 {
		t.Errorf("GetParties called %d times for 3 views, want 1", h.dp.partyCalls)
	}
	if n := len(h.dp.searchCalls()); n != 3 {
		t.Errorf("%d searches for 3 views, want 3", n)
	}
}

// TestWiringInboxAllOrganisationsBatches: "all organisations" of 250 searches in batches of at
// most 100, shows the batch note and continues every batch from its own place.
func TestWiringInboxAllOrganisationsBatches(t *testing.T) {
	t.Parallel()
	h := newWiredHarness(t, func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		res := &dpclient.SearchResult{HasNextPage: true, ContinuationToken: "tok-" + p.Party[0]}
		for i := range 2 {
			d := testDialog(i, p.Party[0], testNow.Add(-time.Duration(len(p.Party))*time.Minute))
			d.ID = fmt.Sprintf("%s-%d", p.Party[0][len(p.Party[0])-9:], i)
			res.Items = append(res.Items, d)
		}
		return res, nil
	})
	h.dp.parties = manyParties(250)
	rec := h.do("GET", "/inbox?party=all-orgs", req{loggedIn: true})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	calls := h.dp.searchCalls()
	orgs := NewPartyIndex(manyParties(250)).Group(AllOrgs)
	if len(calls) != (len(orgs)+99)/100 {
		t.Fatalf("%d searches for %d organisations, want %d", len(calls), len(orgs), (len(orgs)+99)/100)
	}
	seen := 0
	for _, c := range calls {
		if len(c.Party) > maxPartiesPerSearch {
			t.Errorf("a search carried %d parties, max 100", len(c.Party))
		}
		seen += len(c.Party)
	}
	if seen != len(orgs) {
		t.Errorf("searched %d parties, want %d", seen, len(orgs))
	}
	d := doc(t, rec)
	if got := byTestID(d, "batch-note").Text(); !strings.Contains(got, fmt.Sprintf("%d aktører i %d omganger", len(orgs), len(calls))) {
		t.Errorf("batch note %q", got)
	}
	if got := byTestID(d, "dialog-party").First().Text(); !strings.Contains(got, " AS") {
		t.Errorf("row party %q, want the organisation's name", got)
	}
	// "Show more" continues every batch from its own place: its upstream token when all it
	// fetched was shown, else the keyset token of the last row shown from it. Every batch says it
	// has more, so nothing past the earliest last fetched row (the cut-off) is shown yet.
	more := byTestID(d, "show-more").AttrOr("href", "")
	u, _ := url.Parse(more)
	if !strings.HasPrefix(u.Query().Get("ct"), "b.") && !strings.HasPrefix(u.Query().Get("ct"), "c.") {
		t.Fatalf("batch cursor from %q", more)
	}
	shown := map[string]bool{}
	byTestID(d, "dialog-row").Each(func(_ int, s *goquery.Selection) {
		shown[s.Find(`[data-testid="dialog-select"]`).AttrOr("value", "")] = true
	})
	h.do("GET", more, req{loggedIn: true, htmx: true, target: "list-more"})
	next := h.dp.searchCalls()[len(calls):]
	if len(next) != len(calls) {
		t.Fatalf("show more made %d searches, want one per batch (%d)", len(next), len(calls))
	}
	for _, c := range next {
		prefix := c.Party[0][len(c.Party[0])-9:]
		first, second := prefix+"-0", prefix+"-1"
		var want string
		switch {
		case shown[first] && shown[second]:
			want = "tok-" + c.Party[0]
		case shown[first]:
			want = "updatedat_" + testNow.Add(-time.Duration(len(c.Party))*time.Minute).UTC().Format("2006-01-02T15:04:05.0000000Z") + ",id_" + first
		default:
			t.Errorf("batch of %q: its newest row %s was not shown", c.Party[0], first)
			continue
		}
		if c.ContinuationToken != want {
			t.Errorf("batch of %q continued with token %q, want %q", c.Party[0], c.ContinuationToken, want)
		}
	}
}

// TestWiringAltinnTokenOnlyForThePlatform: the dialog routes over the real dialog service: a
// Correspondence embed is read with the exchanged token after the dialog token is refused; a
// service owner elsewhere never gets it (inbox.TestExchangedTokenOnlyForCorrespondence).
func TestWiringAltinnTokenOnlyForThePlatform(t *testing.T) {
	t.Parallel()
	h := newWiredDialogHarness(t)
	ref := h.dialogs.dialogs[fxDialog].Content.MainContentReference
	corr := "/platform/correspondence/api/v1/correspondence/" + fxCorr
	ref.Value = dpclient.Localizations{{Value: h.so.srv.URL + corr + "/content", LanguageCode: "nb"}}
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
	d := doc(t, rec)
	if got := byTestID(d, "dialog-content").Find("h3").Text(); got != "Melding" {
		t.Fatalf("content = %q (%s), want it read with the exchanged token", got, rec.Body)
	}
	calls := h.so.callsTo(corr + "/content")
	if len(calls) != 2 || calls[0].Auth != "Bearer "+fxDialogToken || calls[1].Auth != "Bearer "+fxAltinnToken {
		t.Errorf("platform calls = %+v, want the dialog token, then the Altinn token", calls)
	}
	if n := h.exch.count(); n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
	// A service owner elsewhere that refuses the dialog token never gets the Altinn token.
	ref.Value = dpclient.Localizations{{Value: h.so.srv.URL + "/refuse", LanguageCode: "nb"}}
	h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
	for _, c := range h.so.callsTo("/refuse") {
		if c.Auth != "Bearer "+fxDialogToken {
			t.Errorf("a non-platform host got %q", c.Auth)
		}
	}
	if n := h.exch.count(); n != 1 {
		t.Errorf("%d exchanges after a non-platform refusal, want still 1", n)
	}
}
