package auth_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
)

func TestLoginHappyPath(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			b.mustLogin("/login?return_to=%2Finbox%3Fpage%3D2", "/inbox?page=2")

			got, resp := b.me()
			if got == nil {
				t.Fatalf("GET /me after login: status %d, want 200", resp.StatusCode)
			}
			if got.PID != "24079409630" || got.ACR != auth.ACRSubstantial || got.SID != "sid-1" {
				t.Errorf("session = pid %q acr %q sid %q, want 24079409630 %s sid-1", got.PID, got.ACR, got.SID, auth.ACRSubstantial)
			}
			if got.ID != b.sessionCookie() || len(got.ID) != 43 {
				t.Errorf("session id %q, cookie %q: want the cookie to carry the 43-character session id", got.ID, b.sessionCookie())
			}
			if errs := e.errors(); len(errs) != 0 {
				t.Errorf("OnError called %d times: %v", len(errs), errs)
			}

			ar := e.op.AuthorizeRequests()
			if len(ar) != 1 {
				t.Fatalf("%d authorization requests, want 1", len(ar))
			}
			q := ar[0]
			for k, want := range map[string]string{
				"response_type":         "code",
				"client_id":             clientID,
				"redirect_uri":          e.cfg.RedirectURL,
				"scope":                 "openid digdir:dialogporten altinn:correspondence.read",
				"acr_values":            auth.ACRSubstantial,
				"ui_locales":            "nn",
				"code_challenge_method": "S256",
			} {
				if got := q.Get(k); got != want {
					t.Errorf("authorize %s = %q, want %q", k, got, want)
				}
			}
			if q.Get("prompt") != "" {
				t.Errorf("authorize prompt = %q, want none for a plain login", q.Get("prompt"))
			}
			if len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 || q.Get("state") == q.Get("nonce") {
				t.Errorf("state %q and nonce %q: want two different random values", q.Get("state"), q.Get("nonce"))
			}

			tr := e.op.TokenRequests()
			if len(tr) != 1 {
				t.Fatalf("%d token requests, want 1", len(tr))
			}
			v := tr[0].Form.Get("code_verifier")
			if v == "" || testop.S256(v) != q.Get("code_challenge") {
				t.Errorf("code_verifier %q does not match the challenge %q", v, q.Get("code_challenge"))
			}
			if tr[0].BasicUser != clientID || tr[0].Form.Get("client_secret") != "" {
				t.Errorf("client authentication: basic user %q, form secret set %v; want client_secret_basic only",
					tr[0].BasicUser, tr[0].Form.Get("client_secret") != "")
			}
		})
	}
}

func TestLoginStateIsFreshPerAttempt(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.startLogin("/login")
	b.startLogin("/login")
	ar := e.op.AuthorizeRequests()
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if ar[0].Get(k) == ar[1].Get(k) {
			t.Errorf("%s repeated across two login attempts: %q", k, ar[0].Get(k))
		}
	}
}

