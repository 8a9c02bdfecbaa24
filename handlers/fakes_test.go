package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
	"github.com/innboks/innboks/internal/inbox"
)

// fakeAuth stands in for auth.RP: a request carrying the cookie "test-session=<id>" is logged in
// as the session with that id.
type fakeAuth struct {
	mu       sync.Mutex
	sessions map[string]*Session
}

type fakeSessionKey struct{}

func newFakeAuth() *fakeAuth {
	return &fakeAuth{sessions: map[string]*Session{"s1": {ID: "s1"}}}
}

func (a *fakeAuth) load(r *http.Request) (*http.Request, bool) {
	ck, err := r.Cookie("test-session")
	if err != nil {
		return r, false
	}
	a.mu.Lock()
	s, ok := a.sessions[ck.Value]
	a.mu.Unlock()
	if !ok {
		return r, false
	}
	return r.WithContext(context.WithValue(r.Context(), fakeSessionKey{}, s.ID)), true
}

func (a *fakeAuth) Login(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "https://idp.test/authorize", http.StatusFound)
}
func (a *fakeAuth) StepUp(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "https://idp.test/authorize?acr=high", http.StatusFound)
}
func (a *fakeAuth) Callback(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
func (a *fakeAuth) Logout(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "https://idp.test/endsession", http.StatusSeeOther)
}
func (a *fakeAuth) FrontChannelLogout(w http.ResponseWriter, r *http.Request) {
	w.WriteHeader(http.StatusOK)
}

func (a *fakeAuth) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, ok := a.load(r)
		if !ok {
			if r.Header.Get("HX-Request") == "true" {
				w.Header().Set("HX-Redirect", "/login")
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.Redirect(w, r, "/login?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *fakeAuth) Optional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, _ = a.load(r)
		next.ServeHTTP(w, r)
	})
}

func (a *fakeAuth) Session(ctx context.Context) (Session, bool) {
	id, ok := ctx.Value(fakeSessionKey{}).(string)
	if !ok {
		return Session{}, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a.sessions[id], true
}

func (a *fakeAuth) SetLang(ctx context.Context, lang string) error {
	return a.update(ctx, func(s *Session) { s.Lang = lang })
}

func (a *fakeAuth) SetParty(ctx context.Context, p string) error {
	return a.update(ctx, func(s *Session) { s.PartyUUID = p })
}

func (a *fakeAuth) update(ctx context.Context, f func(*Session)) error {
	id, ok := ctx.Value(fakeSessionKey{}).(string)
	if !ok {
		return fmt.Errorf("no session")
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	f(a.sessions[id])
	return nil
}

func (a *fakeAuth) Token(context.Context) dpclient.TokenSource {
	return dpclient.StaticToken("test-token")
}

func (a *fakeAuth) session(id string) Session {
	a.mu.Lock()
	defer a.mu.Unlock()
	return *a.sessions[id]
}

// fakeDP stands in for dpclient.Client and records every call.
type fakeDP struct {
	mu         sync.Mutex
	parties    *dpclient.PartiesResult
	partiesErr error
	partyCalls int
	search     func(p *dpclient.SearchParams) (*dpclient.SearchResult, error)
	searches   []dpclient.SearchParams
	resources  *dpclient.ServiceResourcesResult
	bulkErr    func(req dpclient.BulkSetSystemLabelsRequest) error
	bulks      []dpclient.BulkSetSystemLabelsRequest
	langs      []string
	// What the fakes of the service interfaces answer (services_test.go).
	facets    *inbox.Facets
	facetsErr error
	bulk      fakeBulk
}

func (f *fakeDP) GetParties(ctx context.Context, opts ...dpclient.CallOption) (*dpclient.PartiesResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.partyCalls++
	return f.parties, f.partiesErr
}

func (f *fakeDP) SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	f.mu.Lock()
	f.searches = append(f.searches, *p)
	search := f.search
	f.mu.Unlock()
	if search == nil {
		return &dpclient.SearchResult{}, nil
	}
	return search(p)
}

func (f *fakeDP) ServiceResources(ctx context.Context, parties []string, opts ...dpclient.CallOption) (*dpclient.ServiceResourcesResult, error) {
	if f.resources == nil {
		return &dpclient.ServiceResourcesResult{}, nil
	}
	return f.resources, nil
}

func (f *fakeDP) BulkSetSystemLabels(ctx context.Context, req dpclient.BulkSetSystemLabelsRequest, opts ...dpclient.CallOption) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.bulks = append(f.bulks, req)
	if f.bulkErr != nil {
		return f.bulkErr(req)
	}
	return nil
}

func (f *fakeDP) searchCalls() []dpclient.SearchParams {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.searches)
}

// testParties: the user, another person, three organisations (one deleted, one with a sub-unit).
func testParties() *dpclient.PartiesResult { return dpclienttest.Parties() }

const (
	selfUUID = "00000000-0000-0000-0000-0000000000f1"
	altaUUID = "00000000-0000-0000-0000-0000000000b1"
)

