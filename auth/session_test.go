package auth_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
)

// wantLoginRedirect checks that resp sends the browser to log in and come back to returnTo.
func wantLoginRedirect(t *testing.T, resp *http.Response, returnTo string) {
	t.Helper()
	want := "/login?" + url.Values{"return_to": {returnTo}}.Encode()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
		t.Errorf("status %d Location %q, want 303 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
}

func TestRequireWithoutSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	wantLoginRedirect(t, b.get("/me?tab=2"), "/me?tab=2")

	resp := b.do(http.MethodGet, "/me", http.Header{"Hx-Request": {"true"}, "Hx-Current-Url": {e.app.URL + "/inbox?page=3"}}, nil)
	want := "/login?" + url.Values{"return_to": {"/inbox?page=3"}}.Encode()
	if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("HX-Redirect") != want || resp.Header.Get("Location") != "" {
		t.Errorf("htmx request: status %d HX-Redirect %q Location %q, want 401 with HX-Redirect %q",
			resp.StatusCode, resp.Header.Get("HX-Redirect"), resp.Header.Get("Location"), want)
	}
	resp = b.do(http.MethodGet, "/me", http.Header{"Hx-Request": {"true"}, "Hx-Current-Url": {"https://evil.example//evil.example/x"}}, nil)
	if got := resp.Header.Get("HX-Redirect"); got != "/login?return_to=%2F" {
		t.Errorf("htmx request from a hostile current URL: HX-Redirect %q, want /login?return_to=%%2F", got)
	}
	if got := body(b.get("/public")); got != "anonymous" {
		t.Errorf("Optional without session: %q, want anonymous", got)
	}
	b.setSessionCookie("not-a-session-id")
	wantLoginRedirect(t, b.get("/me"), "/me")
}

func TestOptionalWithSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.mustLogin("/login", "/")
	if got := body(b.get("/public")); got != "session" {
		t.Errorf("Optional with a session: %q, want session", got)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			b.mustLogin("/login", "/")
			old := b.sessionCookie()

			resp := b.do(http.MethodPost, "/logout", nil, url.Values{})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("POST /logout: status %d, want 303", resp.StatusCode)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil || loc.Scheme+"://"+loc.Host+loc.Path != e.op.Issuer+"/logout" {
				t.Fatalf("logout Location %q, want the end_session_endpoint %s/logout", resp.Header.Get("Location"), e.op.Issuer)
			}
			q := loc.Query()
			idTokens := issuedWithPrefix(e.op.Issued(), "ey")
			if len(idTokens) != 1 || q.Get("id_token_hint") != idTokens[0] {
				t.Errorf("id_token_hint is not the session's ID token")
			}
			if q.Get("post_logout_redirect_uri") != e.cfg.PostLogoutURL || q.Get("client_id") != clientID || len(q.Get("state")) < 32 {
				t.Errorf("end-session query %v: want post_logout_redirect_uri %s, client_id, a random state", keys(q), e.cfg.PostLogoutURL)
			}
			cleared := false
			for _, c := range resp.Cookies() {
				if c.Name == "innboks" && c.MaxAge < 0 && c.Value == "" {
					cleared = true
				}
			}
			if !cleared {
				t.Errorf("logout did not clear the session cookie: %v", resp.Header.Values("Set-Cookie"))
			}
			// The old cookie, replayed from elsewhere, is useless.
			thief := e.browser()
			thief.setSessionCookie(old)
			wantLoginRedirect(t, thief.get("/me"), "/me")
			wantLoginRedirect(t, b.get("/me"), "/me")
		})
	}
}

func TestLogoutWithoutIDTokenHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory", func(c *auth.Config, _ *testop.Config) { c.DisableIDTokenHint = true })
	b := e.browser()
	b.mustLogin("/login", "/")
	loc, _ := url.Parse(b.do(http.MethodPost, "/logout", nil, url.Values{}).Header.Get("Location"))
	if q := loc.Query(); q.Has("id_token_hint") || q.Get("client_id") != clientID {
		t.Errorf("end-session query %v: want client_id and no id_token_hint", keys(q))
	}
}