// TestLoginRejected produces each failure of the callback and checks that OnError is called
// with the right kind and a 4xx/502 status, and that no session comes of it.
func TestLoginRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		misbehave testop.Misbehave
		// tamper changes the provider's redirect to the callback; b is the browser
		tamper   func(t *testing.T, e *env, b *browser, cb *url.URL) *url.URL
		kind     auth.ErrorKind
		status   int
		loginURL string
	}{
		{name: "wrong state", kind: auth.KindState, status: 400,
			tamper: func(_ *testing.T, _ *env, _ *browser, cb *url.URL) *url.URL {
				return setQuery(cb, "state", "forged-state")
			}},
		{name: "no state", kind: auth.KindState, status: 400,
			tamper: func(_ *testing.T, _ *env, _ *browser, cb *url.URL) *url.URL { return setQuery(cb, "state", "") }},
		{name: "replayed callback", kind: auth.KindState, status: 400,
			tamper: func(t *testing.T, _ *env, b *browser, cb *url.URL) *url.URL {
				saved := b.cookies()
				if resp := b.get(cb.String()); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("first callback: status %d, want 303", resp.StatusCode)
				}
				b.resetCookies(saved) // a copy of the login cookie, without the session of the first use
				return cb
			}},
		{name: "replayed code under a new state", kind: auth.KindCode, status: 400,
			tamper: func(t *testing.T, _ *env, b *browser, cb *url.URL) *url.URL {
				if resp := b.get(cb.String()); resp.StatusCode != http.StatusSeeOther {
					t.Fatalf("first callback: status %d, want 303", resp.StatusCode)
				}
				b.resetCookies(nil)
				second := b.startLogin("/login")
				return setQuery(second, "code", cb.Query().Get("code"))
			}},
		{name: "callback in another browser", kind: auth.KindState, status: 400,
			tamper: func(_ *testing.T, _ *env, b *browser, cb *url.URL) *url.URL {
				b.resetCookies(nil)
				return cb
			}},
		{name: "wrong iss parameter", misbehave: testop.Misbehave{IssParam: "https://evil.example"}, kind: auth.KindIssuer, status: 400},
		{name: "missing iss parameter though supported", misbehave: testop.Misbehave{OmitIssParam: true}, kind: auth.KindIssuer, status: 400},
		{name: "provider error", kind: auth.KindProvider, status: 400,
			tamper: func(_ *testing.T, _ *env, _ *browser, cb *url.URL) *url.URL {
				cb = setQuery(cb, "code", "")
				return setQuery(cb, "error", "access_denied")
			}},
		{name: "no code", kind: auth.KindCode, status: 400,
			tamper: func(_ *testing.T, _ *env, _ *browser, cb *url.URL) *url.URL { return setQuery(cb, "code", "") }},
		{name: "wrong nonce", misbehave: testop.Misbehave{Nonce: "another-nonce"}, kind: auth.KindNonce, status: 400},
		{name: "ID token from another issuer", misbehave: testop.Misbehave{IDTokenIssuer: "https://evil.example"}, kind: auth.KindIDToken, status: 400},
		{name: "ID token for another audience", misbehave: testop.Misbehave{IDTokenAudience: "someone-else"}, kind: auth.KindIDToken, status: 400},
		{name: "expired ID token", misbehave: testop.Misbehave{Expired: true}, kind: auth.KindIDToken, status: 400},
		{name: "unsigned ID token (alg none)", misbehave: testop.Misbehave{AlgNone: true}, kind: auth.KindIDToken, status: 400},
		{name: "ID token signed by an unknown key", misbehave: testop.Misbehave{UnknownKey: true}, kind: auth.KindIDToken, status: 400},
		{name: "no ID token", misbehave: testop.Misbehave{OmitIDToken: true}, kind: auth.KindIDToken, status: 400},
		{name: "acr below the level asked for", misbehave: testop.Misbehave{ACR: "idporten-loa-low"}, kind: auth.KindACR, status: 403},
		{name: "acr below high on step-up", misbehave: testop.Misbehave{ACR: auth.ACRSubstantial}, kind: auth.KindACR, status: 403, loginURL: "/login/step-up"},
		{name: "unknown acr", misbehave: testop.Misbehave{ACR: "selfregistered-email"}, kind: auth.KindACR, status: 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory")
			e.op.Misbehave(tc.misbehave)
			b := e.browser()
			start := tc.loginURL
			if start == "" {
				start = "/login"
			}
			cb := b.startLogin(start + "?return_to=/inbox")
			if tc.tamper != nil {
				cb = tc.tamper(t, e, b, cb)
			}
			before := len(e.errors())
			resp := b.get(cb.String())
			assertRejected(t, e, b, resp, before, tc.kind, tc.status)
		})
	}
}

// assertRejected checks that the callback answer went through OnError with kind and status and
// left the browser without a session.
func assertRejected(t *testing.T, e *env, b *browser, resp *http.Response, before int, kind auth.ErrorKind, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("callback status %d (%s), want %d", resp.StatusCode, body(resp), status)
	}
	errs := e.errors()
	if len(errs) != before+1 {
		t.Fatalf("OnError called %d times, want once", len(errs)-before)
	}
	if got := errs[len(errs)-1]; got.Kind != kind || got.Status != status {
		t.Errorf("OnError got kind %v status %d (%v), want kind %v status %d", got.Kind, got.Status, got, kind, status)
	}
	for _, c := range resp.Cookies() {
		if (c.Name == "innboks" || c.Name == "__Host-innboks") && c.MaxAge >= 0 {
			t.Errorf("a session cookie was set on a failed login: %s", c.Name)
		}
	}
	if m, r := b.me(); m != nil {
		t.Errorf("GET /me after a failed login: status %d, want a redirect to login", r.StatusCode)
	}
}

func TestLoginWithoutPKCEVerifierFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory", func(c *auth.Config, _ *testop.Config) {
		c.HTTPClient = &http.Client{Transport: stripForm{base: http.DefaultTransport, field: "code_verifier"}}
	})
	b := e.browser()
	resp := b.login("/login")
	assertRejected(t, e, b, resp, 0, auth.KindCode, 400)
	tr := e.op.TokenRequests()
	if len(tr) != 1 || tr[0].Form.Has("code_verifier") || tr[0].Status != http.StatusBadRequest {
		t.Errorf("token requests %+v: want one without code_verifier, refused with 400", tr)
	}
}

func TestLoginIDTokenPIDChecked(t *testing.T) {
	t.Parallel()
	for _, pid := range []string{"", "1234567890", "2407940963x", "240794096301"} {
		t.Run("pid="+pid, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory")
			e.op.SetUser(testop.User{PID: pid, SID: "sid-1"})
			b := e.browser()
			resp := b.login("/login")
			assertRejected(t, e, b, resp, 0, auth.KindIdentity, 400)
		})
	}
}

