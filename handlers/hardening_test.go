package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/testlog"
)

// TestStaleActionGoesBackWithoutPanic (issue 8, point 14): a well-formed action id the dialog
// no longer has sends the browser back to the dialog with the "no longer there" notice, on GET
// and POST, and nothing panics (a panic is a 500 through recoverPanic).
func TestStaleActionGoesBackWithoutPanic(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	const gone = "0190fbd7-2222-7000-8000-0000000000ff"
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		o := req{loggedIn: true}
		if method == http.MethodPost {
			o.csrf, o.form = true, map[string][]string{}
		}
		rec := h.do(method, "/dialogs/"+fxDialog+"/actions/"+gone, o)
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != dialogURL(fxDialog, "stale") {
			t.Errorf("%s: status %d to %q, want 303 to %q", method, rec.Code, rec.Header().Get("Location"), dialogURL(fxDialog, "stale"))
		}
	}
	if got := h.dialogs.done(); len(got) != 0 {
		t.Errorf("a stale action carried out %v, want nothing", got)
	}
}

// TestCrossSiteLinkDoesNotSwitchParty (issue 8, point 6): a link from another site to
// /inbox?party=… asks first and leaves the session's choice alone; the confirmation (a POST
// from our own page) switches; a same-origin navigation switches at once.
func TestCrossSiteLinkDoesNotSwitchParty(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true}) // the user acts for themselves
	before := len(h.dp.searchCalls())
	rec := h.do("GET", "/inbox?party="+altaUUID, req{loggedIn: true, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	if rec.Code != http.StatusOK || byTestID(doc(t, rec), "confirm").Length() != 1 {
		t.Fatalf("cross-site link: status %d, want 200 with the confirmation", rec.Code)
	}
	if got := h.auth.session("s1").PartyUUID; got != selfUUID {
		t.Fatalf("a cross-site link changed the party to %q", got)
	}
	if n := len(h.dp.searchCalls()) - before; n != 0 {
		t.Errorf("the confirmation searched %d times; it shows nothing of the party yet", n)
	}
	rec = h.do("POST", "/inbox/party?party="+altaUUID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
	if rec.Code != http.StatusSeeOther || h.auth.session("s1").PartyUUID != altaUUID {
		t.Fatalf("confirmed switch: status %d, party %q", rec.Code, h.auth.session("s1").PartyUUID)
	}
	h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true, headers: map[string]string{"Sec-Fetch-Site": "same-origin"}})
	if got := h.auth.session("s1").PartyUUID; got != selfUUID {
		t.Errorf("same-origin navigation: party %q, want %q", got, selfUUID)
	}
}

// TestBulkRefusesNonUUIDsWithoutCalls (issue 8, point 7): ids that are not UUIDs fail without
// an upstream call (the service never sends them: inbox.TestBulkLabelBatches); every row says it
// was not done.
func TestBulkRefusesNonUUIDsWithoutCalls(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.bulk.fail = func(ids []string) (map[string]error, error) {
		failed := map[string]error{}
		for _, id := range ids {
			failed[id] = inbox.ErrNotFound
		}
		return failed, nil
	}
	form := map[string][]string{"action": {"archive"}}
	for i := range 400 {
		form["dialog"] = append(form["dialog"], strings.Repeat("x", i%40+1)+"-id")
	}
	rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: form})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got := doc(t, rec).Find(`[data-ok="true"]`).Length(); got != 0 {
		t.Errorf("%d rows reported done", got)
	}
}

// TestNoPartyToActFor (issue 8, point 17): an answer without any party the user can act for
// says so, instead of "logged in as ." and an empty inbox; a listed dialog whose id is not a
// UUID is shown without a link.
func TestNoPartyToActFor(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.parties = &dpclient.PartiesResult{}
	rec := h.do("GET", "/inbox", req{loggedIn: true, headers: map[string]string{"Accept-Language": "en"}})
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "There is no party you can act for") {
		t.Errorf("status %d; want 403 saying there is no party to act for", rec.Code)
	}

	h = newHarness(t)
	h.dp.search = func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		d := testDialog(1, p.Party[0], testNow)
		d.ID = "not-a-uuid"
		return &dpclient.SearchResult{Items: []dpclient.SearchDialog{d}}, nil
	}
	d := doc(t, h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true}))
	title := byTestID(d, "dialog-title")
	if title.Length() != 1 || title.Find("a").Length() != 0 {
		t.Errorf("a dialog with a malformed id: %d titles, %d links; want 1 title without a link", title.Length(), title.Find("a").Length())
	}
}