// testDialog builds a search item.
func testDialog(i int, party string, now time.Time) dpclient.SearchDialog {
	n := 2
	due := now.Add(48 * time.Hour)
	d := dpclient.SearchDialog{
		ID: fmt.Sprintf("0190fbd7-0000-7000-8000-%012d", i), Org: "skd", Party: party,
		ServiceResource: "urn:altinn:resource:skattemelding", Status: dpclient.DialogStatusRequiresAttention,
		CreatedAt: now.Add(-time.Duration(i) * time.Hour), UpdatedAt: now.Add(-time.Duration(i) * time.Hour),
		ContentUpdatedAt: now.Add(-time.Duration(i) * time.Hour), GuiAttachmentCount: &n, IsContentSeen: i%2 == 0,
		Content: &dpclient.SearchContent{
			Title:      dpclient.ContentValue{Value: dpclient.Localizations{{Value: fmt.Sprintf("Skattemelding %d", i), LanguageCode: "nb"}, {Value: fmt.Sprintf("Tax return %d", i), LanguageCode: "en"}}, MediaType: "text/plain"},
			Summary:    &dpclient.ContentValue{Value: dpclient.Localizations{{Value: "Du må levere innen fristen.", LanguageCode: "nb"}}, MediaType: "text/plain"},
			SenderName: &dpclient.ContentValue{Value: dpclient.Localizations{{Value: "Skatteetaten", LanguageCode: "nb"}}, MediaType: "text/plain"},
		},
		EndUserContext: dpclient.EndUserContext{Revision: "rev", SystemLabels: []dpclient.SystemLabel{dpclient.SystemLabelDefault}},
	}
	if i%3 == 0 {
		d.DueAt = &due
	}
	return d
}

// harness is the web layer over fakes.
type harness struct {
	t    *testing.T
	srv  *Server
	auth *fakeAuth
	dp   *fakeDP
	cfg  Config
	dd   DialogDeps // the dialog fakes mounted, if any
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	a := newFakeAuth()
	dp := &fakeDP{parties: testParties()}
	cfg := Config{
		PublicURL:     "https://innboks.test",
		SecureCookies: true,
		Security:      SecurityConfig{IdPOrigins: []string{"https://idp.test"}, HSTS: true},
	}
	return &harness{t: t, srv: newTestServer(cfg, a, dp), auth: a, dp: dp, cfg: cfg}
}

// req is one request's extras.
type req struct {
	loggedIn bool
	htmx     bool
	target   string // HX-Target
	form     url.Values
	csrf     bool // send a valid CSRF cookie and token
	headers  map[string]string
	ctx      context.Context
}

const testCSRF = "0123456789abcdef0123456789abcdef0123456789a"

func (h *harness) do(method, target string, o req) *httptest.ResponseRecorder {
	h.t.Helper()
	var body *strings.Reader
	if o.form != nil {
		form := url.Values{}
		for k, v := range o.form {
			form[k] = v
		}
		if o.csrf {
			form.Set("csrf", testCSRF)
		}
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, "https://innboks.test"+target, body)
	if o.ctx != nil {
		r = r.WithContext(o.ctx)
	}
	if o.form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if o.loggedIn {
		r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	}
	if o.csrf {
		r.AddCookie(&http.Cookie{Name: "__Host-csrf", Value: testCSRF})
		r.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	if o.htmx {
		r.Header.Set("HX-Request", "true")
		r.Header.Set("HX-Current-URL", "https://innboks.test/inbox?folder=archive")
	}
	if o.target != "" {
		r.Header.Set("HX-Target", o.target)
	}
	for k, v := range o.headers {
		r.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.srv.Echo.ServeHTTP(rec, r)
	return rec
}

func doc(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func byTestID(d *goquery.Document, id string) *goquery.Selection {
	return d.Find(`[data-testid="` + id + `"]`)
}

// testNow is the fixed "now" of the inbox tests.
var testNow = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// pageOf is a search page of n dialogs for the user's own party.
func pageOf(n int) *dpclient.SearchResult {
	res := &dpclient.SearchResult{}
	for i := range n {
		res.Items = append(res.Items, testDialog(i, "urn:altinn:person:identifier-no:01017012345", testNow))
	}
	return res
}

func httptestRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func newRequest(method, target, lang string) *http.Request {
	r := httptest.NewRequest(method, "https://innboks.test"+target, nil)
	if lang != "" {
		r.Header.Set("Accept-Language", lang)
	}
	return r
}

// get does a logged-in GET and follows one redirect to the canonical URL (the inbox adds the
// party to a URL without it).
func (h *harness) get(target string, o req) *httptest.ResponseRecorder {
	h.t.Helper()
	o.loggedIn = true
	rec := h.do("GET", target, o)
	if rec.Code == http.StatusSeeOther && strings.HasPrefix(rec.Header().Get("Location"), "/inbox") {
		rec = h.do("GET", rec.Header().Get("Location"), o)
	}
	return rec
}
