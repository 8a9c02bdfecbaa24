package auth_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
)

// TestLoginFailuresExplainThemselves: a missing or malformed pid, an acr given as an array, and
// the provider's errors (token endpoint and authorization response) each end in a kind the page
// can explain, say whether trying again can help (Permanent), carry the provider's error and
// error_description, and log them without the code or a pid.
func TestLoginFailuresExplainThemselves(t *testing.T) {
	t.Parallel()
	const pid = "24079409630"
	tests := []struct {
		name      string
		misbehave testop.Misbehave
		user      *testop.User
		authError map[string]string // the provider's error on the callback instead of a code
		kind      auth.ErrorKind
		status    int
		permanent bool
		provider  *auth.ProviderError // want these Endpoint, Status, Code, Description
		logs      []string            // in the "login failed" line
	}{
		{name: "no pid", user: &testop.User{SID: "sid-1"}, kind: auth.KindIdentity, status: 400, permanent: true,
			logs: []string{"id_token has no pid claim"}},
		{name: "pid of 10 digits", user: &testop.User{PID: "2407940963", SID: "sid-1"}, kind: auth.KindIdentity, status: 400, permanent: true,
			logs: []string{"id_token pid is not 11 digits"}},
		{name: "pid as a number", misbehave: testop.Misbehave{IDTokenClaims: map[string]any{"pid": 24079409630}},
			kind: auth.KindIdentity, status: 400, permanent: true, logs: []string{"id_token claim pid is a JSON number, not a string"}},
		{name: "acr as an array", misbehave: testop.Misbehave{IDTokenClaims: map[string]any{"acr": []string{auth.ACRSubstantial}}},
			kind: auth.KindConfig, status: 500, permanent: true, logs: []string{"id_token claim acr is a JSON array, not a string"}},
		{name: "client refused at the token endpoint",
			misbehave: testop.Misbehave{CodeError: &testop.OAuthError{Status: 401, Code: "invalid_client", Description: "Client authentication failed: unknown client"}},
			kind:      auth.KindConfig, status: 500, permanent: true,
			provider: &auth.ProviderError{Endpoint: "token", Status: 401, Code: "invalid_client", Description: "Client authentication failed: unknown client"},
			logs:     []string{`"error":"invalid_client"`, `"error_description":"Client authentication failed: unknown client"`}},
		{name: "code refused, echoed with a pid",
			misbehave: testop.Misbehave{CodeError: &testop.OAuthError{Status: 400, Code: "invalid_grant", Description: "Code {code} for user " + pid + " has expired"}},
			kind:      auth.KindCode, status: 400,
			provider: &auth.ProviderError{Endpoint: "token", Status: 400, Code: "invalid_grant", Description: "Code [redacted] for user [redacted] has expired"},
			logs:     []string{`"error_description":"Code [redacted] for user [redacted] has expired"`}},
		{name: "token endpoint unavailable",
			misbehave: testop.Misbehave{CodeError: &testop.OAuthError{Status: 503, Code: "temporarily_unavailable", Description: "Maintenance until 22:00"}},
			kind:      auth.KindProvider, status: 502,
			provider: &auth.ProviderError{Endpoint: "token", Status: 503, Code: "temporarily_unavailable", Description: "Maintenance until 22:00"},
			logs:     []string{`"error_description":"Maintenance until 22:00"`}},
		{name: "cancelled at the provider", authError: map[string]string{"error": "access_denied", "error_description": "User cancelled\nthe login"},
			kind: auth.KindProvider, status: 400,
			provider: &auth.ProviderError{Endpoint: "authorization", Code: "access_denied", Description: "User cancelled the login"},
			logs:     []string{`"endpoint":"authorization"`, `"error_description":"User cancelled the login"`}},
		{name: "client refused at the authorization endpoint", authError: map[string]string{"error": "unauthorized_client", "error_description": "Scope not allowed"},
			kind: auth.KindConfig, status: 500, permanent: true,
			provider: &auth.ProviderError{Endpoint: "authorization", Code: "unauthorized_client", Description: "Scope not allowed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory")
			e.op.Misbehave(tc.misbehave)
			if tc.user != nil {
				e.op.SetUser(*tc.user)
			}
			b := e.browser()
			cb := b.startLogin("/login")
			code := cb.Query().Get("code")
			for k, v := range tc.authError {
				cb = setQuery(setQuery(cb, "code", ""), k, v)
			}
			assertRejected(t, e, b, b.get(cb.String()), 0, tc.kind, tc.status)
			got := e.errors()[0]
			if got.Permanent() != tc.permanent {
				t.Errorf("Permanent() = %v, want %v", got.Permanent(), tc.permanent)
			}
			switch {
			case tc.provider == nil && got.Provider != nil:
				t.Errorf("Provider = %+v, want nil", got.Provider)
			case tc.provider != nil && got.Provider == nil:
				t.Errorf("Provider = nil, want %+v", tc.provider)
			case tc.provider != nil && (got.Provider.Endpoint != tc.provider.Endpoint || got.Provider.Status != tc.provider.Status ||
				got.Provider.Code != tc.provider.Code || got.Provider.Description != tc.provider.Description):
				t.Errorf("Provider = %+v, want %+v", got.Provider, tc.provider)
			}
			line := logLine(t, e, "login failed")
			for _, want := range tc.logs {
				if !strings.Contains(line, want) {
					t.Errorf("log line lacks %s: %s", want, line)
				}
			}
			for _, secret := range []string{code, pid} {
				if strings.Contains(line, secret) || strings.Contains(got.Error(), secret) {
					t.Errorf("log line or error shows a code or pid (%.12s…): %s", secret, line)
				}
			}
		})
	}
}