// freshSessions is the fake session store with a token issued just now.
type freshSessions struct{ *fakeAuth }

func (f freshSessions) Session(ctx context.Context) (Session, bool) {
	s, ok := f.fakeAuth.Session(ctx)
	s.TokenIssuedAt = time.Now()
	return s, ok
}

// TestFreshTokenRefusedIsConfiguration (issue 8, point 16): Dialogporten's 401 on a token issued
// moments ago is a configuration error page (logging in again would land on the same page), not
// "your login has expired" with a login link.
func TestFreshTokenRefusedIsConfiguration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) {
		return nil, &dpclient.Error{StatusCode: http.StatusUnauthorized, Authenticate: `Bearer error="invalid_token", error_description="The audience 'x' is invalid"`}
	}
	h.srv = New(Deps{Config: h.cfg, Login: h.auth.routes(), Sessions: freshSessions{h.auth},
		Parties: h.dp.partyService(), Search: h.dp.searchService(), Dialogs: stubDialogs{}})
	rec := h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true, headers: map[string]string{"Accept-Language": "en"}})
	body := rec.Body.String()
	if rec.Code != http.StatusBadGateway || !strings.Contains(body, "not set up correctly") || strings.Contains(body, "/login?return_to") {
		t.Errorf("status %d; want 502 with the configuration message and no login link", rec.Code)
	}
}

