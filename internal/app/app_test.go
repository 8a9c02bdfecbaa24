package app

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeIdP serves just enough of an OpenID Provider for discovery.
func fakeIdP(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	var srv *httptest.Server
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                         srv.URL,
			"authorization_endpoint":                         srv.URL + "/authorize",
			"token_endpoint":                                 srv.URL + "/token",
			"jwks_uri":                                       srv.URL + "/jwks",
			"end_session_endpoint":                           srv.URL + "/endsession",
			"id_token_signing_alg_values_supported":          []string{"RS256"},
			"response_types_supported":                       []string{"code"},
			"subject_types_supported":                        []string{"public"},
			"code_challenge_methods_supported":               []string{"S256"},
			"frontchannel_logout_supported":                  true,
			"authorization_response_iss_parameter_supported": true,
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"keys":[]}`)) })
	srv = httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestNewWiresThePortal(t *testing.T) {
	t.Parallel()
	idp := fakeIdP(t)
	cfg, err := Load(env(map[string]string{
		"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": idp.URL, "DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
		"DATA_DIR": t.TempDir(),
	}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	get := func(method, path string, hdr map[string]string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://127.0.0.1:8080"+path, nil)
		for k, v := range hdr {
			r.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		a.Handler.ServeHTTP(rec, r)
		return rec
	}

	front := get("GET", "/", nil)
	if front.Code != 200 || !strings.Contains(front.Body.String(), `data-testid="login-button"`) {
		t.Fatalf("front page: %d %.200s", front.Code, front.Body.String())
	}
	if csp := front.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+idp.URL) {
		t.Errorf("CSP %q lacks the IdP in form-action", csp)
	}

	login := get("GET", "/login?return_to=/inbox", nil)
	loc, _ := url.Parse(login.Header().Get("Location"))
	if login.Code/100 != 3 || !strings.HasPrefix(loc.String(), idp.URL+"/authorize") {
		t.Fatalf("login: %d → %q", login.Code, loc)
	}
	q := loc.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || q.Get("nonce") == "" || q.Get("acr_values") != "idporten-loa-substantial" {
		t.Errorf("authorize query %v", q)
	}
	if q.Get("redirect_uri") != "http://127.0.0.1:8080/auth/callback" {
		t.Errorf("redirect_uri %q", q.Get("redirect_uri"))
	}

	inbox := get("GET", "/inbox", nil)
	if inbox.Code != http.StatusSeeOther || !strings.HasPrefix(inbox.Header().Get("Location"), "/login?return_to=") {
		t.Errorf("anonymous inbox: %d → %q", inbox.Code, inbox.Header().Get("Location"))
	}
	hx := get("GET", "/inbox", map[string]string{"HX-Request": "true"})
	if hx.Header().Get("HX-Redirect") == "" {
		t.Errorf("anonymous htmx inbox: %d, no HX-Redirect", hx.Code)
	}

	logout := get("POST", "/logout", map[string]string{"Sec-Fetch-Site": "cross-site"})
	if logout.Code != http.StatusForbidden {
		t.Errorf("cross-site logout: %d, want 403", logout.Code)
	}

	bad := get("GET", "/auth/callback?state=nope&code=x", nil)
	if bad.Code < 400 || bad.Code >= 500 || !strings.Contains(bad.Body.String(), `data-testid="login-error"`) {
		t.Errorf("bad callback: %d %.300s", bad.Code, bad.Body.String())
	}
}

func TestNewFailsWithoutIdP(t *testing.T) {
	t.Parallel()
	cfg, err := Load(env(map[string]string{"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": "http://127.0.0.1:1", "DATA_DIR": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "discovery") {
		t.Errorf("err %v, want a discovery error", err)
	}
}

// TestUpstreamTransportKeepsConnectionsWarm: after a burst of concurrent calls, a second burst
// reuses the connections of the first instead of opening new ones (the default transport keeps
// two per host and would open about as many again).
func TestUpstreamTransportKeepsConnectionsWarm(t *testing.T) {
	t.Parallel()
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond) // the burst overlaps, so it needs its own connections
		_, _ = io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	hc := &http.Client{Transport: upstreamTransport()}
	const burst = 40
	for round := range 2 {
		var wg sync.WaitGroup
		for range burst {
			wg.Go(func() {
				resp, err := hc.Get(srv.URL)
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			})
		}
		wg.Wait()
		if round == 0 && opened.Load() < burst/2 {
			t.Fatalf("the first burst opened %d connections; the test needs it to open many", opened.Load())
		}
	}
	if n := opened.Load(); n > burst+burst/10 {
		t.Errorf("two bursts of %d opened %d connections, want the second to reuse the first's", burst, n)
	}
}
