package main

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer lets the test read what run writes from another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, out) }()

	re := regexp.MustCompile(`Dialogporten emulator: (http://127\.0\.0\.1:\d+/dialogporten)`)
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("no URL printed; output: %q", out.String())
	}
	resp, err := http.Get(base + "/api/v1/metadata/limits")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("limits: got %d, want 200", resp.StatusCode)
	}
	if !strings.Contains(out.String(), "Kari Nordmann") {
		t.Errorf("banner lacks the test users: %q", out.String())
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: got %v, want nil after cancel", err)
	}
}

func TestParseFlagsRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:8081", "192.168.1.2:80", ":8081"} {
		if _, err := parseFlags([]string{"-addr", addr}, &bytes.Buffer{}); err == nil {
			t.Errorf("addr %q: got nil error, want refusal", addr)
		}
	}
	if _, err := parseFlags([]string{"-addr", "127.0.0.1:0"}, &bytes.Buffer{}); err != nil {
		t.Errorf("127.0.0.1:0: got %v, want nil", err)
	}
}
