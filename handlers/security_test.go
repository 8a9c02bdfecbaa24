package handlers

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/static"
)

const wantCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self' https://idp.test"

// TestSecurityHeaders checks the headers on every kind of response.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name       string
		method     string
		path       string
		o          req
		wantStatus int
		wantCache  string
	}{
		{"anonymous page", "GET", "/", req{}, 200, "no-store"},
		{"logged-in page", "GET", "/inbox?party=" + selfUUID, req{loggedIn: true}, 200, "no-store"},
		{"htmx fragment", "GET", "/inbox?q=abc", req{loggedIn: true, htmx: true}, 200, "no-store"},
		{"party fragment", "GET", "/parties?q=bergen", req{loggedIn: true, htmx: true}, 200, "no-store"},
		{"static stylesheet", "GET", static.Path(static.StyleBundle), req{}, 200, "public, max-age=31536000, immutable"},
		{"static script", "GET", static.Path(static.ScriptBundle), req{}, 200, "public, max-age=31536000, immutable"},
		{"static svg", "GET", static.Path("favicon.svg"), req{}, 200, "public, max-age=31536000, immutable"},
		{"stale static asset", "GET", "/static/app.0000000000.css", req{}, 404, "no-store"},
		{"not found page", "GET", "/no/such/page", req{}, 404, "no-store"},
		{"csrf error", "POST", "/lang", req{form: map[string][]string{"set": {"en"}}}, 403, "no-store"},
		{"redirect to login", "GET", "/inbox", req{}, 303, "no-store"},
		{"logged-out page", "GET", "/logged-out", req{}, 200, "no-store"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := h.do(tt.method, tt.path, tt.o)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			hd := rec.Header()
			checks := map[string]string{
				"Content-Security-Policy":      wantCSP,
				"X-Content-Type-Options":       "nosniff",
				"Referrer-Policy":              "same-origin",
				"Cross-Origin-Opener-Policy":   "same-origin",
				"Strict-Transport-Security":    "max-age=63072000; includeSubDomains",
				"X-Frame-Options":              "DENY",
				"Cache-Control":                tt.wantCache,
				"Cross-Origin-Resource-Policy": "same-origin",
			}
			// A stylesheet or a script runs under its page's policies: the document-only headers
			// are left off it (static.documentOnly).
			ct := hd.Get("Content-Type")
			sub := strings.HasPrefix(ct, "text/css") || strings.HasPrefix(ct, "text/javascript")
			svg := strings.HasPrefix(ct, "image/svg+xml")
			if sub {
				for _, k := range []string{"Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy"} {
					if got := hd.Get(k); got != "" {
						t.Errorf("%s = %q on a subresource, want none", k, got)
					}
					delete(checks, k)
				}
			}
			// An SVG opened on its own is a document that may load and run nothing.
			if svg {
				checks["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
				for _, k := range []string{"Permissions-Policy", "Cross-Origin-Opener-Policy"} {
					if got := hd.Get(k); got != "" {
						t.Errorf("%s = %q on an SVG, want none", k, got)
					}
					delete(checks, k)
				}
			}
			for k, want := range checks {
				if got := hd.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
			if pp := hd.Get("Permissions-Policy"); !sub && !svg && !strings.Contains(pp, "camera=()") {
				t.Errorf("Permissions-Policy = %q, want camera=() among others", pp)
			}
			if csp := hd.Get("Content-Security-Policy"); strings.Contains(csp, "unsafe") {
				t.Errorf("CSP allows unsafe: %q", csp)
			}
			// The id names the request's log line; the static files are not logged.
			if logged := !strings.HasPrefix(tt.path, static.Prefix); logged != (hd.Get("X-Request-Id") != "") {
				t.Errorf("X-Request-Id = %q on %s, want one exactly when the request is logged", hd.Get("X-Request-Id"), tt.path)
			}
			// A response a shared cache may keep must not set a cookie: the cache would hand
			// it (the CSRF token among them) to every later visitor.
			if strings.HasPrefix(hd.Get("Cache-Control"), "public") {
				if sc := hd.Values("Set-Cookie"); len(sc) > 0 {
					t.Errorf("public, cacheable response sets cookies %q", sc)
				}
			}
		})
	}
}

// TestFrontChannelLogoutFrameable: only that route may be framed, and only by the IdP.
func TestFrontChannelLogoutFrameable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rec := h.do("GET", FrontChannelLogoutPath+"?iss=x&sid=y", req{})
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors https://idp.test;") {
		t.Errorf("CSP %q: want frame-ancestors https://idp.test", csp)
	}
	if got := rec.Header().Get("X-Frame-Options"); got != "" {
		t.Errorf("X-Frame-Options = %q on the front-channel-logout route, want none", got)
	}
}

// TestNoHSTSOnLocalhost: plain-http development gets no HSTS.
func TestNoHSTSOnLocalhost(t *testing.T) {
	t.Parallel()
	srv := newTestServer(Config{PublicURL: "http://127.0.0.1:8080"}, newFakeAuth(), &fakeDP{parties: testParties()})
	h := &harness{t: t, srv: srv}
	rec := h.do("GET", "/", req{})
	if got := rec.Header().Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS = %q on localhost, want none", got)
	}
	if got := rec.Header().Get("Content-Security-Policy"); !strings.Contains(got, "form-action 'self';") && !strings.HasSuffix(got, "form-action 'self'") {
		t.Errorf("CSP without IdP: %q", got)
	}
}

// TestPagesHaveNoInlineScriptOrStyle: the CSP would block them, so none may be rendered.
func TestPagesHaveNoInlineScriptOrStyle(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.search = func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) { return pageOf(3), nil }
	for _, path := range []string{"/", "/inbox?party=" + selfUUID, "/parties", "/logged-out", "/nope"} {
		rec := h.do("GET", path, req{loggedIn: path != "/logged-out"})
		d := doc(t, rec)
		d.Find("script").Each(func(_ int, s *goquery.Selection) {
			if src, _ := s.Attr("src"); src == "" || strings.TrimSpace(s.Text()) != "" {
				t.Errorf("%s: inline script: %q", path, s.Text())
			}
		})
		if n := d.Find("style, [style]").Length(); n > 0 {
			t.Errorf("%s: %d inline styles", path, n)
		}
		for _, attr := range []string{"onclick", "onload", "onchange", "hx-on"} {
			if n := d.Find("[" + attr + "]").Length(); n > 0 {
				t.Errorf("%s: %d elements with %s", path, n, attr)
			}
		}
	}
}
