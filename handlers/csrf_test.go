package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/andybalholm/brotli"

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
	if n := h.dp.bulk.count(); n != 0 {
		t.Errorf("bulk reached the service %d times without a CSRF token", n)
	}
}

// TestCSRFCookie: a page sets a __Host- token cookie and puts the token, masked, in its forms.
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
	form, _ := d.Find(`[data-testid="language-switch"] input[name="csrf"]`).Attr("value")
	if form == token || !web.TokenMatches(form, token) {
		t.Errorf("form token %q, want the cookie's token masked", form)
	}
	if got, _ := d.Find("body").Attr("hx-headers"); got != `{"X-CSRF-Token":"`+form+`"}` {
		t.Errorf("body hx-headers = %q, want the page's masked token", got)
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

// TestMaskedCSRFTokensDifferAndValidate (issue 10): with compressed pages, the CSRF token must
// not repeat byte for byte (BREACH): two responses for the same cookie carry different token
// bytes, and both are accepted.
func TestMaskedCSRFTokensDifferAndValidate(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cookie := map[string]string{"Cookie": "__Host-csrf=" + testCSRF}
	tokenOf := func() string {
		d := doc(t, h.do("GET", "/", req{headers: cookie}))
		v, _ := d.Find(`[data-testid="language-switch"] input[name="csrf"]`).Attr("value")
		return v
	}
	a, b := tokenOf(), tokenOf()
	if a == "" || a == b || a == testCSRF || b == testCSRF {
		t.Fatalf("tokens %q and %q: want two different masked tokens", a, b)
	}
	for _, tok := range []string{a, b} {
		rec := h.do("POST", "/lang", req{form: url.Values{"set": {"en"}, "return_to": {"/"}},
			headers: map[string]string{"Cookie": "__Host-csrf=" + testCSRF, "X-CSRF-Token": tok, "Sec-Fetch-Site": "same-origin"}})
		if rec.Code != http.StatusSeeOther {
			t.Errorf("masked token %q: status %d, want 303", tok, rec.Code)
		}
	}
	if web.TokenMatches(a, testCSRF+"x") {
		t.Error("a masked token matched another secret")
	}
}

// TestPagesCompressed (issue 10): pages and fragments go out brotli- or gzip-compressed when the
// browser accepts it, and decode to the same page.
func TestPagesCompressed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	plain := h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true})
	for _, tc := range []struct {
		accept, want string
		decode       func(io.Reader) (io.Reader, error)
	}{
		{"gzip, deflate, br", "br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
		{"gzip", "gzip", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
	} {
		rec := h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true, headers: map[string]string{"Accept-Encoding": tc.accept}})
		if got := rec.Header().Get("Content-Encoding"); got != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.want)
			continue
		}
		compressed := rec.Body.Len()
		r, err := tc.decode(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasSuffix(bytes.TrimSpace(body), []byte("</html>")) || len(body) != plain.Body.Len() || compressed*3 > len(body) {
			t.Errorf("%s: %d bytes decoded to %d (a whole page of %d bytes expected, at least 3:1)", tc.want, compressed, len(body), plain.Body.Len())
		}
	}
	if plain.Header().Get("Content-Encoding") != "" {
		t.Errorf("compressed without Accept-Encoding")
	}
}
