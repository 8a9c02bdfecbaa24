package main

import (
	"bytes"
	"context"
	"github.com/innboks/innboks/internal/testlog"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &testlog.Buffer{}
	done := make(chan error, 1)
	args := []string{"-addr", "127.0.0.1:0", "-emulator-addr", "127.0.0.1:0", "-idporten-addr", "127.0.0.1:0", "-metrics-addr", "127.0.0.1:0"}
	go func() { done <- run(ctx, args, out, io.Discard) }()

	portalRe := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`)
	emuRe := regexp.MustCompile(`Dialogporten emulator: +(http://127\.0\.0\.1:\d+/dialogporten)`)
	var portal, emu string
	for i := 0; i < 400 && portal == ""; i++ {
		if m := portalRe.FindStringSubmatch(out.String()); m != nil {
			portal = m[1]
			emu = emuRe.FindStringSubmatch(out.String())[1]
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if portal == "" {
		cancel()
		t.Fatalf("no URL printed; output: %q", out.String())
	}
	for _, u := range []string{emu + "/api/v1/metadata/limits", portal + "/", portal + "/healthz"} {
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
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: got %v, want nil after cancel", err)
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