func TestLoginReturnToOtherOrigin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	for _, rt := range []string{"https://evil.example/x", "//evil.example/x", `/\evil.example`, "javascript:alert(1)", "inbox"} {
		b := e.browser()
		b.mustLogin("/login?"+url.Values{"return_to": {rt}}.Encode(), "/")
	}
}

func TestSafeReturnTo(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"/inbox", "/inbox"},
		{"/inbox?party=1&q=a%20b", "/inbox?party=1&q=a%20b"},
		{"/dialog/1#attachments", "/dialog/1"},
		{"", "/"},
		{"inbox", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example/", "/"},
		{"///evil.example/", "/"},
		{`/\evil.example`, "/"},
		{`/x\y`, "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"http:/evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/" + strings.Repeat("a", 3000), "/"},
	}
	for _, tc := range tests {
		if got := auth.SafeReturnTo(tc.in); got != tc.want {
			t.Errorf("SafeReturnTo(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStepUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.mustLogin("/login", "/")
	if resp := b.do(http.MethodPost, "/prefs", nil, url.Values{"lang": {"en"}, "party": {"party-1"}}); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("POST /prefs: status %d", resp.StatusCode)
	}
	before := b.sessionCookie()
	b.mustLogin("/login/step-up?return_to=%2Fdialog%2F7", "/dialog/7")

	ar := e.op.AuthorizeRequests()
	last := ar[len(ar)-1]
	if last.Get("acr_values") != auth.ACRHigh || last.Get("prompt") != "login" {
		t.Errorf("step-up authorize acr_values %q prompt %q, want %s and login", last.Get("acr_values"), last.Get("prompt"), auth.ACRHigh)
	}
	got, _ := b.me()
	if got == nil || got.ACR != auth.ACRHigh {
		t.Fatalf("session after step-up = %+v, want acr %s", got, auth.ACRHigh)
	}
	if got.Lang != "en" || got.Party != "party-1" {
		t.Errorf("step-up lost the user's choices: lang %q party %q, want en party-1", got.Lang, got.Party)
	}
	if got.ID == before {
		t.Errorf("session id not rotated by the step-up")
	}
	old := e.browser()
	old.setSessionCookie(before)
	if m, _ := old.me(); m != nil {
		t.Errorf("the session before the step-up still works")
	}
}

func TestSessionFixation(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			// An attacker plants a well-formed id, then also owns a real session of their own.
			attacker := e.browser()
			attacker.mustLogin("/login", "/")
			planted := attacker.sessionCookie()

			victim := e.browser()
			victim.setSessionCookie(planted)
			victim.mustLogin("/login", "/")
			after := victim.sessionCookie()
			if after == "" || after == planted {
				t.Fatalf("session id after login = %q, planted %q: want a new id", after, planted)
			}
			if m, _ := victim.me(); m == nil || m.ID != after {
				t.Errorf("victim's session = %+v, want id %q", m, after)
			}
			// The id the browser held before login is dead.
			if m, _ := attacker.me(); m != nil {
				t.Errorf("the planted session id still gives a session after the victim's login")
			}
		})
	}
}

