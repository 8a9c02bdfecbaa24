package handlers

import (
	"cmp"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
)

// platformDouble is an Altinn platform on a loopback TLS server: every path refuses the dialog
// token (403) and answers the exchanged Altinn token, recording who called where with what.
type platformDouble struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []soCall
}

func newPlatformDouble(t *testing.T) *platformDouble {
	t.Helper()
	p := &platformDouble{}
	record := func(r *http.Request) {
		p.mu.Lock()
		p.calls = append(p.calls, soCall{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization")})
		p.mu.Unlock()
	}
	corr := correspondenceDouble(func(*http.Request) {})
	p.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		if strings.HasPrefix(r.URL.Path, "/platform/correspondence/api/v1/correspondence/") {
			corr(w, r)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+fxAltinnToken {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok"))
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// altinnTokenPaths returns the paths that received the exchanged Altinn token.
func (p *platformDouble) altinnTokenPaths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, c := range p.calls {
		if c.Auth == "Bearer "+fxAltinnToken {
			out = append(out, c.Method+" "+c.Path)
		}
	}
	return out
}

// TestWiringAltinnTokenOnlyForCorrespondence (a wiring test over the real dialog service; the rule
// itself: inbox.TestExchangedTokenOnlyForCorrespondence): the token exchanged from the user's ID-porten token is
// an Altinn platform token for the user (Access Management, Storage, Events, …). A service
// owner's URL on the platform host outside Correspondence, also one that walks out of
// correspondence/ with dot segments, must never get it: a dialog could otherwise make the user's
// browser run any platform API as the user (a confused deputy across service owners).
func TestWiringAltinnTokenOnlyForCorrespondence(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		path   string // under the platform base
		want   bool   // the Altinn token is used
		method string // GUI action method; "" for the main content
	}{
		{"correspondence content", "/correspondence/api/v1/correspondence/" + fxCorr + "/content", true, ""},
		{"access management content", "/accessmanagement/api/v1/delegations", false, ""},
		{"storage write action", "/storage/api/v1/instances/1/x", false, http.MethodDelete},
		{"access management write action", "/accessmanagement/api/v1/rights/delegation", false, http.MethodPost},
		{"dot segments", "/correspondence/../accessmanagement/api/v1/delegations", false, ""},
		{"encoded dot segments", "/correspondence/%2e%2e/accessmanagement/api/v1/delegations", false, ""},
		{"correspondence confirm action", "/correspondence/api/v1/correspondence/" + fxCorr + "/confirm", true, http.MethodPost},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			p := newPlatformDouble(t)
			u := p.srv.URL + "/platform" + tt.path
			d := fixtureDialog(p.srv.URL, p.srv.URL)
			yes := true
			d.Content.MainContentReference = &dpclient.ContentValue{Value: loc(u, ""), MediaType: dpclient.MediaTypeEmbedMarkdown, IsAuthorized: &yes}
			d.GuiActions = []dpclient.GuiAction{{ID: fxActPrimary, Action: "submit", URL: u, IsAuthorized: true,
				Priority: dpclient.GuiActionPriorityPrimary, HTTPMethod: dpclient.HTTPMethod(tt.method), Title: loc("Send", "")}}
			fd := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{fxDialog: d}}
			out := outbound.New(outbound.Config{AllowPrivateNetworks: true,
				RootCAs: p.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs})
			h.mount(DialogDeps{Auth: h.auth, DP: fd, Out: out, Exchanger: &fakeExchanger{}, PlatformURL: p.srv.URL + "/platform"})
			if tt.method == "" {
				h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
			} else {
				h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+fxActPrimary, req{loggedIn: true, csrf: true, form: map[string][]string{}})
			}
			got := p.altinnTokenPaths()
			if tt.want && !slices.Contains(got, cmp.Or(tt.method, http.MethodGet)+" /platform"+tt.path) {
				t.Errorf("Altinn token sent to %v, want a call to %s", got, tt.path)
			}
			if !tt.want && len(got) != 0 {
				t.Errorf("Altinn token sent to %v, want never", got)
			}
		})
	}
}

