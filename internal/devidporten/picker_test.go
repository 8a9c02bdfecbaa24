package devidporten

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestPickerRendersUsersAndPostsBack(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser := e.browser(t)
	ar, resp := e.authorize(t, browser, clientBasic, map[string]string{"acr_values": ACRSubstantial, "ui_locales": "nn"})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("authorize without login_hint: got %d, want 200 picker", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "form-action 'self' "+e.rp.URL) {
		t.Errorf("CSP = %q, want default-src 'none', no unsafe-inline, form-action self and the RP", csp)
	}
	doc := page(t, resp)
	if lang, _ := doc.Find("html").Attr("lang"); lang != "nn" {
		t.Errorf("html lang = %q, want nn (from ui_locales)", lang)
	}
	if n := doc.Find("script").Length(); n != 0 {
		t.Errorf("picker has %d script elements, want 0", n)
	}
	if n := doc.Find("[style]").Length(); n != 0 {
		t.Errorf("picker has %d inline styles, want 0", n)
	}
	users := doc.Find(`[data-testid="user"]`)
	if users.Length() != len(e.p.Users()) {
		t.Fatalf("picker lists %d users, want %d", users.Length(), len(e.p.Users()))
	}
	users.Each(func(i int, s *goquery.Selection) {
		u := e.p.Users()[i]
		if text := s.Text(); !strings.Contains(text, u.Name) || !strings.Contains(text, u.Description) || !strings.Contains(text, u.PID) {
			t.Errorf("user %d text = %q, want name, description and synthetic pid", i, text)
		}
	})
	// Every input has a label, and no attribute carries a pid.
	doc.Find("input[type=radio]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("id")
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("input %q has no label", id)
		}
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			for _, u := range e.p.Users() {
				if strings.Contains(a.Val, u.PID) {
					t.Errorf("attribute %s carries a pid", a.Key)
				}
			}
		}
	})
	if got := doc.Find(`input[name=acr]`).Length(); got != 2 {
		t.Errorf("acr choices = %d, want 2 (substantial, high)", got)
	}
	if v, _ := doc.Find(`input[name=acr][checked]`).Attr("value"); v != ACRSubstantial {
		t.Errorf("preselected acr = %q, want the requested %q", v, ACRSubstantial)
	}

	// Post the form back as a browser would: user 1 at high.
	form := url.Values{"action": {"login"}, "user": {"1"}, "acr": {ACRHigh}}
	doc.Find("form input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		val, _ := s.Attr("value")
		form.Set(name, val)
	})
	action, _ := doc.Find("form").Attr("action")
	post, err := browser.PostForm(action, form)
	if err != nil {
		t.Fatal(err)
	}
	defer post.Body.Close()
	loc, _ := url.Parse(post.Header.Get("Location"))
	ar.query = loc.Query()
	tok, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, post), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	id := e.claims(t, clientBasic, tok.Extra("id_token").(string))
	if id["pid"] != e.p.Users()[1].PID || id["acr"] != ACRHigh || id["locale"] != "nn" {
		t.Errorf("id_token pid ok=%v acr=%v locale=%v, want user 1, high, nn", id["pid"] == e.p.Users()[1].PID, id["acr"], id["locale"])
	}
}

func TestPickerRefusesLowerLevelAndCancels(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser := e.browser(t)
	_, resp := e.authorize(t, browser, clientBasic, map[string]string{"acr_values": ACRHigh})
	doc := page(t, resp)
	if got := doc.Find(`input[name=acr]`).Length(); got != 1 {
		t.Errorf("acr choices when high is requested = %d, want 1", got)
	}
	reqID, _ := doc.Find(`input[name=id]`).Attr("value")

	post, err := browser.PostForm(e.p.Issuer()+"/login", url.Values{"id": {reqID}, "user": {"0"}, "acr": {ACRSubstantial}, "action": {"login"}})
	if err != nil {
		t.Fatal(err)
	}
	defer post.Body.Close()
	if post.StatusCode != http.StatusUnprocessableEntity || page(t, post).Find(`[data-testid="picker-error"]`).Length() != 1 {
		t.Errorf("lower acr: got %d, want 422 with an error message", post.StatusCode)
	}

	ar, resp := e.authorize(t, browser, clientBasic, nil)
	reqID, _ = page(t, resp).Find(`input[name=id]`).Attr("value")
	cancel, err := browser.PostForm(e.p.Issuer()+"/login", url.Values{"id": {reqID}, "action": {"cancel"}})
	if err != nil {
		t.Fatal(err)
	}
	defer cancel.Body.Close()
	loc, _ := url.Parse(cancel.Header.Get("Location"))
	q := loc.Query()
	if q.Get("error") != "access_denied" || q.Get("state") != ar.state || q.Get("iss") != e.p.Issuer() {
		t.Errorf("cancel: callback query = %v, want access_denied with state and iss", q)
	}
}

func TestSingleSignOn(t *testing.T) {
	t.Parallel()
	e := setup(t)
	browser := e.browser(t)
	ar, resp := e.authorize(t, browser, clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
	tok, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	first := e.claims(t, clientBasic, tok.Extra("id_token").(string))

	// A second client in the same browser gets in without the picker, in the same session.
	ar, resp = e.authorize(t, browser, clientPost, nil)
	tok, err = e.exchange(t, clientPost, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	second := e.claims(t, clientPost, tok.Extra("id_token").(string))
	if second["sid"] != first["sid"] || second["pid"] != first["pid"] || second["auth_time"] != first["auth_time"] {
		t.Errorf("SSO login: sid/pid/auth_time differ from the first login")
	}
	if second["sub"] == first["sub"] {
		t.Errorf("sub is the same for two clients, want pairwise pseudonyms")
	}

	// prompt=login and a higher level than the session's both show the picker.
	for _, extra := range []map[string]string{{"prompt": "login"}, {"acr_values": ACRHigh}} {
		_, resp = e.authorize(t, browser, clientBasic, extra)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%v: got %d, want the picker", extra, resp.StatusCode)
		}
	}
	// prompt=none without a session answers login_required.
	ar, resp = e.authorize(t, e.browser(t), clientBasic, map[string]string{"prompt": "none"})
	if ar.query.Get("error") != "login_required" || ar.query.Get("state") != ar.state {
		t.Errorf("prompt=none without session: got %d %v, want login_required", resp.StatusCode, ar.query)
	}
}