func TestClientAuthentication(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method string
		check  func(t *testing.T, tr testop.TokenRequest)
	}{
		{auth.ClientSecretBasic, func(t *testing.T, tr testop.TokenRequest) {
			if tr.BasicUser != clientID || tr.Form.Has("client_secret") {
				t.Errorf("basic user %q, client_secret in form %v; want Basic only", tr.BasicUser, tr.Form.Has("client_secret"))
			}
		}},
		{auth.ClientSecretPost, func(t *testing.T, tr testop.TokenRequest) {
			if tr.BasicUser != "" || tr.Form.Get("client_id") != clientID || tr.Form.Get("client_secret") != clientSecret {
				t.Errorf("basic user %q, form client_id %q: want client_id and client_secret in the form only", tr.BasicUser, tr.Form.Get("client_id"))
			}
		}},
		{auth.PrivateKeyJWT, func(t *testing.T, tr testop.TokenRequest) {
			if tr.BasicUser != "" || tr.Form.Has("client_secret") || tr.Form.Get("client_id") != clientID || tr.Form.Get("client_assertion") == "" {
				t.Errorf("basic user %q, form %v: want client_id and client_assertion, no secret", tr.BasicUser, keys(tr.Form))
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory", withClientAuth(tc.method), func(c *auth.Config, oc *testop.Config) {
				if tc.method == auth.PrivateKeyJWT {
					c.ClientSecret, c.PrivateKey, c.KeyID = "", key, "innboks-key-1"
					oc.ClientKey, oc.ClientKeyID = &key.PublicKey, "innboks-key-1"
				}
			})
			b := e.browser()
			b.mustLogin("/login", "/")
			e.clock.Advance(100 * time.Second) //: within 30 s of the 120 s expiry
			if resp := b.get("/token"); resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /token (refresh): status %d (%s)", resp.StatusCode, body(resp))
			}
			tr := e.op.TokenRequests()
			if len(tr) != 2 || tr[1].Form.Get("grant_type") != "refresh_token" {
				t.Fatalf("token requests: %d, want code then refresh", len(tr))
			}
			for _, r := range tr {
				if r.Status != http.StatusOK {
					t.Errorf("%s grant answered %d, want 200", r.Form.Get("grant_type"), r.Status)
				}
				tc.check(t, r)
			}

			// Logout revokes the current refresh token, authenticated the same way.
			rts := issuedWithPrefix(e.op.Issued(), "rt-")
			current := rts[len(rts)-1]
			if resp := b.do(http.MethodPost, "/logout", nil, url.Values{}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("POST /logout: status %d, want 303", resp.StatusCode)
			}
			rr := e.op.RevokeRequests()
			if len(rr) != 1 {
				t.Fatalf("revocation requests at logout: %d, want 1", len(rr))
			}
			if rr[0].Status != http.StatusOK || rr[0].Form.Get("token") != current || rr[0].Form.Get("token_type_hint") != "refresh_token" {
				t.Errorf("revocation answered %d for hint %q; want 200 for the current refresh token", rr[0].Status, rr[0].Form.Get("token_type_hint"))
			}
			tc.check(t, rr[0])
			if e.op.RefreshTokenValid(current) {
				t.Errorf("the refresh token is still valid after logout")
			}
		})
	}
}

func TestClientAuthenticationWrongSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory", func(_ *auth.Config, oc *testop.Config) { oc.ClientSecret = "another" })
	b := e.browser()
	assertRejected(t, e, b, b.login("/login"), 0, auth.KindConfig, 500)
}

func TestSecureCookies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory", func(c *auth.Config, _ *testop.Config) { c.SecureCookies = true })
	b := e.browser()
	cb := b.startLogin("/login")
	resp := b.get(cb.String())
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback: status %d (%s), errors %v", resp.StatusCode, body(resp), e.errors())
	}
	var c *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "__Host-innboks" {
			c = ck
		}
	}
	if c == nil {
		t.Fatalf("no __Host-innboks cookie in %v", resp.Header.Values("Set-Cookie"))
	}
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || len(c.Value) != 43 {
		t.Errorf("cookie %s: want Secure, HttpOnly, SameSite=Lax, Path=/, no Domain, a 43-character id", c.String())
	}
	if m, _ := b.me(); m == nil {
		t.Errorf("GET /me over TLS with the __Host- cookie: no session")
	}
}

func TestNewConfigErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	tests := []struct {
		name string
		mod  func(*auth.Config)
		want string
	}{
		{"no issuer", func(c *auth.Config) { c.Issuer = "" }, "Issuer"},
		{"no client id", func(c *auth.Config) { c.ClientID = "" }, "ClientID"},
		{"relative redirect", func(c *auth.Config) { c.RedirectURL = "/auth/callback" }, "RedirectURL"},
		{"no secret", func(c *auth.Config) { c.ClientSecret = "" }, "ClientSecret"},
		{"private_key_jwt without key", func(c *auth.Config) { c.ClientAuth = auth.PrivateKeyJWT }, "PrivateKey"},
		{"unknown method", func(c *auth.Config) { c.ClientAuth = "tls_client_auth" }, "ClientAuth"},
		{"unknown acr", func(c *auth.Config) { c.ACR = "Level4" }, "ACR"},
		{"discovery fails", func(c *auth.Config) { c.Issuer = e.op.Issuer + "/nowhere" }, "discovery"},
	}
	for _, tc := range tests {
		cfg := e.cfg
		tc.mod(&cfg)
		_, err := auth.New(t.Context(), cfg, auth.NewMemoryStore())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: New error = %v, want one naming %s", tc.name, err, tc.want)
		}
	}
}

func setQuery(u *url.URL, k, v string) *url.URL {
	c := *u
	q := c.Query()
	if v == "" {
		q.Del(k)
	} else {
		q.Set(k, v)
	}
	c.RawQuery = q.Encode()
	return &c
}

func keys(v url.Values) []string {
	var out []string
	for k := range v {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestBrowserURLs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	got := e.rp.BrowserURLs()
	want := []string{e.op.Issuer, e.op.Issuer + "/authorize", e.op.Issuer + "/logout"}
	if !slices.Equal(got, want) {
		t.Errorf("BrowserURLs() = %q, want %q", got, want)
	}
}
