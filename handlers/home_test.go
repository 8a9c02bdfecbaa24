package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestHome(t *testing.T) {
	t.Parallel()
	h := newHarness(t)

	t.Run("anonymous", func(t *testing.T) {
		rec := h.do("GET", "/", req{})
		d := doc(t, rec)
		if href, _ := byTestID(d, "login-button").Attr("href"); href != "/login?return_to=%2Finbox" {
			t.Errorf("login href %q, want /login returning to the inbox", href)
		}
		if byTestID(d, "logout-form").Length() != 0 {
			t.Error("anonymous page shows a logout button")
		}
		if got := d.Find("html").AttrOr("lang", ""); got != "nb" {
			t.Errorf("default lang %q, want nb", got)
		}
		if href := byTestID(d, "skip-link").AttrOr("href", ""); href != "#main" || d.Find("main#main").Length() != 1 {
			t.Errorf("skip link %q or main missing", href)
		}
		// htmx's configuration is app.js's (TestBrowserAppScript), fetched once, not every page's.
		if d.Find(`meta[name="htmx-config"]`).Length() != 0 {
			t.Error("the page carries htmx's configuration")
		}
	})
	t.Run("logged in", func(t *testing.T) {
		rec := h.do("GET", "/", req{loggedIn: true})
		d := doc(t, rec)
		if got := byTestID(d, "welcome-name").Text(); !strings.Contains(got, "Kari Nordmann") {
			t.Errorf("welcome %q, want the user's name", got)
		}
		if got := byTestID(d, "current-user").Text(); !strings.Contains(got, "Kari Nordmann") {
			t.Errorf("header user %q", got)
		}
		if byTestID(d, "logout-form").AttrOr("method", "") != "post" {
			t.Error("logout is not a POST form")
		}
	})
	t.Run("logged in htmx", func(t *testing.T) {
		rec := h.do("GET", "/", req{loggedIn: true, htmx: true})
		d := doc(t, rec)
		if d.Find("title").Length() != 0 || byTestID(d, "welcome").Length() != 1 {
			t.Errorf("htmx answer is not the welcome fragment: %.200s", rec.Body.String())
		}
	})
}

func TestLanguage(t *testing.T) {
	t.Parallel()
	t.Run("accept-language", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rec := h.do("GET", "/", req{headers: map[string]string{"Accept-Language": "en-GB,en;q=0.8"}})
		d := doc(t, rec)
		if got := d.Find("html").AttrOr("lang", ""); got != "en" {
			t.Errorf("lang %q, want en", got)
		}
		if got := byTestID(d, "login-button").Text(); got != "Log in with ID-porten" {
			t.Errorf("login text %q", got)
		}
	})
	t.Run("switch anonymous sets cookie", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rec := h.do("POST", "/lang", req{csrf: true, form: url.Values{"set": {"nn"}, "return_to": {"/logged-out?x=1"}}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/logged-out?x=1" {
			t.Fatalf("status %d Location %q", rec.Code, rec.Header().Get("Location"))
		}
		if !strings.Contains(strings.Join(rec.Header().Values("Set-Cookie"), ";"), "lang=nn") {
			t.Errorf("no lang cookie: %v", rec.Header().Values("Set-Cookie"))
		}
		page := h.do("GET", "/", req{headers: map[string]string{"Cookie": "lang=nn", "Accept-Language": "en"}})
		if got := doc(t, page).Find("html").AttrOr("lang", ""); got != "nn" {
			t.Errorf("lang after switch %q, want nn (cookie beats Accept-Language)", got)
		}
	})
	t.Run("switch logged in saves session", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rec := h.do("POST", "/lang", req{loggedIn: true, csrf: true, form: url.Values{"set": {"en"}, "return_to": {"/inbox"}}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("status %d", rec.Code)
		}
		if got := h.auth.session("s1").Lang; got != "en" {
			t.Errorf("session lang %q, want en", got)
		}
		d := doc(t, h.do("GET", "/", req{loggedIn: true}))
		if got := d.Find("html").AttrOr("lang", ""); got != "en" {
			t.Errorf("lang %q, want en from session", got)
		}
		if got := byTestID(d, "lang-en").AttrOr("aria-current", ""); got != "true" {
			t.Errorf("lang-en aria-current %q", got)
		}
	})
	t.Run("return_to must be local", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		for _, rt := range []string{"https://evil.test/", "//evil.test/x", "/\\evil.test", "javascript:alert(1)", ""} {
			rec := h.do("POST", "/lang", req{csrf: true, form: url.Values{"set": {"en"}, "return_to": {rt}}})
			if got := rec.Header().Get("Location"); got != "/" {
				t.Errorf("return_to %q → Location %q, want /", rt, got)
			}
		}
	})
	t.Run("unknown language", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rec := h.do("POST", "/lang", req{csrf: true, form: url.Values{"set": {"de"}}})
		if rec.Code != http.StatusBadRequest {
			t.Errorf("status %d, want 400", rec.Code)
		}
	})
	t.Run("htmx switch", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		rec := h.do("POST", "/lang", req{csrf: true, htmx: true, form: url.Values{"set": {"en"}, "return_to": {"/inbox?folder=bin"}}})
		if rec.Code != http.StatusNoContent || rec.Header().Get("HX-Redirect") != "/inbox?folder=bin" {
			t.Errorf("status %d HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
		}
	})
}

func TestLoginError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, acr := range []bool{false, true} {
		rec := httptestRecorder()
		r := newRequest("GET", "/auth/callback?state=x&return_to=/inbox", "en")
		h.srv.Echo.HTTPErrorHandler(&LoginFailure{Status: 400, ACR: acr, Kind: "state", Retryable: true}, h.srv.Echo.NewContext(r, rec))
		if rec.Code != 400 {
			t.Errorf("status %d, want 400", rec.Code)
		}
		d := doc(t, rec)
		if !strings.Contains(byTestID(d, "login-error").Text(), "The login could not be completed") {
			t.Errorf("text %q", byTestID(d, "login-error").Text())
		}
		want := "/login?return_to=%2Finbox"
		if acr {
			want = "/login/step-up?return_to=%2Finbox"
		}
		if got := byTestID(d, "login-retry").AttrOr("href", ""); got != want {
			t.Errorf("retry %q, want %q", got, want)
		}
	}
}