// logLine returns the one log line with msg.
func logLine(t *testing.T, e *env, msg string) string {
	t.Helper()
	var found []string
	for line := range strings.SplitSeq(e.logs.String(), "\n") {
		var m struct{ Msg string }
		if json.Unmarshal([]byte(line), &m) == nil && m.Msg == msg {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d log lines %q, want 1:\n%s", len(found), msg, e.logs.String())
	}
	return found[0]
}

// TestDiscoveryChecked: at start, a provider whose discovery lacks S256 among
// code_challenge_methods_supported, or the configured client authentication among
// token_endpoint_auth_methods_supported, is refused with a message naming what is missing; a
// document that leaves the lists out is warned about (OpenID Connect Discovery's default for
// the second is client_secret_basic).
func TestDiscoveryChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		clientAuth string
		discovery  map[string]any
		wantErr    []string // empty: New succeeds
		wantWarn   string
	}{
		{name: "plain PKCE only", discovery: map[string]any{"code_challenge_methods_supported": []string{"plain"}},
			wantErr: []string{"code_challenge_methods_supported", `["plain"]`, "without S256"}},
		{name: "no PKCE methods published", discovery: map[string]any{"code_challenge_methods_supported": nil},
			wantWarn: "no code_challenge_methods_supported"},
		{name: "client_secret_basic not supported", discovery: map[string]any{"token_endpoint_auth_methods_supported": []string{"private_key_jwt"}},
			wantErr: []string{"token_endpoint_auth_methods_supported", `["private_key_jwt"]`, "client_secret_basic"}},
		{name: "no auth methods published, basic configured", discovery: map[string]any{"token_endpoint_auth_methods_supported": nil}},
		{name: "no auth methods published, post configured", clientAuth: auth.ClientSecretPost,
			discovery: map[string]any{"token_endpoint_auth_methods_supported": nil}, wantWarn: "no token_endpoint_auth_methods_supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory", func(c *auth.Config, oc *testop.Config) {
				if tc.clientAuth != "" {
					c.ClientAuth, oc.ClientAuth = tc.clientAuth, tc.clientAuth
				}
			})
			e.op.Close()
			op := testop.New(testop.Config{ClientID: clientID, ClientSecret: clientSecret, ClientAuth: e.cfg.ClientAuth,
				RedirectURL: e.cfg.RedirectURL, Discovery: tc.discovery})
			t.Cleanup(op.Close)
			cfg := e.cfg
			cfg.Issuer = op.Issuer
			logsBefore := len(e.logs.String())
			_, err := auth.New(context.Background(), cfg, auth.NewMemoryStore())
			if len(tc.wantErr) == 0 && err != nil {
				t.Fatalf("New: %v", err)
			}
			for _, want := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("New error = %v, want one naming %s", err, want)
				}
			}
			if logs := e.logs.String()[logsBefore:]; (tc.wantWarn == "") == strings.Contains(logs, `"level":"WARN"`) ||
				!strings.Contains(logs, tc.wantWarn) {
				t.Errorf("logs %q, want a warning %q (none when empty)", logs, tc.wantWarn)
			}
		})
	}
}

// TestAbsurdExpiresInClamped: a provider that sends expires_in in nanoseconds (120 s as
// 120,000,000,000) would have the token never refreshed; it is taken as the default lifetime
// (60 s), warned about once, and the refresh comes ahead of expiry, at login and after each
// refresh.
func TestAbsurdExpiresInClamped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	e.op.Misbehave(testop.Misbehave{AccessTTL: 120_000_000_000})
	b := e.browser()
	b.mustLogin("/login", "/")
	for i := 1; i <= 2; i++ {
		e.clock.Advance(45 * time.Second) // within RefreshAhead (30 s) of the default 60 s
		if resp := b.get("/token"); resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /token: status %d", resp.StatusCode)
		}
		if got := e.op.Refreshes(); got != i {
			t.Errorf("after %d × 45 s: %d refreshes, want %d", i, got, i)
		}
	}
	if n := strings.Count(e.logs.String(), "expires_in is over a day"); n != 1 {
		t.Errorf("%d warnings about expires_in, want 1", n)
	}
}

// TestTokenIssuedAt: the session and its TokenSource say when the access token was obtained:
// at login, then at each refresh.
func TestTokenIssuedAt(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			loginAt := e.clock.Now()
			b.mustLogin("/login", "/")
			ctx := context.Background()
			s, err := e.store.Get(ctx, b.sessionCookie())
			if err != nil {
				t.Fatal(err)
			}
			if !s.TokenIssuedAt.Equal(loginAt) {
				t.Errorf("TokenIssuedAt after login = %v, want %v", s.TokenIssuedAt, loginAt)
			}
			ts := e.rp.TokenSource(s)
			if !ts.IssuedAt().Equal(loginAt) {
				t.Errorf("TokenSource.IssuedAt before a refresh = %v, want the login's %v", ts.IssuedAt(), loginAt)
			}
			e.clock.Advance(100 * time.Second)
			refreshAt := e.clock.Now()
			if _, err := ts.Token(ctx); err != nil {
				t.Fatal(err)
			}
			if e.op.Refreshes() != 1 || !ts.IssuedAt().Equal(refreshAt) {
				t.Errorf("after %d refreshes TokenSource.IssuedAt = %v, want %v", e.op.Refreshes(), ts.IssuedAt(), refreshAt)
			}
			if s, err = e.store.Get(ctx, s.ID); err != nil || !s.TokenIssuedAt.Equal(refreshAt) {
				t.Errorf("stored TokenIssuedAt after the refresh = %v (%v), want %v", s.TokenIssuedAt, err, refreshAt)
			}
		})
	}
}