// A provider that cannot revoke does not stop the logout: the session ends here and at
// ID-porten, and the failure is logged without the token.
func TestLogoutWhenRevocationFails(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.mustLogin("/login", "/")
	e.op.Misbehave(testop.Misbehave{RevokeDown: true})
	resp := b.do(http.MethodPost, "/logout", nil, url.Values{})
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || loc.Path != "/logout" {
		t.Fatalf("logout with revocation down: status %d Location %q, want 303 to the end-session endpoint", resp.StatusCode, resp.Header.Get("Location"))
	}
	if rr := e.op.RevokeRequests(); len(rr) != 1 || rr[0].Status != http.StatusServiceUnavailable {
		t.Fatalf("revocation requests: %+v, want one answered 503", rr)
	}
	wantLoginRedirect(t, b.get("/me"), "/me")
	logs := e.logs.String()
	if !strings.Contains(logs, "refresh token not revoked at logout") {
		t.Errorf("the failed revocation was not logged")
	}
	for _, secret := range issuedWithPrefix(e.op.Issued(), "rt-") {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains a refresh token")
		}
	}
}

func TestLogoutWithoutSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	resp := e.browser().do(http.MethodPost, "/logout", nil, url.Values{})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != e.cfg.PostLogoutURL {
		t.Errorf("logout without a session: status %d Location %q, want 303 to %s", resp.StatusCode, resp.Header.Get("Location"), e.cfg.PostLogoutURL)
	}
}

func TestFrontChannelLogout(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			login := func(sid string) *browser {
				e.op.SetUser(testop.User{PID: "24079409630", SID: sid})
				b := e.browser()
				b.mustLogin("/login", "/")
				return b
			}
			a1, a2, other := login("sid-a"), login("sid-a"), login("sid-b")
			idp := e.browser() // ID-porten's iframe: no cookies of ours

			for _, q := range []url.Values{
				{"sid": {"sid-a"}}, // no iss
				{"iss": {"https://evil.example"}, "sid": {"sid-a"}}, // another issuer
				{"iss": {e.op.Issuer}},                              // no sid
			} {
				resp := idp.get("/auth/frontchannel-logout?" + q.Encode())
				if resp.StatusCode != http.StatusBadRequest {
					t.Errorf("front-channel logout %v: status %d, want 400", q, resp.StatusCode)
				}
			}
			if m, _ := a1.me(); m == nil {
				t.Fatalf("a refused front-channel logout ended a session")
			}

			// ID-porten's iss carries a trailing slash in its documentation's example.
			resp := idp.get("/auth/frontchannel-logout?" + url.Values{"iss": {e.op.Issuer + "/"}, "sid": {"sid-a"}}.Encode())
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("front-channel logout: status %d Cache-Control %q, want 200 no-store", resp.StatusCode, resp.Header.Get("Cache-Control"))
			}
			for name, b := range map[string]*browser{"a1": a1, "a2": a2} {
				if m, _ := b.me(); m != nil {
					t.Errorf("session %s of sid-a survived front-channel logout", name)
				}
			}
			if m, _ := other.me(); m == nil || m.SID != "sid-b" {
				t.Errorf("session of sid-b = %+v, want it untouched", m)
			}
			// Their refresh tokens are revoked (ID-porten's logout leaves them valid); the
			// other sid's is not.
			rts := issuedWithPrefix(e.op.Issued(), "rt-") // a1, a2, other: one each, in order
			if len(rts) != 3 {
				t.Fatalf("%d refresh tokens issued, want 3", len(rts))
			}
			var revoked []string
			for _, r := range e.op.RevokeRequests() {
				if r.Status == http.StatusOK {
					revoked = append(revoked, r.Form.Get("token"))
				}
			}
			slices.Sort(revoked)
			want := []string{rts[0], rts[1]}
			slices.Sort(want)
			if !slices.Equal(revoked, want) {
				t.Errorf("revoked %d refresh tokens, want exactly those of sid-a's two sessions", len(revoked))
			}
			if e.op.RefreshTokenValid(rts[0]) || e.op.RefreshTokenValid(rts[1]) || !e.op.RefreshTokenValid(rts[2]) {
				t.Errorf("after front-channel logout: sid-a's refresh tokens valid %v %v, sid-b's %v; want false false true",
					e.op.RefreshTokenValid(rts[0]), e.op.RefreshTokenValid(rts[1]), e.op.RefreshTokenValid(rts[2]))
			}
		})
	}
}

