package devidporten

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestCodeRedeemedOnceUnderConcurrency sends the same code ten times at once: exactly one
// exchange may succeed.
func TestCodeRedeemedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.authorize(t, e.browser(t), clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
	code := e.mustCallback(t, ar, resp)
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {ar.verifier}, "redirect_uri": {e.rp.URL + "/callback"}}
	if got := raceToken(t, e, clientBasic, form); got != 1 {
		t.Errorf("successful code exchanges = %d, want 1", got)
	}
}

// login runs a login_hint authorization and returns the result and response.
func (e *env) login(t testing.TB, clientID string) (*authResult, *http.Response) {
	t.Helper()
	return e.authorize(t, e.browser(t), clientID, map[string]string{"login_hint": e.p.Users()[0].PID})
}

// TestRefreshRotatedOnceUnderConcurrency: ten parallel refreshes with one token, one wins.
func TestRefreshRotatedOnceUnderConcurrency(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.login(t, clientBasic)
	tok, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}
	if got := raceToken(t, e, clientBasic, form); got != 1 {
		t.Errorf("successful refreshes = %d, want 1", got)
	}
}

// raceToken posts form (with clientID's credentials) ten times concurrently and counts the
// 200 answers.
func raceToken(t *testing.T, e *env, clientID string, form url.Values) int {
	t.Helper()
	bodies := make([]string, 10)
	for i := range bodies {
		f := url.Values{}
		for k, v := range form {
			f[k] = append([]string(nil), v...)
		}
		if clientID == clientPost {
			f.Set("client_id", clientPost)
			f.Set("client_secret", "s3cret-post")
		}
		bodies[i] = f.Encode()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for _, body := range bodies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.p.Issuer()+"/token", strings.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if clientID == clientBasic {
				req.SetBasicAuth(clientBasic, "s3cret-basic")
			}
			resp, err := e.idp.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return ok
}

func TestCodeExpiresAfter60Seconds(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.login(t, clientBasic)
	code := e.mustCallback(t, ar, resp)
	e.clock.Add(61 * time.Second)
	if _, err := e.exchange(t, clientBasic, code, ar.verifier); err == nil {
		t.Errorf("exchange of a 61 s old code succeeded, want invalid_grant")
	}
}

func TestSSOSessionIdleTimeout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser := e.browser(t)
	ar, resp := e.authorize(t, browser, clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
	e.mustCallback(t, ar, resp)

	e.clock.Add(29 * time.Minute)
	ar, resp = e.authorize(t, browser, clientBasic, nil)
	e.mustCallback(t, ar, resp) // still inside the 30 min idle window: SSO

	e.clock.Add(31 * time.Minute)
	_, resp = e.authorize(t, browser, clientBasic, nil)
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after 31 idle minutes: got %d, want the picker", resp.StatusCode)
	}
}

func TestRevokeRefreshToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.login(t, clientPost)
	tok, err := e.exchange(t, clientPost, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"token": {tok.RefreshToken}, "client_id": {clientPost}, "client_secret": {"s3cret-post"}}
	rr, err := e.idp.Client().PostForm(e.p.Issuer()+"/revoke", form)
	if err != nil {
		t.Fatal(err)
	}
	_ = rr.Body.Close()
	if rr.StatusCode != http.StatusOK {
		t.Fatalf("revoke: got %d, want 200", rr.StatusCode)
	}
	status, body := e.postToken(t, clientPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke: got %d %v, want 400 invalid_grant", status, body["error"])
	}
}

func TestLogoutKeepsAPITokensButRevokesIdentityOnly(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser := e.browser(t)
	// One login with API scopes, one identity-only, in the same SSO session.
	ar, resp := e.authorize(t, browser, clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
	api, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	ar2, resp := e.authorize(t, browser, clientPost, map[string]string{"scope": "openid profile"})
	idOnly, err := e.exchange(t, clientPost, e.mustCallback(t, ar2, resp), ar2.verifier)
	if err != nil {
		t.Fatal(err)
	}
	id := e.claims(t, clientBasic, api.Extra("id_token").(string))
	if _, ok := e.p.Logout(t.Context(), id["sid"].(string)); !ok {
		t.Fatal("Logout found no session")
	}
	if status, _ := e.postToken(t, clientBasic, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {api.RefreshToken}}); status != http.StatusOK {
		t.Errorf("API-scoped refresh after logout: got %d, want 200 (ID-porten keeps them)", status)
	}
	if status, _ := e.postToken(t, clientPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {idOnly.RefreshToken}}); status != http.StatusBadRequest {
		t.Errorf("identity-only refresh after logout: got %d, want 400", status)
	}
}
