package handlers

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/innboks/innboks/internal/web"
)

// TestCSRF: a state-changing request needs the token and must not be cross-site.
func TestCSRF(t *testing.T) {
	t.Parallel()
	form := url.Values{"set": {"en"}, "return_to": {"/inbox"}}
	tests := []struct {
		name       string
		o          req
		wantStatus int
	}{
		{"no token", req{form: form}, http.StatusForbidden},
		{"no token htmx", req{form: form, htmx: true}, http.StatusForbidden},
		{"token ok", req{form: form, csrf: true}, http.StatusSeeOther},
		{"token in header (htmx)", req{form: url.Values{"set": {"en"}}, htmx: true, headers: map[string]string{
			"Cookie": "__Host-csrf=" + testCSRF, "X-CSRF-Token": testCSRF}}, http.StatusNoContent},
		{"wrong token", req{form: form, headers: map[string]string{"Cookie": "__Host-csrf=" + testCSRF, "X-CSRF-Token": testCSRF + "x"}}, http.StatusForbidden},
		{"cross-site with token", req{form: form, csrf: true, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden},
		{"same-site with token", req{form: form, csrf: true, headers: map[string]string{"Sec-Fetch-Site": "same-site"}}, http.StatusForbidden},
		{"foreign origin, no fetch metadata", req{form: form, headers: map[string]string{
			"Cookie": "__Host-csrf=" + testCSRF, "X-CSRF-Token": testCSRF, "Origin": "https://evil.test"}}, http.StatusForbidden},
		{"own origin, no fetch metadata", req{form: form, headers: map[string]string{
			"Cookie": "__Host-csrf=" + testCSRF, "X-CSRF-Token": testCSRF, "Origin": "https://innboks.test"}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			rec := h.do("POST", "/lang", tt.o)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d; body %.300s", rec.Code, tt.wantStatus, rec.Body.String())
			}
			if tt.wantStatus == http.StatusForbidden {
				d := doc(t, rec)
				if got, _ := byTestID(d, "error").Attr("data-kind"); got != "csrf" {
					t.Errorf("error kind %q, want csrf", got)
				}
				if rec.Header().Get("Set-Cookie") != "" && containsLangCookie(rec) {
					t.Error("refused request still set the language")
				}
			}
		})
	}
}

// TestCSRFOnEveryStateChange: logout and bulk are guarded too.
func TestCSRFOnEveryStateChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, path := range []string{"/logout", "/inbox/bulk", "/lang"} {
		rec := h.do("POST", path, req{loggedIn: true, form: url.Values{"action": {"archive"}, "dialog": {"x"}}})
		if rec.Code != http.StatusForbidden {
			t.Errorf("POST %s without token: status %d, want 403", path, rec.Code)
		}
	}
	if len(h.dp.bulks) != 0 {
		t.Errorf("bulk reached upstream %d times without a CSRF token", len(h.dp.bulks))
	}
}

// TestCSRFCookie: a page sets a __Host- token cookie and puts the same token in its forms.
func TestCSRFCookie(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rec := h.do("GET", "/", req{})
	var token string
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-csrf" {
			token = c.Value
			if !c.Secure || !c.HttpOnly || c.Path != "/" || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("csrf cookie attributes: %+v", c)
			}
		}
	}
	if len(token) < 32 {
		t.Fatalf("csrf token %q too short or missing", token)
	}
	d := doc(t, rec)
	if got, _ := d.Find(`[data-testid="language-switch"] input[name="csrf"]`).Attr("value"); got != token {
		t.Errorf("form token %q, want cookie token", got)
	}
	if got, _ := d.Find("body").Attr("hx-headers"); got != `{"X-CSRF-Token":"`+token+`"}` {
		t.Errorf("body hx-headers = %q", got)
	}
}

func containsLangCookie(rec interface{ Header() http.Header }) bool {
	for _, v := range rec.Header().Values("Set-Cookie") {
		if len(v) > 5 && v[:5] == "lang=" {
			return true
		}
	}
	return false
}

// TestOrigin: the allowed origin is PUBLIC_URL's scheme://host in lower case, as a browser's
// Origin header has it.
func TestOrigin(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"https://innboks.example", "https://innboks.example"},
		{"https://Innboks.Example:8443/app/?x=1#y", "https://innboks.example:8443"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"https://user@innboks.example/", "https://innboks.example"},
		{"innboks.example", ""},
		{"", ""},
	} {
		if got := web.Origin(tt.in); got != tt.want {
			t.Errorf("origin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
