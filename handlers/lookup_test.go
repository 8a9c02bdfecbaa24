package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
	"github.com/innboks/innboks/internal/inbox"
)

// finderFake is the service layer's Lookup, answering from a table; nothing else of the
// DialogService may be called by these routes.
type finderFake struct {
	DialogService // nil: a call to anything but Lookup panics
	answers       map[string]*inbox.Found
	fail          error // answered to every reference when set
	refs          []string
}

func (f *finderFake) Lookup(_ context.Context, _ *inbox.User, _ *inbox.PartyIndex, ref string) (*inbox.Found, error) {
	f.refs = append(f.refs, ref)
	if f.fail != nil {
		return nil, f.fail
	}
	if !strings.HasPrefix(ref, "urn:altinn:") {
		return nil, inbox.ErrBadReference
	}
	if found, ok := f.answers[ref]; ok {
		return found, nil
	}
	return nil, inbox.ErrNotFound
}

// partiesFake is the user's parties without a call.
type partiesFake struct{ ix *inbox.PartyIndex }

func (p partiesFake) Get(context.Context, *inbox.User) (*inbox.PartyIndex, error) { return p.ix, nil }
func (p partiesFake) Cached(string) (*inbox.PartyIndex, bool)                     { return p.ix, true }

const (
	lkDialog  = "0194b5a6-0000-7000-8000-00000000d001"
	lkAltaURN = "urn:altinn:organization:identifier-no:310000002"
	lkAlta    = "00000000-0000-0000-0000-0000000000b1"
	lkSelf    = "00000000-0000-0000-0000-0000000000f1"
	lkRef     = "urn:altinn:correspondence-id:0194b5a6-0000-7000-8000-00000000c001"
)

func newLookupServer(t *testing.T) (*Server, *fakeAuth, *finderFake) {
	t.Helper()
	ix := inbox.NewPartyIndex(dpclienttest.Parties())
	alta, ok := ix.ByURN(lkAltaURN)
	if !ok {
		t.Fatal("test parties lack Alta")
	}
	f := &finderFake{answers: map[string]*inbox.Found{
		lkRef: {DialogID: lkDialog, Party: alta},
		"urn:altinn:dialog-id:" + lkDialog: {DialogID: lkDialog, Party: alta, Evidence: dpclient.AuthorizationEvidence{
			CurrentAuthenticationLevel: 3,
			Evidence: []dpclient.AuthorizationEvidenceItem{
				{GrantType: "Role", Subject: "urn:altinn:rolecode:dagl", Name: dpclient.Localizations{{Value: "Daglig leder", LanguageCode: "nb"}}},
				{GrantType: "AccessPackage", Subject: "urn:altinn:accesspackage:post-og-arkiv"},
				{GrantType: "InstanceDelegation", Subject: "urn:altinn:instance"},
			}}},
	}}
	a := newFakeAuth()
	srv := New(Deps{Config: Config{PublicURL: "http://portal.test"}, Login: a.routes(), Sessions: a,
		Parties: partiesFake{ix}, Dialogs: f})
	return srv, a, f
}

func lookupGet(srv *Server, target string, headers map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.Echo.ServeHTTP(rec, r)
	return rec
}

// TestDeepLink: a deep link opens the dialog it names and acts for its party when the session
// has no party yet or the link was followed inside Innboks; a link from another site does not
// switch a chosen party; bad and unknown references get their own clear pages.
func TestDeepLink(t *testing.T) {
	t.Parallel()
	target := "/dialogs/lookup?" + url.Values{"instanceRef": {lkRef}}.Encode()
	for _, tt := range []struct {
		name      string
		chosen    string // the session's party before
		site      string // Sec-Fetch-Site
		wantParty string
	}{
		{"first landing after login", "", "cross-site", lkAlta},
		{"inside Innboks", lkSelf, "same-origin", lkAlta},
		{"typed or bookmarked", lkSelf, "none", lkAlta},
		{"from another site, a party chosen", lkSelf, "cross-site", lkSelf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, a, _ := newLookupServer(t)
			a.sessions["s1"].PartyUUID = tt.chosen
			rec := lookupGet(srv, target, map[string]string{"Sec-Fetch-Site": tt.site})
			if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dialogs/"+lkDialog {
				t.Fatalf("got %d to %q, want 303 to the dialog", rec.Code, rec.Header().Get("Location"))
			}
			if got := a.sessions["s1"].PartyUUID; got != tt.wantParty {
				t.Errorf("acting for %q after the link, want %q", got, tt.wantParty)
			}
		})
	}

	srv, _, _ := newLookupServer(t)
	for _, tt := range []struct {
		ref    string
		status int
		text   string
	}{
		{"https://evil.example/", http.StatusBadRequest, "Lenken peker ikke på en melding eller sak"},
		{"", http.StatusBadRequest, "Lenken peker ikke på en melding eller sak"},
		{"urn:altinn:dialog-id:0194b5a6-0000-7000-8000-0000000000ff", http.StatusNotFound, "som du ikke har tilgang til"},
	} {
		rec := lookupGet(srv, "/dialogs/lookup?"+url.Values{"instanceRef": {tt.ref}}.Encode(), nil)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.text) {
			t.Errorf("%q: got %d, want %d with %q", tt.ref, rec.Code, tt.status, tt.text)
		}
	}
}

