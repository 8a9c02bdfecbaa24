package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// fakeSite is a portal and an ID-porten double in one loopback server: /login redirects to
// /authorize, which sets a session cookie and redirects to /home, which shows who is logged in.
func fakeSite(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://"+r.Host+"/authorize?state=s&return_to="+url.QueryEscape(r.URL.Query().Get("return_to")), http.StatusSeeOther)
	})
	mux.HandleFunc("GET /authorize", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "u-" + r.URL.Query().Get("login_hint"), Path: "/"})
		http.Redirect(w, r, "/home", http.StatusFound)
	})
	mux.HandleFunc("GET /home", func(w http.ResponseWriter, r *http.Request) {
		who := "nobody"
		if c, err := r.Cookie("session"); err == nil {
			who = c.Value
		}
		fmt.Fprintf(w, `<!doctype html><p data-testid="who">%s</p><p data-testid="hx">%s</p>`, who, r.Header.Get("HX-Request"))
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, `<p id="ct">%s</p><p id="a">%s</p><p id="h">%s</p>`, r.Header.Get("Content-Type"), r.PostForm.Get("a"), r.Header.Get("X-Test"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestClientLoginKeepsCookiesAndRecordsVisits(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	c := NewClient(t)
	p := c.Login(srv.URL, srv.URL, "12345678901", "/inbox")
	if got := p.Doc.Find(`[data-testid="who"]`).Text(); got != "u-12345678901" {
		t.Errorf("logged-in page shows %q, want u-12345678901", got)
	}
	if got := p.Resp.Request.URL.Path; got != "/home" {
		t.Errorf("landed on %s, want /home", got)
	}
	want := []string{
		srv.URL + "/login?return_to=%2Finbox",
		srv.URL + "/authorize?state=s&return_to=%2Finbox&login_hint=12345678901",
		srv.URL + "/home",
	}
	if got := c.Visits(); !slices.Equal(got, want) {
		t.Errorf("visits:\ngot  %q\nwant %q", got, want)
	}
	// The cookie stays for the next request; headers are set in pairs.
	p = c.Get(srv.URL+"/home", "HX-Request", "true")
	if got := p.Doc.Find(`[data-testid="who"]`).Text(); got != "u-12345678901" {
		t.Errorf("next page shows %q, want the session kept", got)
	}
	if got := p.Doc.Find(`[data-testid="hx"]`).Text(); got != "true" {
		t.Errorf("HX-Request reached the server as %q, want true", got)
	}
}

func TestClientGetNoFollow(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	c := NewClient(t)
	p := c.GetNoFollow(srv.URL + "/login?return_to=%2F")
	if p.Resp.StatusCode != http.StatusSeeOther {
		t.Errorf("status %d, want 303", p.Resp.StatusCode)
	}
	if loc := p.Resp.Header.Get("Location"); !strings.Contains(loc, "/authorize?") {
		t.Errorf("Location %q, want /authorize?…", loc)
	}
	if got := c.Visits(); len(got) != 1 {
		t.Errorf("visits %q, want only the one request", got)
	}
	// The client itself still follows redirects.
	if p := c.Get(srv.URL + "/login?return_to=%2F"); p.Resp.Request.URL.Path != "/home" {
		t.Errorf("Get after GetNoFollow ended at %s, want /home", p.Resp.Request.URL.Path)
	}
}

func TestClientPostForm(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	c := NewClient(t)
	p := c.PostForm(srv.URL+"/echo", url.Values{"a": {"b c"}}, "X-Test", "yes")
	for sel, want := range map[string]string{"#ct": "application/x-www-form-urlencoded", "#a": "b c", "#h": "yes"} {
		if got := p.Doc.Find(sel).Text(); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
}

// errorT records Errorf instead of failing the test.
type errorT struct {
	testing.TB
	errors []string
}

func (e *errorT) Helper() {}
func (e *errorT) Errorf(format string, args ...any) {
	e.errors = append(e.errors, fmt.Sprintf(format, args...))
}

func TestClientSecret(t *testing.T) {
	t.Parallel()
	srv := fakeSite(t)
	e := &errorT{TB: t}
	c := NewClient(e)
	c.Login(srv.URL, srv.URL, "12345678901", "/")
	c.Secret = "12345678901"
	c.Get(srv.URL + "/home")
	if len(e.errors) != 1 || !strings.Contains(e.errors[0], "national identity number") || strings.Contains(e.errors[0], "12345678901") {
		t.Errorf("errors %q, want one that names the problem but not the number", e.errors)
	}
}

func TestFormValues(t *testing.T) {
	t.Parallel()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(`<form>
		<input type="hidden" name="csrf" value="tok">
		<input name="q" value="ska">
		<input type="checkbox" name="id" value="1" checked><input type="checkbox" name="id" value="2">
		<input type="checkbox" name="on" checked>
		<input type="radio" name="r" value="x"><input type="radio" name="r" value="y" checked>
		<input type="submit" name="go" value="Go">
		<select name="s1"><option value="a">A</option><option value="b" selected>B</option></select>
		<select name="s2"><option>first</option><option>second</option></select>
		<input value="no name">
	</form>`))
	if err != nil {
		t.Fatal(err)
	}
	got := FormValues(doc.Find("form"))
	want := url.Values{"csrf": {"tok"}, "q": {"ska"}, "id": {"1"}, "on": {"on"}, "r": {"y"}, "s1": {"b"}, "s2": {"first"}}
	if got.Encode() != want.Encode() {
		t.Errorf("FormValues:\ngot  %s\nwant %s", got.Encode(), want.Encode())
	}
}
