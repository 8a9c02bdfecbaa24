package auth_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/internal/testop"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/internal/redistest"
)

// loginCookieOf returns the one login cookie resp sets, failing t otherwise.
func loginCookieOf(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	var found []*http.Cookie
	for _, c := range resp.Cookies() {
		if strings.Contains(c.Name, "innboks-login") && c.MaxAge > 0 {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		t.Fatalf("GET /login set %d login cookies (%q), want 1", len(found), resp.Header.Values("Set-Cookie"))
	}
	return found[0]
}

// TestLoginCookieHoldsThePendingLogin: GET /login leaves nothing on the server (Redis holds no
// key) and sets one short-lived login cookie, named after the state, HttpOnly, SameSite=Lax,
// Path=/, with the __Host- prefix and Secure over https and a plain name on http localhost, as
// the session cookie; its value shows none of what it carries.
func TestLoginCookieHoldsThePendingLogin(t *testing.T) {
	t.Parallel()
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[secure], func(t *testing.T) {
			t.Parallel()
			var key redisstore.Key
			rand.Read(key[:])
			prefix := redistest.Prefix()
			e := newEnvWithStore(t, newRedisStore(t, prefix, key), func(c *auth.Config, _ *testop.Config) { c.SecureCookies = secure })
			b := e.browser()
			returnTo := "/inbox?party=0190c6a2-0000-7000-8000-00000000abcd"
			resp := b.get("/login?" + url.Values{"return_to": {returnTo}}.Encode())
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("GET /login: status %d", resp.StatusCode)
			}
			loc, _ := url.Parse(resp.Header.Get("Location"))
			state, nonce := loc.Query().Get("state"), loc.Query().Get("nonce")

			c := loginCookieOf(t, resp)
			wantName := regexp.MustCompile(`^innboks-login-[A-Za-z0-9_-]{8}$`)
			if secure {
				wantName = regexp.MustCompile(`^__Host-innboks-login-[A-Za-z0-9_-]{8}$`)
			}
			if !wantName.MatchString(c.Name) || c.Secure != secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode ||
				c.Path != "/" || c.Domain != "" || c.MaxAge != 600 {
				t.Errorf("login cookie %s: want name %s, Secure=%v, HttpOnly, SameSite=Lax, Path=/, no Domain, Max-Age=600", c, wantName, secure)
			}
			for what, v := range map[string]string{"state": state, "nonce": nonce, "return_to": "0190c6a2", "acr": "loa"} {
				if strings.Contains(c.Name+c.Value, v) {
					t.Errorf("login cookie shows the %s", what)
				}
			}
			if raw, err := base64.RawURLEncoding.DecodeString(c.Value); err != nil || strings.Contains(string(raw), returnTo) {
				t.Errorf("login cookie value is not sealed base64url: %v", err)
			}

			keys, err := redisServer.Client().Keys(context.Background(), prefix+"*").Result()
			if err != nil {
				t.Fatal(err)
			}
			if len(keys) != 0 {
				t.Errorf("Redis holds %q after GET /login, want nothing", keys)
			}

			// The login completes from the cookie alone, and the callback clears it.
			cb, err := url.Parse(b.get(resp.Header.Get("Location")).Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			done := b.get(cb.String())
			if done.StatusCode != http.StatusSeeOther || done.Header.Get("Location") != returnTo {
				t.Fatalf("callback: status %d → %q, want 303 → %s; errors %v", done.StatusCode, done.Header.Get("Location"), returnTo, e.errors())
			}
			cleared := false
			for _, ck := range done.Cookies() {
				cleared = cleared || (ck.Name == c.Name && ck.MaxAge < 0)
			}
			if !cleared {
				t.Errorf("the callback did not clear %s: %q", c.Name, done.Header.Values("Set-Cookie"))
			}
		})
	}
}

// TestLoginInParallelTabs: logins started in several tabs of one browser each complete, in
// any order, up to three; a fourth start drops the oldest.
func TestLoginInParallelTabs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	b := e.browser()
	var cbs []*url.URL
	for i := range 4 {
		cbs = append(cbs, b.startLogin("/login?return_to=/tab/"+string(rune('0'+i))))
	}
	for _, i := range []int{2, 1, 3} {
		resp := b.get(cbs[i].String())
		if want := "/tab/" + string(rune('0'+i)); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("tab %d: status %d → %q, want 303 → %s; errors %v", i, resp.StatusCode, resp.Header.Get("Location"), want, e.errors())
		}
	}
	before := len(e.errors())
	assertRejectedKeepingSession(t, e, b.get(cbs[0].String()), before, auth.KindState)
	if n := len(b.cookies()); n != 1 {
		t.Errorf("the browser holds %d cookies after the logins, want only the session cookie: %v", n, b.cookies())
	}
}

