package devidporten

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// loggedIn logs user 0 in to clientID in a fresh browser and returns the browser and id_token.
func loggedIn(t testing.TB, e *env, clientID string) (*http.Client, map[string]any, string) {
	t.Helper()
	browser := e.browser(t)
	ar, resp := e.authorize(t, browser, clientID, map[string]string{"login_hint": e.p.Users()[0].PID})
	tok, err := e.exchange(t, clientID, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	raw := tok.Extra("id_token").(string)
	return browser, e.claims(t, clientID, raw), raw
}

func TestEndSessionRedirectsToRegisteredURIWithState(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser, _, idToken := loggedIn(t, e, clientBasic)
	q := url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}, "state": {"bye-1"}}
	resp, err := browser.Get(e.p.Issuer() + "/endsession?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if want := e.rp.URL + "/logged-out?state=bye-1"; resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != want {
		t.Errorf("got %d to %q, want 302 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
	}
	// The SSO session is gone: the next login shows the picker.
	_, resp = e.authorize(t, browser, clientBasic, nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("authorize after logout: got %d, want 200 picker", resp.StatusCode)
	}

	// POST with client_id instead of id_token_hint works too.
	browser, _, _ = loggedIn(t, e, clientBasic)
	post, err := browser.PostForm(e.p.Issuer()+"/endsession", url.Values{"client_id": {clientBasic}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}, "state": {"bye-2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer post.Body.Close()
	if want := e.rp.URL + "/logged-out?state=bye-2"; post.Header.Get("Location") != want {
		t.Errorf("POST end-session: Location %q, want %q", post.Header.Get("Location"), want)
	}
}

func TestEndSessionRefusesUnregisteredRedirect(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser, _, idToken := loggedIn(t, e, clientBasic)
	cases := map[string]url.Values{
		"unregistered uri":           {"id_token_hint": {idToken}, "post_logout_redirect_uri": {"http://127.0.0.1:1/evil"}},
		"uri without client":         {"post_logout_redirect_uri": {e.rp.URL + "/logged-out"}},
		"client_id not the hint's":   {"id_token_hint": {idToken}, "client_id": {clientPost}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}},
		"hint signed by another key": {"id_token_hint": {tamper(idToken)}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}},
	}
	for name, q := range cases {
		resp, err := browser.Get(e.p.Issuer() + "/endsession?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("%s: got %d Location %q, want 400 and no redirect", name, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

// tamper breaks the signature of a JWT.
func tamper(jwt string) string {
	i := strings.LastIndex(jwt, ".")
	sig := []byte(jwt[i+1:])
	if sig[0] == 'A' {
		sig[0] = 'B'
	} else {
		sig[0] = 'A'
	}
	return jwt[:i+1] + string(sig)
}

func TestFrontChannelLogout(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []LogoutEvent
	e := setup(t, func(o *Options) {
		o.OnLogout = func(_ context.Context, ev LogoutEvent) {
			mu.Lock()
			defer mu.Unlock()
			events = append(events, ev)
		}
	})
	browser, id, idToken := loggedIn(t, e, clientPost)
	sid := id["sid"].(string)
	q := url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}, "state": {"s-9"}}
	resp, err := browser.Get(e.p.Issuer() + "/endsession?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("end-session with a front-channel client: got %d, want 200 page", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-src "+e.rp.URL) || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q, want frame-src %s and no unsafe-inline", csp, e.rp.URL)
	}
	doc := page(t, resp)
	_ = resp.Body.Close()
	src, _ := doc.Find(`iframe[data-testid="frontchannel-logout"]`).Attr("src")
	u, err := url.Parse(src)
	if err != nil || u.Scheme+"://"+u.Host+u.Path != e.rp.URL+"/frontchannel" || u.Query().Get("iss") != e.p.Issuer() || u.Query().Get("sid") != sid {
		t.Errorf("iframe src = %q, want the front-channel URI with iss=%s and the id_token's sid", src, e.p.Issuer())
	}
	if doc.Find("script").Length() != 0 {
		t.Errorf("logout page has a script element")
	}
	refresh, _ := doc.Find(`meta[http-equiv=refresh]`).Attr("content")
	wantTarget := e.rp.URL + "/logged-out?state=s-9"
	if !strings.HasSuffix(refresh, "url="+wantTarget) {
		t.Errorf("meta refresh = %q, want it to continue to %q", refresh, wantTarget)
	}
	if href, _ := doc.Find(`a[data-testid="continue"]`).Attr("href"); href != wantTarget {
		t.Errorf("continue link = %q, want %q", href, wantTarget)
	}

	mu.Lock()
	got := append([]LogoutEvent(nil), events...)
	mu.Unlock()
	if len(got) != 1 || got[0].SID != sid || got[0].ClientID != clientPost || len(got[0].FrontChannelURLs) != 1 || got[0].FrontChannelURLs[0] != src {
		t.Fatalf("OnLogout events = %+v, want one with the sid, the client and the iframe URL", got)
	}
	// The programmatic hook: call the URLs as the iframes would.
	if err := CallFrontChannel(t.Context(), e.rp.Client(), got[0]); err != nil {
		t.Fatal(err)
	}
	hit := <-e.fcHits
	if hit.Get("sid") != sid || hit.Get("iss") != e.p.Issuer() {
		t.Errorf("RP front-channel call got %v, want iss and sid", hit)
	}
}

func TestProgrammaticLogout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser, id, _ := loggedIn(t, e, clientPost)
	ev, ok := e.p.Logout(t.Context(), id["sid"].(string))
	if !ok || len(ev.FrontChannelURLs) != 1 || !strings.Contains(ev.FrontChannelURLs[0], "sid=") {
		t.Fatalf("Logout = %+v, %v; want the session's front-channel URL", ev, ok)
	}
	if _, ok := e.p.Logout(t.Context(), id["sid"].(string)); ok {
		t.Errorf("second Logout of the same sid reported a session")
	}
	_, resp := e.authorize(t, browser, clientPost, nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("authorize after Logout: got %d, want the picker", resp.StatusCode)
	}
}