// TestDeepLinkLoggedOut: without a session the deep link goes to the login, which returns to
// the same link.
func TestDeepLinkLoggedOut(t *testing.T) {
	t.Parallel()
	srv, _, f := newLookupServer(t)
	r := httptest.NewRequest(http.MethodGet, "/dialogs/lookup?instanceRef="+url.QueryEscape(lkRef), nil)
	rec := httptest.NewRecorder()
	srv.Echo.ServeHTTP(rec, r)
	loc := rec.Header().Get("Location")
	if rec.Code/100 != 3 || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("got %d to %q, want a redirect to the login", rec.Code, loc)
	}
	if u, _ := url.Parse(loc); u.Query().Get("return_to") != "/dialogs/lookup?instanceRef="+url.QueryEscape(lkRef) {
		t.Errorf("login return_to = %q, want the deep link", u.Query().Get("return_to"))
	}
	if len(f.refs) != 0 {
		t.Errorf("looked up %v before the login", f.refs)
	}
}

// TestAccessEvidence: the dialog's access evidence, each grant by kind and name, as the
// disclosure's fragment (htmx) and as a page; a foreign dialog is the common 404; an upstream
// failure leaves the fragment saying so.
func TestAccessEvidence(t *testing.T) {
	t.Parallel()
	srv, _, f := newLookupServer(t)
	for _, htmx := range []bool{true, false} {
		h := map[string]string{}
		if htmx {
			h["HX-Request"] = "true"
		}
		rec := lookupGet(srv, "/dialogs/"+lkDialog+"/access", h)
		if rec.Code != http.StatusOK {
			t.Fatalf("htmx=%v: got %d", htmx, rec.Code)
		}
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find(`[data-testid="access-page"]`).Length() > 0; got == htmx {
			t.Errorf("htmx=%v: a whole page = %v", htmx, got)
		}
		var kinds []string
		doc.Find(`[data-testid="access-grant"]`).Each(func(_ int, s *goquery.Selection) {
			k, _ := s.Attr("data-grant")
			kinds = append(kinds, k+"="+strings.TrimSpace(s.Text()))
		})
		want := []string{"Role=Rolle: Daglig leder", "AccessPackage=Tilgangspakke: urn:altinn:accesspackage:post-og-arkiv",
			"InstanceDelegation=Delegert tilgang til denne saken: urn:altinn:instance"}
		if strings.Join(kinds, "|") != strings.Join(want, "|") {
			t.Errorf("htmx=%v: grants %q, want %q", htmx, kinds, want)
		}
		if !strings.Contains(doc.Find(`[data-testid="access-level"]`).Text(), "nivå 3") {
			t.Errorf("htmx=%v: no security level shown", htmx)
		}
	}
	if rec := lookupGet(srv, "/dialogs/0194b5a6-0000-7000-8000-0000000000ff/access", nil); rec.Code != http.StatusNotFound {
		t.Errorf("a dialog that is not the user's: got %d, want 404", rec.Code)
	}
	if rec := lookupGet(srv, "/dialogs/not-an-id/access", nil); rec.Code != http.StatusNotFound || len(f.refs) != 3 {
		t.Errorf("a malformed id: got %d after %d lookups, want 404 without a lookup", rec.Code, len(f.refs))
	}
	f.fail = &dpclient.Error{StatusCode: http.StatusServiceUnavailable}
	rec := lookupGet(srv, "/dialogs/"+lkDialog+"/access", map[string]string{"HX-Request": "true"})
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `data-testid="access-unavailable"`) {
		t.Errorf("upstream down, fragment: got %d %q, want 200 saying it is unavailable", rec.Code, rec.Body.String())
	}
	if !errors.Is(f.fail, dpclient.ErrUnavailable) {
		t.Fatalf("test setup: %v is not ErrUnavailable", f.fail)
	}
	if rec := lookupGet(srv, "/dialogs/"+lkDialog+"/access", nil); rec.Code != http.StatusServiceUnavailable {
		t.Errorf("upstream down, page: got %d, want 503 (the error page with a way forward)", rec.Code)
	}
}
