package auth_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/internal/redistest"
	"github.com/innboks/innboks/internal/testlog"
)

// redisServer is the package's redis-server, started once in TestMain; the flow tests that
// matter across instances run against it as well as against the memory store.
var redisServer *redistest.Server

func TestMain(m *testing.M) {
	s, err := redistest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	redisServer = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

// storeKinds are the stores the flow tests run against.
var storeKinds = []string{"memory", "redis"}

func newStore(t testing.TB, kind string) auth.Store {
	t.Helper()
	switch kind {
	case "memory":
		return auth.NewMemoryStore()
	case "redis":
		var key redisstore.Key
		_, _ = rand.Read(key[:])
		return newRedisStore(t, redistest.Prefix(), key)
	}
	t.Fatalf("unknown store %q", kind)
	return nil
}

// newRedisStore returns a store in the package's redis-server under prefix, sealed with keys:
// two stores with the same prefix and keys are two instances of one deployment.
func newRedisStore(t testing.TB, prefix string, keys ...redisstore.Key) *redisstore.Store {
	t.Helper()
	c := redisServer.Client()
	t.Cleanup(func() { c.Close() })
	s, err := redisstore.NewRedisStore(c, keys, redisstore.WithPrefix(prefix))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// clock is an injectable clock that tests move forward.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Now()} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const (
	clientID     = "innboks-test"
	clientSecret = "s3cret-for-tests"
)

// env is a test OpenID Provider, a relying party and a small app that mounts its handlers.
type env struct {
	t     testing.TB
	op    *testop.OP
	rp    *auth.RP
	cfg   auth.Config
	store auth.Store
	app   *httptest.Server
	clock *clock
	logs  *testlog.Buffer

	mu        sync.Mutex
	errs      []*auth.Error
	redirects []string // every Location and HX-Redirect the app sent
}

// envOption changes the relying party's config or the provider before the start.
type envOption func(*auth.Config, *testop.Config)

func withClientAuth(method string) envOption {
	return func(c *auth.Config, oc *testop.Config) {
		c.ClientAuth, oc.ClientAuth = method, method
	}
}

// newEnv starts everything over a store of storeKind; the app is served over TLS when
// cfg.SecureCookies is set.
func newEnv(t testing.TB, storeKind string, opts ...envOption) *env {
	t.Helper()
	return newEnvWithStore(t, newStore(t, storeKind), opts...)
}

// newEnvWithStore is newEnv over store.
func newEnvWithStore(t testing.TB, store auth.Store, opts ...envOption) *env {
	t.Helper()
	e := &env{t: t, clock: newClock(), logs: &testlog.Buffer{}}
	e.store = store
	mux := http.NewServeMux()
	e.app = httptest.NewUnstartedServer(e.record(mux))
	cfg := auth.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Logger:       slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:          e.clock.Now,
		Locale:       func(*http.Request) string { return "nn" },
		OnError:      e.onError,
		HTTPClient:   &http.Client{Timeout: 10 * time.Second},
	}
	opCfg := testop.Config{ClientID: clientID, ClientSecret: clientSecret, ClientAuth: auth.ClientSecretBasic, Now: e.clock.Now}
	for _, o := range opts {
		o(&cfg, &opCfg)
	}
	if cfg.SecureCookies {
		e.app.StartTLS()
	} else {
		e.app.Start()
	}
	t.Cleanup(e.app.Close)
	cfg.RedirectURL = e.app.URL + "/auth/callback"
	cfg.PostLogoutURL = e.app.URL + "/logged-out"
	opCfg.RedirectURL = cfg.RedirectURL
	e.op = testop.New(opCfg)
	t.Cleanup(e.op.Close)
	cfg.Issuer = e.op.Issuer
	e.cfg = cfg
	e.rp = e.newRP()
	e.mount(mux, e.rp)
	return e
}

// newRP builds another relying party over the same store and provider: a second instance.
func (e *env) newRP() *auth.RP {
	e.t.Helper()
	rp, err := auth.New(context.Background(), e.cfg, e.store)
	if err != nil {
		e.t.Fatalf("auth.New: %v", err)
	}
	return rp
}

// mount puts rp's handlers and a few app routes on mux.
func (e *env) mount(mux *http.ServeMux, rp *auth.RP) {
	mux.HandleFunc("GET /login", rp.Login)
	mux.HandleFunc("GET /login/step-up", rp.StepUp)
	mux.HandleFunc("GET /auth/callback", rp.Callback)
	mux.HandleFunc("POST /logout", rp.Logout)
	mux.HandleFunc("GET /auth/frontchannel-logout", rp.FrontChannelLogout)
	mux.Handle("GET /me", rp.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := auth.SessionFrom(r.Context())
		if !ok {
			http.Error(w, "no session in context", http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(me{ID: s.ID, PID: s.PID, ACR: s.ACR, SID: s.SID, Lang: s.Lang, Party: s.PartyUUID})
	})))
	mux.Handle("POST /prefs", rp.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := auth.SessionFrom(r.Context())
		s.Lang, s.PartyUUID = r.FormValue("lang"), r.FormValue("party")
		if err := rp.Save(r.Context(), s); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})))
	mux.Handle("GET /token", rp.Require(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, _ := auth.SessionFrom(r.Context())
		tok, err := rp.TokenSource(s).Token(r.Context())
		if errors.Is(err, auth.ErrSessionEnded) {
			http.Error(w, "session ended", http.StatusUnauthorized)
			return
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprint(w, tok)
	})))
	mux.Handle("GET /public", rp.Optional(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := auth.SessionFrom(r.Context()); ok {
			fmt.Fprint(w, "session")
			return
		}
		fmt.Fprint(w, "anonymous")
	})))
}

