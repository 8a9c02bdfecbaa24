package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// TestUpstreamErrors: each dpclient error becomes the right status, message and way forward,
// as a page and as an htmx fragment.
func TestUpstreamErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantKind   string
		wantLink   string // data-testid of the way forward
		wantHref   string
		wantText   string
	}{
		{"401", &dpclient.Error{StatusCode: 401}, 401, "unauthorized", "error-login", "/login?return_to=", "Log in again"},
		{"403", &dpclient.Error{StatusCode: 403}, 403, "forbidden", "error-home", "/", "do not have access"},
		{"403 auth level", &dpclient.Error{StatusCode: 403, Problem: &dpclient.ProblemDetails{Errors: map[string][]string{"Forbidden": {"Altinn authentication level too low."}}}},
			403, "authLevel", "error-step-up", "/login/step-up?return_to=", "higher security level"},
		{"404", &dpclient.Error{StatusCode: 404}, 404, "notFound", "error-home", "/", "could not find"},
		{"410", &dpclient.Error{StatusCode: 410}, 410, "gone", "error-home", "/", "deleted"},
		{"429 with wait", &dpclient.Error{StatusCode: 429, RetryAfter: 12 * time.Second}, 429, "busy", "error-retry", "/inbox", "Try again in 12 seconds"},
		{"503 without wait", &dpclient.Error{StatusCode: 503}, 503, "busy", "error-retry", "/inbox", "busy or unavailable"},
		{"422", &dpclient.Error{StatusCode: 422}, 422, "searchTooBroad", "error-retry", "/inbox", "matched too much"},
		{"other", context.DeadlineExceeded, 504, "busy", "error-retry", "/inbox", "busy"},
	}
	for _, tt := range tests {
		for _, htmx := range []bool{false, true} {
			name := tt.name
			if htmx {
				name += " htmx"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) { return nil, tt.err }
				rec := h.do("GET", "/inbox?q=abc&party="+selfUUID, req{loggedIn: true, htmx: htmx, headers: map[string]string{"Accept-Language": "en"}})
				if rec.Code != tt.wantStatus {
					t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
				}
				d := doc(t, rec)
				e := byTestID(d, "error")
				if got, _ := e.Attr("data-kind"); got != tt.wantKind {
					t.Errorf("kind %q, want %q", got, tt.wantKind)
				}
				if msg := e.Text(); !strings.Contains(msg, tt.wantText) {
					t.Errorf("message %q, want it to contain %q", strings.Join(strings.Fields(msg), " "), tt.wantText)
				}
				href, _ := byTestID(d, tt.wantLink).Attr("href")
				if !strings.HasPrefix(href, tt.wantHref) {
					t.Errorf("%s href %q, want prefix %q", tt.wantLink, href, tt.wantHref)
				}
				hasHTML := d.Find("html > head > title").Length() > 0
				if htmx == hasHTML {
					t.Errorf("htmx=%v but full page=%v", htmx, hasHTML)
				}
				if htmx {
					if got := rec.Header().Get("HX-Retarget"); got != "#app-messages" {
						t.Errorf("HX-Retarget %q, want #app-messages", got)
					}
					if tt.wantKind == "unauthorized" && !strings.HasPrefix(rec.Header().Get("HX-Redirect"), "/login?return_to=") {
						t.Errorf("HX-Redirect %q, want /login?return_to=…", rec.Header().Get("HX-Redirect"))
					}
					// htmx's return_to is the page in the address bar, not the fragment URL.
					if tt.wantLink == "error-login" && !strings.Contains(href, "folder%3Darchive") {
						t.Errorf("login return_to %q, want the HX-Current-URL page", href)
					}
				}
				if tt.name == "429 with wait" && rec.Header().Get("Retry-After") != "12" {
					t.Errorf("Retry-After %q, want 12", rec.Header().Get("Retry-After"))
				}
				if id := rec.Header().Get("X-Request-Id"); !strings.Contains(byTestID(d, "error-request-id").Text(), id) {
					t.Errorf("request id %q not shown", id)
				}
			})
		}
	}
}

// TestCancelledRequestWritesNothing: a client that went away gets no error page.
func TestCancelledRequestWritesNothing(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) {
		cancel()
		return nil, context.Canceled
	}
	rec := h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true, ctx: ctx})
	if rec.Body.Len() != 0 {
		t.Errorf("cancelled request wrote %d bytes: %.200s", rec.Body.Len(), rec.Body.String())
	}
}

// TestNotFoundRoute is the translated error page with a way home.
func TestNotFoundRoute(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	rec := h.do("GET", "/nope", req{headers: map[string]string{"Accept-Language": "nn"}})
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if got := d.Find("html").AttrOr("lang", ""); got != "nn" {
		t.Errorf("lang %q, want nn", got)
	}
	if got := byTestID(d, "error-message").Text(); !strings.Contains(got, "Vi fann ikkje") {
		t.Errorf("message %q, want Nynorsk not-found text", got)
	}
}

