package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/app"
	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/testlog"
)

// TestSeparateWebLogsInThroughTheDouble: with -client-secret and -redirect-uri, a portal wired
// as cmd/web wires it (app.New from the environment cmd/dev prints, no dev options) logs a
// person in through the double's picker to the inbox, and out again to its own logged-out page.
func TestSeparateWebLogsInThroughTheDouble(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	public := "http://" + ln.Addr().String()
	const secret = "a-secret-the-user-chose"
	out := startDev(t, "-client-secret", secret, "-redirect-uri", public+"/auth/callback")

	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^  ([A-Z_]+)=(\S+) \\$`).FindAllStringSubmatch(out.String(), -1) {
		env[m[1]] = m[2]
	}
	for k, want := range map[string]string{"PUBLIC_URL": public, "LISTEN_ADDR": ln.Addr().String(),
		"IDPORTEN_CLIENT_ID": "innboks-dev", "IDPORTEN_CLIENT_SECRET": secret} {
		if env[k] != want {
			t.Errorf("printed %s=%q, want %q; banner:\n%s", k, env[k], want, out.String())
		}
	}
	for _, k := range []string{"IDPORTEN_ISSUER", "DIALOGPORTEN_URL", "ALTINN_PLATFORM_URL", "PROFILE_API_URL"} {
		if env[k] == "" {
			t.Errorf("the banner does not print %s:\n%s", k, out.String())
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// What cmd/web's run does, on the listener reserved above.
	env["DATA_DIR"] = t.TempDir() // not the user's state folder
	cfg, err := app.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("the printed environment does not configure cmd/web: %v", err)
	}
	logs := &testlog.Buffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.New(t.Context(), cfg, logger)
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	srv := &http.Server{Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(a.EndStreams)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		// A listener already closed (the stack's own cleanup may close it first) is no failure.
		if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, net.ErrClosed) {
			t.Errorf("shutdown: %v", err)
		}
	})

	// Log in the way a person does: the portal sends the browser to the double, which shows
	// its picker; pick the first test user.
	b := browsertest.NewClient(t)
	p := b.Get(public + "/login?return_to=" + url.QueryEscape("/inbox"))
	if !strings.HasPrefix(p.Resp.Request.URL.String(), env["IDPORTEN_ISSUER"]+"/") || p.Doc.Find(`[data-testid="devidporten-picker"]`).Length() == 0 {
		t.Fatalf("login: got %d at %s, want the double's picker", p.Resp.StatusCode, p.Resp.Request.URL)
	}
	user := p.Doc.Find(`[data-testid="user"]`).First()
	name, pid := user.Find(".name").Text(), user.Find(".pid").Text()
	if name == "" || pid == "" {
		t.Fatal("the picker lists no user")
	}
	form := p.Doc.Find("form").First()
	vals := browsertest.FormValues(form)
	vals.Set("user", user.Find("input[type=radio]").AttrOr("value", ""))
	vals.Set("action", "login")
	action, err := p.Resp.Request.URL.Parse(form.AttrOr("action", ""))
	if err != nil {
		t.Fatal(err)
	}
	b.Secret = pid
	p = b.PostForm(action.String(), vals)
	if p.Resp.StatusCode != http.StatusOK || !strings.HasPrefix(p.Resp.Request.URL.String(), public+"/inbox") {
		t.Fatalf("after login: got %d at %s, want the separate portal's inbox", p.Resp.StatusCode, p.Resp.Request.URL)
	}
	if !strings.Contains(strings.ToUpper(p.Body), strings.ToUpper(name)) {
		t.Errorf("the inbox does not show the user %q", name)
	}
	if n := p.Doc.Find(`[data-testid="dialog-row"]`).Length(); n == 0 {
		t.Errorf("the inbox lists no dialogs")
	}

	// Log out with the page's form: the double sends the browser back to this portal's
	// logged-out page, which cmd/dev registered beside the redirect URI.
	logout := p.Doc.Find(`form[action="/logout"]`).First()
	if logout.Length() == 0 {
		t.Fatal("no logout form on the inbox")
	}
	p = b.PostForm(public+"/logout", browsertest.FormValues(logout))
	if next := p.Doc.Find(`[data-testid="continue"]`).AttrOr("href", ""); !strings.HasPrefix(next, public+"/logged-out") {
		t.Errorf("logout ended at %s (%d) continuing to %q, want %s/logged-out", p.Resp.Request.URL, p.Resp.StatusCode, next, public)
	}
	testlog.AssertNoSecrets(t, logs.String(), b.Visits(), pid)
}