type me struct {
	ID, PID, ACR, SID, Lang, Party string
}

func (e *env) onError(w http.ResponseWriter, _ *http.Request, err *auth.Error) {
	e.mu.Lock()
	e.errs = append(e.errs, err)
	e.mu.Unlock()
	http.Error(w, "login could not be completed", err.Status)
}

// record remembers every redirect the app answers with.
func (e *env) record(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&recorder{ResponseWriter: w, e: e}, r)
	})
}

type recorder struct {
	http.ResponseWriter
	e *env
}

func (rw *recorder) WriteHeader(code int) {
	rw.e.mu.Lock()
	for _, k := range []string{"Location", "HX-Redirect"} {
		if v := rw.Header().Get(k); v != "" {
			rw.e.redirects = append(rw.e.redirects, v)
		}
	}
	rw.e.mu.Unlock()
	rw.ResponseWriter.WriteHeader(code)
}

// errors returns the errors OnError got.
func (e *env) errors() []*auth.Error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*auth.Error(nil), e.errs...)
}

// browser is a cookie-keeping client that does not follow redirects, so each step is seen.
type browser struct {
	t testing.TB
	c *http.Client
	e *env
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	c := *e.app.Client() // a copy: Client returns one shared client; it trusts the app's TLS certificate
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.Timeout = 20 * time.Second
	return &browser{t: e.t, c: &c, e: e}
}

// do sends a request; an absolute URL goes as it is, a path to the app.
func (b *browser) do(method, target string, header http.Header, form url.Values) *http.Response {
	b.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = b.e.app.URL + target
	}
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, target, err)
	}
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	resp.Body = nopBody{bytes.NewReader(buf.Bytes())}
	return resp
}

type nopBody struct{ *bytes.Reader }

func (nopBody) Close() error { return nil }

func (b *browser) get(target string) *http.Response { return b.do(http.MethodGet, target, nil, nil) }

func body(resp *http.Response) string {
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return buf.String()
}

// startLogin follows /login to the provider and returns the provider's redirect to the callback.
func (b *browser) startLogin(path string) *url.URL {
	b.t.Helper()
	resp := b.get(path)
	if resp.StatusCode != http.StatusSeeOther {
		b.t.Fatalf("GET %s: status %d, want 303", path, resp.StatusCode)
	}
	resp = b.get(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound {
		b.t.Fatalf("authorize: status %d (%s), want 302", resp.StatusCode, body(resp))
	}
	cb, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		b.t.Fatalf("callback URL: %v", err)
	}
	return cb
}

// login runs the whole flow and returns the callback's answer.
func (b *browser) login(path string) *http.Response {
	b.t.Helper()
	return b.get(b.startLogin(path).String())
}

// mustLogin logs in and fails the test unless it ends in a redirect to want.
func (b *browser) mustLogin(path, want string) {
	b.t.Helper()
	resp := b.login(path)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		b.t.Fatalf("login: status %d Location %q (%s), want 303 to %q; errors %v", resp.StatusCode, resp.Header.Get("Location"), body(resp), want, b.e.errors())
	}
}

// me returns the session the app sees, or nil with the response when it sees none.
func (b *browser) me() (*me, *http.Response) {
	b.t.Helper()
	resp := b.get("/me")
	if resp.StatusCode != http.StatusOK {
		return nil, resp
	}
	var m me
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		b.t.Fatalf("decode /me: %v", err)
	}
	return &m, resp
}

// sessionCookie returns the value of the session cookie the browser holds, "" when none.
func (b *browser) sessionCookie() string {
	u, _ := url.Parse(b.e.app.URL)
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "innboks" || c.Name == "__Host-innboks" {
			return c.Value
		}
	}
	return ""
}

// setSessionCookie plants a session cookie, as an attacker or a copied cookie would.
func (b *browser) setSessionCookie(v string) {
	u, _ := url.Parse(b.e.app.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: "innboks", Value: v, Path: "/"}})
}

// cookies returns the cookies the browser holds for the app.
func (b *browser) cookies() []*http.Cookie {
	u, _ := url.Parse(b.e.app.URL)
	return b.c.Jar.Cookies(u)
}

// resetCookies replaces the browser's cookies with keep.
func (b *browser) resetCookies(keep []*http.Cookie) {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(b.e.app.URL)
	for _, c := range keep {
		jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
	}
	b.c.Jar = jar
}

// stripForm removes a field from every form posted through it: a relying party that forgets it.
type stripForm struct {
	base  http.RoundTripper
	field string
}

func (s stripForm) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || r.Body == nil {
		return s.base.RoundTrip(r)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(r.Body); err != nil {
		return nil, err
	}
	r.Body.Close()
	form, err := url.ParseQuery(buf.String())
	if err != nil {
		return nil, err
	}
	form.Del(s.field)
	enc := form.Encode()
	c := r.Clone(r.Context())
	c.Body = nopBody{bytes.NewReader([]byte(enc))}
	c.ContentLength = int64(len(enc))
	return s.base.RoundTrip(c)
}

// newServer serves h on loopback for the test's lifetime and returns its URL.
func newServer(t testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}
