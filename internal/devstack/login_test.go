package devstack

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/testlog"
)

func startStack(t *testing.T, o Options) (*Stack, *testlog.Buffer) {
	t.Helper()
	logs := &testlog.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	o.Logger, o.EmulatorLogger, o.IDPortenLogger = logger, logger.With("srv", "emu"), logger.With("srv", "idp")
	ctx, cancel := StartContext(t)
	defer cancel()
	st, err := Start(ctx, o)
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
	})
	return st, logs
}

func TestLoginShowsUserAndLogoutEndsSession(t *testing.T) {
	st, logs := startStack(t, Options{})
	users := st.Users()
	if len(users) == 0 {
		t.Fatal("the stack offers no test users")
	}
	user := users[0]
	b := browsertest.NewClient(t)

	p := b.Get(st.PortalURL + "/")
	resp, body := p.Resp, p.Body
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("front page: got %d", resp.StatusCode)
	}
	if strings.Contains(body, user.Name) {
		t.Fatalf("front page shows %q before login", user.Name)
	}
	preLogin := cookieValues(b, st.PortalURL)

	p = b.Login(st.PortalURL, st.IDPortenURL, user.PID, "/")
	resp, body = p.Resp, p.Body
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("after login: got %d at %s", resp.StatusCode, resp.Request.URL)
	}
	if got := resp.Request.URL.String(); !strings.HasPrefix(got, st.PortalURL+"/") {
		t.Fatalf("after login: landed on %s, want the portal", got)
	}
	if !strings.Contains(strings.ToUpper(body), strings.ToUpper(user.Name)) {
		t.Fatalf("logged-in page does not show the user %q", user.Name)
	}

	// Session fixation: no session cookie value from before login survives it.
	for name, v := range cookieValues(b, st.PortalURL) {
		if old, ok := preLogin[name]; ok && old == v && strings.Contains(name, "innboks") {
			t.Fatalf("session cookie %s kept its pre-login value", name)
		}
	}
	sessionCookies := cookieValues(b, st.PortalURL)

	// Log out with the form on the page (POST with its CSRF token).
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	form := doc.Find(`form[action="/logout"]`).First()
	if form.Length() == 0 {
		t.Fatal("no logout form on the logged-in page")
	}
	vals := url.Values{}
	form.Find("input[type=hidden]").Each(func(_ int, s *goquery.Selection) {
		vals.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	p = b.PostForm(st.PortalURL+"/logout", vals)
	resp, body = p.Resp, p.Body
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: got %d at %s", resp.StatusCode, resp.Request.URL)
	}
	// The double's end-session page continues to the portal's logged-out page.
	if !strings.Contains(body, st.PortalURL+"/logged-out") && !strings.HasPrefix(resp.Request.URL.String(), st.PortalURL+"/logged-out") {
		t.Fatalf("logout ended at %s without a way to the portal's logged-out page", resp.Request.URL)
	}
	resp = b.Get(st.PortalURL + "/logged-out").Resp
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("logged-out page: got %d", resp.StatusCode)
	}

	// The old session cookie is now useless.
	stale := browsertest.NewClient(t)
	u, _ := url.Parse(st.PortalURL)
	var cookies []*http.Cookie
	for n, v := range sessionCookies {
		cookies = append(cookies, &http.Cookie{Name: n, Value: v})
	}
	stale.HTTP.Jar.SetCookies(u, cookies)
	noFollow := *stale.HTTP
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r, err := noFollow.Get(st.PortalURL + "/inbox")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusFound {
		t.Fatalf("inbox with the logged-out cookie: got %d, want a redirect to login", r.StatusCode)
	}
	if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("inbox with the logged-out cookie redirects to %q, want /login", loc)
	}

	testlog.AssertNoSecrets(t, logs.String(), b.Visits(), user.PID)
}

func TestLoginReturnToOtherOriginLandsHome(t *testing.T) {
	st, _ := startStack(t, Options{})
	b := browsertest.NewClient(t)
	resp := b.Login(st.PortalURL, st.IDPortenURL, st.Users()[0].PID, "https://evil.example/steal").Resp
	if got := resp.Request.URL.String(); !strings.HasPrefix(got, st.PortalURL+"/") {
		t.Fatalf("return_to on another origin: landed on %s, want the portal", got)
	}
}

func cookieValues(b *browsertest.Client, base string) map[string]string {
	u, _ := url.Parse(base)
	m := map[string]string{}
	for _, c := range b.HTTP.Jar.Cookies(u) {
		m[c.Name] = c.Value
	}
	return m
}

// TestWebBinaryLinksNoDouble guards DESIGN.md's rule: a portal that can be started with a fake
// identity provider is a hole.
func TestWebBinaryLinksNoDouble(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/innboks/innboks/cmd/web").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps returned %d packages; want the real dependency list", len(deps))
	}
	for _, d := range deps {
		for _, banned := range []string{"/internal/dpemu", "/internal/devidporten", "/internal/devstack", "/internal/contract",
			// scripts/govulncheck-accepted.txt relies on this: echo's middleware package has
			// known, unfixed vulnerabilities in echo v4.
			"github.com/labstack/echo/v4/middleware"} {
			if strings.Contains(d, banned) {
				t.Errorf("cmd/web depends on %s", d)
			}
		}
	}
}