// TestCSRFTokenNotFromQuery (issue 8, point 10): the token counts only from the header or the
// POST body; one in the query string (logs, history, Referer) is refused.
func TestCSRFTokenNotFromQuery(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rec := h.do("POST", "/lang?csrf="+testCSRF, req{form: map[string][]string{"set": {"en"}},
		headers: map[string]string{"Cookie": "__Host-csrf=" + testCSRF, "Sec-Fetch-Site": "same-origin"}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("token in the query string: status %d, want 403", rec.Code)
	}
}

// TestWiringServiceOwnerURLsNotLogged (issue 8, point 5; a wiring test over the real dialog service
// and outbound client, whose errors name the host only): when a service owner's URL fails or is
// refused, the log names its host at most, never the path or query, which may carry a national
// identity number.
func TestWiringServiceOwnerURLsNotLogged(t *testing.T) {
	t.Parallel()
	const pid = "01017012345"
	h := newWiredDialogHarness(t)
	var buf testlog.Buffer
	h.srv = newLoggingServer(h.cfg, h.auth, h.dp, slog.New(slog.NewJSONHandler(&buf, nil)), h.dd)
	ref := h.dialogs.dialogs[fxDialog].Content.MainContentReference
	for _, u := range []string{
		h.so.srv.URL + "/down/" + pid + "?fnr=" + pid,                                   // the service owner fails
		strings.Replace(h.so.srv.URL, "https:", "http:", 1) + "/x/" + pid + "?q=" + pid, // refused: plain http
		h.so.srv.URL + "/redirect?to=" + h.so.other.URL + "/" + pid + "&fnr=" + pid,     // refused redirect
	} {
		ref.Value = dpclient.Localizations{{Value: u, LanguageCode: "nb"}}
		h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
		act := &h.dialogs.dialogs[fxDialog].GuiActions[0]
		act.URL, act.HTTPMethod = u, dpclient.HTTPMethodPost
		h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
	}
	logs := buf.String()
	if !strings.Contains(logs, "service-owner content failed") {
		t.Fatalf("nothing was logged; the test does not reach the failures:\n%s", logs)
	}
	if strings.Contains(logs, pid) {
		t.Errorf("a log line holds the identity number from a service owner's URL:\n%s", logs)
	}
}

// TestServiceOwnerTextOnlyAsTheSpecAllows (issue 8, points 12 and 13): a summary labelled
// text/html or text/markdown is shown as plain text (the spec allows text/plain there);
// additional info may be markdown but not HTML; bidirectional overrides are gone from titles.
func TestServiceOwnerTextOnlyAsTheSpecAllows(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	d := h.dialogs.dialogs[fxDialog]
	d.Content.Title = dpclient.ContentValue{Value: loc("Faktura \u202Efdp.exe", ""), MediaType: dpclient.MediaTypePlain}
	d.Content.Summary = &dpclient.ContentValue{Value: loc("<b>fet</b> **sterk**", ""), MediaType: dpclient.MediaTypeHTML}
	d.Content.AdditionalInfo = &dpclient.ContentValue{Value: loc("<i>kursiv</i> **sterk**", ""), MediaType: dpclient.MediaTypeHTML}
	page := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	if got := byTestID(page, "dialog-header").Find(`[data-testid="dialog-title"]`).Text(); strings.ContainsRune(got, '\u202E') || !strings.Contains(got, "Faktura") {
		t.Errorf("title %q: want it without the bidirectional override", got)
	}
	summary := byTestID(page, "dialog-summary")
	if summary.Find("b, strong").Length() != 0 || !strings.Contains(summary.Text(), "<b>fet</b>") {
		t.Errorf("summary labelled HTML was rendered as markup: %q", summary.Text())
	}
	info := byTestID(page, "dialog-additional-info")
	if info.Find("i").Length() != 0 || !strings.Contains(info.Text(), "<i>kursiv</i>") {
		t.Errorf("additional info labelled HTML was rendered as markup: %q", info.Text())
	}
	d.Content.AdditionalInfo.MediaType = dpclient.MediaTypeMarkdown
	page = doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	if byTestID(page, "dialog-additional-info").Find("strong").Length() != 1 {
		t.Errorf("additional info in markdown is not rendered as markdown")
	}
}

// TestWiringCorrespondenceNotFoundIsNotCachedForAll (issue 8, point 10; a wiring test over the real
// dialog service): Dialogporten's "no dialog of
// yours has this correspondence" depends on who asks, so it is not remembered; a found answer,
// a fact about the correspondence, is.
func TestWiringCorrespondenceNotFoundIsNotCachedForAll(t *testing.T) {
	t.Parallel()
	h := newWiredDialogHarness(t)
	const base = "/platform/correspondence/api/v1/correspondence/"
	act := &h.dialogs.dialogs[fxDialog].GuiActions[0]
	act.HTTPMethod, act.URL = dpclient.HTTPMethodPost, h.so.srv.URL+base+fxCorrElse+"/confirm"
	post := func() int {
		return h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}}).Code
	}
	if code := post(); code != http.StatusForbidden {
		t.Fatalf("a correspondence no dialog has: status %d, want 403", code)
	}
	h.dialogs.mu.Lock()
	h.dialogs.corrs = map[string]string{fxCorrElse: fxDialog} // now Dialogporten knows it as this dialog's
	h.dialogs.mu.Unlock()
	if code := post(); code != http.StatusSeeOther {
		t.Errorf("after Dialogporten found it: status %d, want 303 (the earlier 'not found' must not be cached)", code)
	}
	before := h.dialogs.lookupCount()
	post()
	if n := h.dialogs.lookupCount() - before; n != 0 {
		t.Errorf("%d lookups for a correspondence already found, want 0 (cached)", n)
	}
}

// TestRefusedURLsDrawnDisabled (issue 8, point 15): an action whose URL the outbound fence
// refuses (plain http outside the dev stack) is drawn disabled with the reason, and a click
// anyway is refused by the portal (403, "Innboks does not carry this out"), not blamed on the
// service owner with a 502 and a retry.
func TestRefusedURLsDrawnDisabled(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	act := &h.dialogs.dialogs[fxDialog].GuiActions[0]
	act.HTTPMethod = dpclient.HTTPMethodPost
	act.URL = "http://so.example.no/actions/submit"
	page := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	if page.Find(`[data-testid="action-disabled"][aria-describedby="why-`+act.ID+`"]`).Length() != 1 {
		t.Errorf("the action with a plain-http URL is not drawn disabled")
	}
	if got := page.Find("#why-" + act.ID).Text(); !strings.Contains(got, "åpner ikke denne adressen") {
		t.Errorf("reason %q, want that Innboks does not open the address", got)
	}
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
	if rec.Code != http.StatusForbidden || byTestID(doc(t, rec), "error-retry").Length() != 0 {
		t.Errorf("clicking it anyway: status %d, want 403 without a retry", rec.Code)
	}
	if got := h.dialogs.done(); len(got) != 0 {
		t.Errorf("the refused action was carried out: %v", got)
	}
}