// TestRetryIsTheFailedRequest: "try again" loads the request that failed, in canonical form,
// not the page in the address bar before it (an htmx search that failed did not change it).
func TestRetryIsTheFailedRequest(t *testing.T) {
	t.Parallel()
	busy := &dpclient.Error{StatusCode: 503}
	search := "/inbox?party=" + selfUUID + "&folder=inbox&q=skatt&org=&status=&read=&service=&updated=&from=&to=&due=&sort=updated"
	tests := []struct {
		name, target string
		htmx         bool
		hxTarget     string
		partiesErr   bool
		want         string
	}{
		{"htmx search", search, true, "dialog-results", false, "/inbox?party=" + selfUUID + "&q=skatt"},
		{"search page", search, false, "", false, "/inbox?party=" + selfUUID + "&q=skatt"},
		{"htmx show more: the list from its start", "/inbox?party=" + selfUUID + "&folder=archive&ct=tok", true, "list-more", false, "/inbox?folder=archive&party=" + selfUUID},
		{"htmx chooser search: own URL without empty fields", "/parties?q=bygg&deleted=", true, "party-results", true, "/parties?q=bygg"},
		{"chooser page: as asked", "/parties?q=bygg&deleted=", false, "", true, "/parties?q=bygg&deleted="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) { return nil, busy }
			if tt.partiesErr {
				h.dp.partiesErr = busy
			}
			rec := h.do("GET", tt.target, req{loggedIn: true, htmx: tt.htmx, target: tt.hxTarget})
			if rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", rec.Code)
			}
			if got := byTestID(doc(t, rec), "error-retry").AttrOr("href", ""); got != tt.want {
				t.Errorf("retry %q, want %q", got, tt.want)
			}
		})
	}
}

// TestErrorPageChrome: a logged-in person sees who is logged in and the log-out button on error
// pages too (the name only once the parties are cached: an error page calls nothing upstream);
// an anonymous visitor sees neither.
func TestErrorPageChrome(t *testing.T) {
	t.Parallel()
	busy := &dpclient.Error{StatusCode: 503}
	tests := []struct {
		name       string
		loggedIn   bool
		warm       bool // a page view first, so the parties are cached
		partiesErr bool
		target     string
		wantStatus int
		wantName   string
		wantLogout bool
	}{
		{"upstream busy", true, false, false, "/inbox?party=" + selfUUID, 503, "Kari Nordmann", true},
		{"parties unavailable", true, false, true, "/inbox?party=" + selfUUID, 503, "", true},
		{"unknown path, parties cached", true, true, false, "/nope", 404, "Kari Nordmann", true},
		{"unknown path, parties not cached", true, false, false, "/nope", 404, "", true},
		{"anonymous unknown path", false, false, false, "/nope", 404, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			if tt.warm {
				h.get("/inbox?party="+selfUUID, req{})
			}
			h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) { return nil, busy }
			if tt.partiesErr {
				h.dp.partiesErr = busy
			}
			rec := h.do("GET", tt.target, req{loggedIn: tt.loggedIn, headers: map[string]string{"Accept-Language": "en"}})
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			d := doc(t, rec)
			if byTestID(d, "error").Length() != 1 {
				t.Fatal("no error message on the page")
			}
			user := strings.Join(strings.Fields(byTestID(d, "current-user").Text()), " ")
			if tt.wantName == "" && user != "" || tt.wantName != "" && user != "Logged in as "+tt.wantName {
				t.Errorf("current user %q, want name %q", user, tt.wantName)
			}
			if got := byTestID(d, "logout-button").Length() == 1; got != tt.wantLogout {
				t.Errorf("log-out button shown %v, want %v", got, tt.wantLogout)
			}
			// A logged-in person is offered the way back to their inbox.
			if got := byTestID(d, "error-inbox").AttrOr("href", ""); (got == "/inbox") != tt.loggedIn {
				t.Errorf("inbox link %q, want /inbox exactly when logged in", got)
			}
		})
	}
}

// TestCSRFErrorPageKnowsThePerson: a refused form comes before the route has loaded the
// session, yet its page is in the session's language, with the logged-in header, and "try
// again" leads back to the page that posted (the Referer is a full same-origin URL).
func TestCSRFErrorPageKnowsThePerson(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.get("/inbox?party="+selfUUID, req{}) // the parties cached, so the header names the person
	h.auth.mu.Lock()
	h.auth.sessions["s1"].Lang = "nn"
	h.auth.mu.Unlock()
	rec := h.do("POST", "/searches", req{loggedIn: true, form: url.Values{"name": {"Skatt"}, "csrf": {"stale"}},
		headers: map[string]string{"Accept-Language": "en", "Referer": "https://innboks.test/searches?done=renamed"}})
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403", rec.Code)
	}
	d := doc(t, rec)
	if lang, _ := d.Find("html").Attr("lang"); lang != "nn" {
		t.Errorf("page language %q, want the session's nn", lang)
	}
	if user := strings.Join(strings.Fields(byTestID(d, "current-user").Text()), " "); !strings.Contains(user, "Kari Nordmann") {
		t.Errorf("current user %q, want Kari Nordmann", user)
	}
	if got := byTestID(d, "error-retry").AttrOr("href", ""); got != "/searches?done=renamed" {
		t.Errorf("retry %q, want the page that posted", got)
	}
	// A Referer from another site is no way back.
	rec = h.do("POST", "/searches", req{loggedIn: true, form: url.Values{"csrf": {"stale"}},
		headers: map[string]string{"Referer": "https://evil.example/searches"}})
	if got := byTestID(doc(t, rec), "error-retry").AttrOr("href", ""); got != "/" {
		t.Errorf("retry after a foreign Referer %q, want /", got)
	}
}
