package devidporten

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/innboks/innboks/internal/browsertest"
)

// TestBrowserLoginAndFrontChannelLogout drives Debian's Chromium through the picker and the
// end-session page: the CSP must let the form post redirect to the RP, and the logout page must
// load the front-channel iframe and then continue by meta refresh (the pages have no script).
func TestBrowserLoginAndFrontChannelLogout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox)
	actx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	verifier := oauth2.GenerateVerifier()
	authURL := e.oauthConfig(clientPost).AuthCodeURL("st-browser", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", "n-browser"))
	// The first Run starts the browser and must not carry a timeout.
	if err := chromedp.Do(browser, chromedp.Navigate(authURL)); err != nil {
		t.Fatalf("open authorize: %v", err)
	}
	ctx, cancel := context.WithTimeout(browser, browsertest.StepTimeout)
	defer cancel()
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="devidporten-picker"]`)),
		chromedp.Click(chromedp.CSS(`label[for="user-1"]`)),
		chromedp.Click(chromedp.CSS(`label[for="acr-high"]`)),
		chromedp.Click(chromedp.CSS(`button[value="login"]`)),
	)
	if err != nil {
		t.Fatalf("picker: %v", err)
	}
	callback := waitRP(t, e, "/callback")
	if callback.Query().Get("state") != "st-browser" || callback.Query().Get("iss") != e.p.Issuer() {
		t.Errorf("callback query = %v, want state and iss", callback.Query())
	}
	tok, err := e.exchange(t, clientPost, callback.Query().Get("code"), verifier)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	idToken := tok.Extra("id_token").(string)
	id := e.claims(t, clientPost, idToken)
	if id["pid"] != e.p.Users()[1].PID || id["acr"] != ACRHigh {
		t.Errorf("browser login: pid ok=%v acr=%v, want user 1 at high", id["pid"] == e.p.Users()[1].PID, id["acr"])
	}

	logoutURL := e.p.Issuer() + "/endsession?" + url.Values{"id_token_hint": {idToken}, "post_logout_redirect_uri": {e.rp.URL + "/logged-out"}, "state": {"bye"}}.Encode()
	if err := chromedp.Do(ctx, chromedp.Navigate(logoutURL)); err != nil {
		t.Fatalf("open end-session: %v", err)
	}
	landed := waitRP(t, e, "/logged-out")
	if landed.Query().Get("state") != "bye" {
		t.Errorf("post-logout redirect query = %v, want state=bye", landed.Query())
	}
	select {
	case hit := <-e.fcHits:
		if hit.Get("sid") != id["sid"] || hit.Get("iss") != e.p.Issuer() {
			t.Errorf("front-channel iframe called with %v, want the session's sid and iss", hit)
		}
	default:
		t.Errorf("the front-channel logout iframe was not loaded before the redirect")
	}
}

// waitRP waits for the browser to reach the RP page with path.
func waitRP(t *testing.T, e *env, path string) *url.URL {
	t.Helper()
	timeout := time.After(browsertest.StepTimeout)
	for {
		select {
		case u := <-e.rpHits:
			if u.Path == path {
				return u
			}
		case <-timeout:
			t.Fatalf("the browser never reached the RP's %s", path)
		}
	}
}