func TestIdleTimeout(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			b.mustLogin("/login", "/")
			for i := range 3 { // activity keeps it alive well past one idle period
				e.clock.Advance(29 * time.Minute)
				if m, _ := b.me(); m == nil {
					t.Fatalf("session ended after %d active periods of 29 min, want it alive", i+1)
				}
			}
			e.clock.Advance(30 * time.Minute)
			wantLoginRedirect(t, b.get("/me"), "/me")
			e.clock.Advance(-30 * time.Minute) // back in time: the session must be gone, not just expired
			wantLoginRedirect(t, b.get("/me"), "/me")
		})
	}
}

func TestAbsoluteTimeout(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			b.mustLogin("/login", "/")
			for range 5 { // active every 20 min up to 100 min
				e.clock.Advance(20 * time.Minute)
				if m, _ := b.me(); m == nil {
					t.Fatalf("active session ended before the absolute timeout")
				}
			}
			e.clock.Advance(19 * time.Minute) // 119 min
			if m, _ := b.me(); m == nil {
				t.Fatalf("active session ended at 119 min, want it alive until 120")
			}
			e.clock.Advance(time.Minute) // 120 min, active all along
			wantLoginRedirect(t, b.get("/me"), "/me")
		})
	}
}

// TestRefreshOnce sends 20 concurrent requests that need a token, split over two instances
// that share the store, when the access token is about to expire: one refresh, one token.
func TestRefreshOnce(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			second := newAppServer(t, e)
			b := e.browser()
			b.mustLogin("/login", "/")
			first := body(b.get("/token"))
			if e.op.Refreshes() != 0 || !strings.HasPrefix(first, "at-") {
				t.Fatalf("fresh token %q after %d refreshes, want the login's token and no refresh", first, e.op.Refreshes())
			}

			e.op.Misbehave(testop.Misbehave{RefreshDelay: 200 * time.Millisecond})
			e.clock.Advance(95 * time.Second) // 25 s left: inside RefreshAhead (30 s)
			var wg sync.WaitGroup
			got := make([]string, 20)
			for i := range got {
				wg.Go(func() {
					target := "/token"
					if i%2 == 1 {
						target = second + "/token"
					}
					resp := b.get(target)
					got[i] = fmt.Sprintf("%d %s", resp.StatusCode, body(resp))
				})
			}
			wg.Wait()
			if n := e.op.Refreshes(); n != 1 {
				t.Errorf("%d refreshes for 20 concurrent calls on two instances, want 1", n)
			}
			for i, g := range got {
				if g != got[0] || !strings.HasPrefix(g, "200 at-") || g == "200 "+first {
					t.Errorf("call %d got %q, want every call to get the one new token (call 0: %q)", i, g, got[0])
				}
			}
			// The rotated refresh token was stored: the next refresh works (the old one is dead).
			e.clock.Advance(95 * time.Second)
			if resp := b.get("/token"); resp.StatusCode != http.StatusOK || e.op.Refreshes() != 2 {
				t.Errorf("second refresh: status %d, %d refreshes; want 200 and 2", resp.StatusCode, e.op.Refreshes())
			}
		})
	}
}

// newAppServer mounts a second relying party (another instance) over e's store and provider.
func newAppServer(t *testing.T, e *env) string {
	mux := http.NewServeMux()
	e.mount(mux, e.newRP())
	srv := newServer(t, e.record(mux))
	return srv
}

func TestRefreshFailureEndsSession(t *testing.T) {
	t.Parallel()
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, kind)
			b := e.browser()
			b.mustLogin("/login", "/")
			e.op.Misbehave(testop.Misbehave{RefreshFails: true})
			e.clock.Advance(100 * time.Second)
			if resp := b.get("/token"); resp.StatusCode != http.StatusUnauthorized || body(resp) != "session ended\n" {
				t.Errorf("GET /token with a failing refresh: status %d, want 401 session ended (ErrSessionEnded)", resp.StatusCode)
			}
			wantLoginRedirect(t, b.get("/me"), "/me")
		})
	}
}

func TestSaveKeepsRotatedTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.mustLogin("/login", "/")
	// A request loads the session, then a concurrent one refreshes (rotating the refresh
	// token), then the first saves its stale copy with a new Lang.
	stale := &auth.Session{ID: b.sessionCookie(), CreatedAt: e.clock.Now(), AccessToken: "stale-at",
		RefreshToken: "stale-rt", Lang: "nn", PartyUUID: "party-9"}
	e.clock.Advance(100 * time.Second)
	if resp := b.get("/token"); resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: status %d", resp.StatusCode)
	}
	if err := e.rp.Save(t.Context(), stale); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if m, _ := b.me(); m == nil || m.Lang != "nn" || m.Party != "party-9" {
		t.Errorf("session after Save = %+v, want lang nn party party-9", m)
	}
	e.clock.Advance(100 * time.Second)
	if resp := b.get("/token"); resp.StatusCode != http.StatusOK || strings.HasPrefix(body(resp), "stale") {
		t.Errorf("refresh after Save: status %d, want 200 with a new token (Save must not write back old tokens)", resp.StatusCode)
	}
	if n := e.op.Refreshes(); n != 2 {
		t.Errorf("%d refreshes, want 2", n)
	}
}

func TestSessionNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	s := &auth.Session{ID: "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", PID: "24079409630", ACR: auth.ACRHigh,
		AccessToken: "at-SECRET", RefreshToken: "rt-SECRET", IDToken: "eyJ-SECRET"}
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("x", "session", s, "value", *s)
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "session", s)
	out := buf.String() + fmt.Sprintf("%v %+v %#v %s %v %+v %#v", s, s, s, s, *s, *s, *s)
	for _, secret := range []string{"SECRET", "24079409630", s.ID} {
		if strings.Contains(out, secret) {
			t.Errorf("%q printed: %s", secret, out)
		}
	}
	if !strings.Contains(out, auth.ACRHigh) || !strings.Contains(out, s.ID[:8]) {
		t.Errorf("session printed without its acr or short id: %s", out)
	}
}

func issuedWithPrefix(all []string, prefix string) []string {
	var out []string
	for _, v := range all {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}

// TestRefreshWhileProviderDown keeps using a still-valid token when ID-porten cannot refresh
// it, and ends the session once the token has expired.
func TestRefreshWhileProviderDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	b.mustLogin("/login", "/")
	current := body(b.get("/token"))
	e.op.Misbehave(testop.Misbehave{RefreshDown: true})
	e.clock.Advance(100 * time.Second) // 20 s left
	if resp := b.get("/token"); resp.StatusCode != http.StatusOK || body(resp) != current {
		t.Errorf("refresh with the provider down, token still valid: status %d, want 200 with the current token", resp.StatusCode)
	}
	e.clock.Advance(25 * time.Second) // expired
	if resp := b.get("/token"); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("refresh with the provider down, token expired: status %d, want 401 (session ended)", resp.StatusCode)
	}
	wantLoginRedirect(t, b.get("/me"), "/me")
}

func TestSessionTimedOut(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	idle, absolute := 30*time.Minute, 2*time.Hour
	for _, tc := range []struct {
		name     string
		lastSeen time.Duration // after start
		at       time.Duration // after start
		want     bool
	}{
		{"fresh", 0, time.Minute, false},
		{"idle just under", 0, idle - time.Second, false},
		{"idle reached", 0, idle, true},
		{"kept busy, under absolute", absolute - 10*time.Minute, absolute - time.Second, false},
		{"kept busy, absolute reached", absolute - 10*time.Minute, absolute, true},
	} {
		s := &auth.Session{CreatedAt: start, LastSeen: start.Add(tc.lastSeen)}
		if got := s.TimedOut(start.Add(tc.at), idle, absolute); got != tc.want {
			t.Errorf("%s: TimedOut = %v, want %v", tc.name, got, tc.want)
		}
	}
}
