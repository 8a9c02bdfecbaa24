package auth_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
)

// TestNoSecretsInLogsOrRedirects runs logins (good and bad), refreshes (good and failed),
// htmx redirects, logout and front-channel logout, then looks for every code, access token,
// refresh token, ID token and pid in every log line, every redirect the relying party sent and
// every error OnError got. The provider's own redirect to the callback carries code and state,
// which is the protocol, and is not the relying party's. The end-session redirect carries the
// ID token as id_token_hint, as specified, unless DisableIDTokenHint is set.
func TestNoSecretsInLogsOrRedirects(t *testing.T) {
	t.Parallel()
	for _, hint := range []bool{true, false} {
		name := "id_token_hint"
		if !hint {
			name = "no_id_token_hint"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory", func(c *auth.Config, _ *testop.Config) { c.DisableIDTokenHint = !hint })
			pids := []string{"24079409630", "01017012345", "2407940963x"}
			runFlows(t, e, pids)

			secrets := append(e.op.Issued(), pids...)
			if len(issuedWithPrefix(secrets, "at-")) < 3 || len(issuedWithPrefix(secrets, "code-")) < 4 {
				t.Fatalf("the flows issued too little to prove anything: %d secrets", len(secrets))
			}
			logs := e.logs.String()
			for _, want := range []string{`"msg":"logged in"`, `"msg":"login failed"`, `"msg":"token refresh failed, session ended"`, `"msg":"front-channel logout"`, `"msg":"logged out"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("logs lack %s: the flows did not run as planned", want)
				}
			}
			var errs []string
			for _, err := range e.errors() {
				errs = append(errs, err.Error())
			}
			e.mu.Lock()
			redirects := append([]string(nil), e.redirects...)
			e.mu.Unlock()

			endSessions := 0
			for _, r := range redirects {
				if strings.HasPrefix(r, e.op.Issuer+"/logout?") {
					endSessions++
					u, _ := url.Parse(r)
					q := u.Query()
					if hint != q.Has("id_token_hint") {
						t.Errorf("end-session redirect has id_token_hint = %v, want %v", q.Has("id_token_hint"), hint)
					}
					q.Del("id_token_hint") // the one place the ID token goes, as ID-porten's logout asks
					u.RawQuery = q.Encode()
					r = u.String()
				}
				for _, s := range secrets {
					if strings.Contains(r, s) || strings.Contains(r, url.QueryEscape(s)) {
						t.Errorf("redirect %q contains a secret (%.12s…)", r, s)
					}
				}
			}
			if endSessions != 1 {
				t.Errorf("%d end-session redirects, want 1", endSessions)
			}
			for _, s := range secrets {
				for i, line := range strings.Split(logs, "\n") {
					if strings.Contains(line, s) {
						t.Errorf("log line %d contains a secret (%.12s…): %s", i, s, line)
					}
				}
				for _, msg := range errs {
					if strings.Contains(msg, s) {
						t.Errorf("OnError error %q contains a secret (%.12s…)", msg, s)
					}
				}
			}
		})
	}
}

// runFlows exercises every path that logs or redirects.
func runFlows(t *testing.T, e *env, pids []string) {
	t.Helper()
	b := e.browser()
	e.op.SetUser(testop.User{PID: pids[0], SID: "sid-a"})
	b.mustLogin("/login?return_to=/inbox", "/inbox")
	e.clock.Advance(100 * time.Second)
	if resp := b.get("/token"); resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: status %d", resp.StatusCode)
	}
	b.mustLogin("/login/step-up?return_to=/dialog/1", "/dialog/1")

	for _, m := range []testop.Misbehave{{Nonce: "x"}, {Expired: true}, {ACR: "idporten-loa-low"}, {UnknownKey: true}, {IDTokenAudience: "other"}} {
		e.op.Misbehave(m)
		if resp := e.browser().login("/login"); resp.StatusCode == http.StatusSeeOther {
			t.Fatalf("login with %+v succeeded", m)
		}
	}
	// A provider that echoes the code and a pid in its error_description.
	e.op.Misbehave(testop.Misbehave{CodeError: &testop.OAuthError{Status: 400, Code: "invalid_grant", Description: "code {code} of " + pids[0] + " is not valid"}})
	if resp := e.browser().login("/login"); resp.StatusCode == http.StatusSeeOther {
		t.Fatalf("login with a refused code succeeded")
	}
	e.op.Misbehave(testop.Misbehave{})
	e.op.SetUser(testop.User{PID: pids[2], SID: "sid-x"}) // not a valid pid: refused, and not logged
	if resp := e.browser().login("/login"); resp.StatusCode == http.StatusSeeOther {
		t.Fatalf("login with an invalid pid succeeded")
	}

	other := e.browser()
	e.op.SetUser(testop.User{PID: pids[1], SID: "sid-b"})
	other.mustLogin("/login", "/")
	e.op.Misbehave(testop.Misbehave{RefreshFails: true})
	e.clock.Advance(100 * time.Second)
	if resp := other.get("/token"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("failed refresh: status %d, want 401", resp.StatusCode)
	}
	e.op.Misbehave(testop.Misbehave{})
	other.do(http.MethodGet, "/me", http.Header{"Hx-Request": {"true"}, "Hx-Current-Url": {e.app.URL + "/inbox"}}, nil)

	third := e.browser()
	e.op.SetUser(testop.User{PID: pids[1], SID: "sid-c"})
	third.mustLogin("/login", "/")
	e.browser().get("/auth/frontchannel-logout?" + url.Values{"iss": {e.op.Issuer}, "sid": {"sid-c"}}.Encode())

	if resp := b.do(http.MethodPost, "/logout", nil, url.Values{}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
}
