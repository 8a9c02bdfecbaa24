package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/testlog"
)

// startDev runs cmd/dev with args (on free loopback ports unless args say otherwise) until the
// test ends, and returns its output once the banner is out. It waits for the banner as long as
// the test may run: building a scenario under -race on a busy machine takes what it takes.
func startDev(t *testing.T, args ...string) *testlog.Buffer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &testlog.Buffer{}
	done := make(chan error, 1)
	args = append([]string{"-addr", "127.0.0.1:0", "-emulator-addr", "127.0.0.1:0", "-idporten-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0",
		"-data-dir", t.TempDir()}, args...)
	go func() { done <- run(ctx, args, out, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: got %v, want nil after cancel", err)
		}
	})
	wait, stop := devstack.StartContext(t)
	defer stop()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for !strings.Contains(out.String(), "Stop with Ctrl-C.") {
		select {
		case err := <-done:
			done <- err // for the cleanup
			t.Fatalf("run ended before the banner: %v; output: %q", err, out.String())
		case <-wait.Done():
			t.Fatalf("no banner within the test's time; output: %q", out.String())
		case <-tick.C:
		}
	}
	return out
}

func TestRunServesAndStops(t *testing.T) {
	out := startDev(t)
	portal := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(out.String())
	emu := regexp.MustCompile(`Dialogporten emulator: +(http://127\.0\.0\.1:\d+/dialogporten)`).FindStringSubmatch(out.String())
	if portal == nil || emu == nil {
		t.Fatalf("banner lacks the portal's or the emulator's URL: %q", out.String())
	}
	for _, u := range []string{emu[1] + "/api/v1/metadata/limits", portal[1] + "/", portal[1] + "/healthz"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: got %d, want 200", u, resp.StatusCode)
		}
	}
	if !strings.Contains(out.String(), "Kari Nordmann") {
		t.Errorf("banner lacks the test users: %q", out.String())
	}
	// Without -client-secret and -redirect-uri nothing about a separate portal (nor any secret).
	if s := out.String(); strings.Contains(s, "cmd/web") || strings.Contains(s, "SECRET") {
		t.Errorf("banner speaks of a separate portal without -redirect-uri: %q", s)
	}
}

func TestParseFlagsRefusesBadInput(t *testing.T) {
	t.Parallel()
	bad := [][]string{
		{"-addr", "0.0.0.0:8081"},
		{"-addr", "192.168.1.2:80"},
		{"-emulator-addr", ":8081"},
		{"-idporten-addr", "10.0.0.1:1"},
		{"-scenario", "nope"},
		// A random secret is never printed: a separate portal could not use it.
		{"-redirect-uri", "http://127.0.0.1:8090/auth/callback"},
		{"-client-secret", "s3cret", "-redirect-uri", "/auth/callback"},
		{"-client-secret", "s3cret", "-redirect-uri", "ftp://127.0.0.1/auth/callback"},
		{"-client-secret", "s3cret", "-post-logout-redirect-uri", "http://127.0.0.1:8090/x#y"},
		{"-client-secret", "s3cret", "stray"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args, &bytes.Buffer{}); err == nil {
			t.Errorf("%v: got nil error, want refusal", args)
		}
	}
	if _, err := parseFlags([]string{"-addr", "127.0.0.1:0", "-scenario", "accountant"}, &bytes.Buffer{}); err != nil {
		t.Errorf("127.0.0.1:0: got %v, want nil", err)
	}
}

func TestParseFlagsRegistersTheLoggedOutPage(t *testing.T) {
	t.Parallel()
	c, err := parseFlags([]string{"-client-secret", "s3cret",
		"-redirect-uri", "http://127.0.0.1:8090/auth/callback", "-redirect-uri", "http://localhost:8091/other",
		"-post-logout-redirect-uri", "http://localhost:8091/bye"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.redirectURIs, " "), "http://127.0.0.1:8090/auth/callback http://localhost:8091/other"; got != want {
		t.Errorf("redirect URIs: got %q, want %q", got, want)
	}
	if got, want := strings.Join(c.postLogoutURIs, " "), "http://localhost:8091/bye http://127.0.0.1:8090/logged-out"; got != want {
		t.Errorf("post-logout URIs: got %q, want %q", got, want)
	}
}

func TestShellQuote(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:8082": "http://127.0.0.1:8082",
		"a b":                   "'a b'",
		"it's":                  `'it'\''s'`,
		"$HOME":                 "'$HOME'",
		"":                      "''",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q): got %s, want %s", in, got, want)
		}
	}
}