// assertRejectedKeepingSession checks that the callback answer went through OnError with kind
// (the browser may keep a session of an earlier login).
func assertRejectedKeepingSession(t *testing.T, e *env, resp *http.Response, before int, kind auth.ErrorKind) {
	t.Helper()
	errs := e.errors()
	if resp.StatusCode < 400 || len(errs) != before+1 || errs[len(errs)-1].Kind != kind {
		t.Errorf("callback: status %d, errors %v; want one of kind %v", resp.StatusCode, errs[before:], kind)
	}
}

// TestLoginCookieRefused: a login cookie that is tampered with, moved to another state's name,
// or older than ten minutes does not complete the login (KindState), and nothing is asked of
// the provider's token endpoint.
func TestLoginCookieRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		tamper func(e *env, b *browser, own, other *http.Cookie)
	}{
		{"tampered", func(_ *env, b *browser, own, _ *http.Cookie) {
			v := []byte(own.Value)
			v[len(v)/2] ^= 1
			b.setCookie(own.Name, string(v))
		}},
		{"moved to another state", func(_ *env, b *browser, own, other *http.Cookie) {
			b.setCookie(own.Name, other.Value)
		}},
		{"expired", func(e *env, _ *browser, _, _ *http.Cookie) { e.clock.Advance(10*time.Minute + time.Second) }},
		{"not base64", func(_ *env, b *browser, own, _ *http.Cookie) { b.setCookie(own.Name, "!!") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, "memory")
			b := e.browser()
			start := func() (*http.Cookie, *url.URL) {
				resp := b.get("/login")
				c := loginCookieOf(t, resp)
				cb, _ := url.Parse(b.get(resp.Header.Get("Location")).Header.Get("Location"))
				return c, cb
			}
			own, cb := start()
			other, _ := start()
			tc.tamper(e, b, own, other)
			resp := b.get(cb.String())
			assertRejected(t, e, b, resp, 0, auth.KindState, http.StatusBadRequest)
			if n := len(e.op.TokenRequests()); n != 0 {
				t.Errorf("%d token requests, want none", n)
			}
		})
	}
}

// setCookie plants a cookie for the app, as an attacker or a copied cookie would.
func (b *browser) setCookie(name, value string) {
	u, _ := url.Parse(b.e.app.URL)
	b.c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// TestLoginAcrossInstances: with Redis, the login cookie's key comes from the session keys
// (SESSION_ENCRYPTION_KEYS): a login started at one instance completes at another with the same
// key, and not at one with another key.
func TestLoginAcrossInstances(t *testing.T) {
	t.Parallel()
	var key, otherKey redisstore.Key
	rand.Read(key[:])
	rand.Read(otherKey[:])
	prefix := redistest.Prefix()
	e := newEnvWithStore(t, newRedisStore(t, prefix, key))
	instance := func(k redisstore.Key) string {
		rp, err := auth.New(t.Context(), e.cfg, newRedisStore(t, prefix, k))
		if err != nil {
			t.Fatal(err)
		}
		mux := http.NewServeMux()
		e.mount(mux, rp)
		return newServer(t, e.record(mux)) // another port of 127.0.0.1: the browser sends it the same cookies
	}
	same, other := instance(key), instance(otherKey)

	b := e.browser()
	resp := b.get(b.startLogin(same + "/login?return_to=/inbox").String())
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inbox" {
		t.Errorf("login started at another instance with the same key: status %d → %q; errors %v", resp.StatusCode, resp.Header.Get("Location"), e.errors())
	}
	b = e.browser()
	before := len(e.errors())
	assertRejected(t, e, b, b.get(b.startLogin(other+"/login").String()), before, auth.KindState, http.StatusBadRequest)
}

// TestLoginReturnToBounded: a return_to too long for the login cookie is replaced by "/".
func TestLoginReturnToBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, "memory")
	ok := "/inbox?q=" + strings.Repeat("a", 1000)
	e.browser().mustLogin("/login?"+url.Values{"return_to": {ok}}.Encode(), ok)
	long := "/inbox?q=" + strings.Repeat("a", 1100)
	e.browser().mustLogin("/login?"+url.Values{"return_to": {long}}.Encode(), "/")
}