// TestUpstreamIDsDoNotBuildOtherRoutes: action, attachment and transmission ids come from the
// service owner and end up in Innboks' own URLs (form actions, links). An id that is not a UUID,
// such as "../../../inbox/bulk?action=bin&dialog=…", would make a button of one service owner's
// dialog post, with the user's CSRF token, to another route (bin someone else's dialogs, log
// out). Such actions and attachments are not offered.
func TestUpstreamIDsDoNotBuildOtherRoutes(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	const evil = "../../../inbox/bulk?action=bin&dialog=" + fxOtherDialog
	d := h.dialogs.dialogs[fxDialog]
	d.GuiActions = append(d.GuiActions,
		dpclient.GuiAction{ID: evil, Action: "submit", URL: fxSO + "/actions/submit", IsAuthorized: true,
			Priority: dpclient.GuiActionPriorityPrimary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Lur", "")},
		dpclient.GuiAction{ID: "../../../logout", Action: "sign", URL: fxSO + "/actions/sign", IsAuthorized: true,
			Priority: dpclient.GuiActionPriorityPrimary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Lur 2", ""), Prompt: loc("Sikker?", "")})
	d.APIActions = append(d.APIActions, dpclient.APIAction{ID: evil, Action: "write", Name: "confirmCorrespondence", IsAuthorized: true,
		Endpoints: []dpclient.APIActionEndpoint{{ID: "e9", URL: fxSO + "/correspondence/c1/confirm", HTTPMethod: dpclient.HTTPMethodPost}}})
	d.Attachments = append(d.Attachments, dpclient.Attachment{ID: "../../../logout", DisplayName: loc("Lur 3", ""),
		URLs: []dpclient.AttachmentURL{gui("../x", fxSO+"/att/pdf", "application/pdf")}})
	d.Transmissions[0].ID = "../../../inbox?x="
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	page := doc(t, rec)
	check := func(what, u string) {
		t.Helper()
		if !strings.HasPrefix(u, "#") && strings.Contains(u, "..") {
			t.Errorf("%s %q has dot segments: it leaves the dialog's own routes", what, u)
		}
	}
	page.Find("form[action]").Each(func(_ int, s *goquery.Selection) { check("form action", s.AttrOr("action", "")) })
	page.Find("[href]").Each(func(_ int, s *goquery.Selection) { check("link", s.AttrOr("href", "")) })
	page.Find("[hx-get]").Each(func(_ int, s *goquery.Selection) { check("hx-get", s.AttrOr("hx-get", "")) })
	page.Find("[hx-post]").Each(func(_ int, s *goquery.Selection) { check("hx-post", s.AttrOr("hx-post", "")) })
}

// TestPartySearchTextIsBounded: the chooser matches every word of q against every party (15,000
// for an accountant), so q is cut like the inbox's search text: a 60 KB query of one-letter
// words must not cost 30,000 passes over the party list.
func TestPartySearchTextIsBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	long := "bergen " + strings.Repeat("a ", 30000)
	rec := h.do(http.MethodGet, "/parties?q="+url.QueryEscape(long), req{loggedIn: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if got := len(byTestID(d, "party-search").AttrOr("value", "")); got > 200 {
		t.Errorf("search text of %d bytes kept, want at most 200", got)
	}
	if !strings.Contains(byTestID(d, "party-results").Text(), "BERGEN BAKERI") {
		t.Errorf("the cut search text no longer finds the party: %s", byTestID(d, "party-results").Text())
	}
}

// TestBulkUpstreamCallsAreBounded: when the service's splitting of refused batches runs out of
// its call budget (inbox.TestBulkLabelCallBudget), what is left fails as a whole and every row
// still gets its result.
func TestBulkUpstreamCallsAreBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.bulk.fail = func(ids []string) (map[string]error, error) {
		failed := map[string]error{}
		for i, id := range ids {
			failed[id] = &dpclient.Error{StatusCode: 404}
			if i >= len(ids)/2 {
				failed[id] = inbox.ErrBulkBudget
			}
		}
		return failed, nil
	}
	rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: bulkForm("archive", inbox.MaxBulk)})
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if got := byTestID(d, "bulk-result-row").Length(); got != inbox.MaxBulk {
		t.Errorf("%d result rows, want %d", got, inbox.MaxBulk)
	}
	if got := d.Find(`[data-ok="true"]`).Length(); got != 0 {
		t.Errorf("%d rows reported done, want 0", got)
	}
}

// TestBulkOverTheLimitExplained: one dialog more than a bulk action takes changes nothing and
// says what the limit is and how many were chosen, as a page and as a fragment.
func TestBulkOverTheLimitExplained(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		h := newHarness(t)
		rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, htmx: htmx, form: bulkForm("archive", inbox.MaxBulk+1),
			headers: map[string]string{"Accept-Language": "en"}})
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("htmx %v: status %d, want 422", htmx, rec.Code)
		}
		want := fmt.Sprintf("at most %d messages at a time, and you chose %d", inbox.MaxBulk, inbox.MaxBulk+1)
		if got := byTestID(doc(t, rec), "bulk-summary").Text(); !strings.Contains(got, want) {
			t.Errorf("htmx %v: summary %q, want it to say %q", htmx, got, want)
		}
		if n := h.dp.bulk.count(); n != 0 {
			t.Errorf("htmx %v: %d upstream bulk calls, want none", htmx, n)
		}
	}
}
