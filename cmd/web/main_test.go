package main

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/testlog"
)

// TestRunConfigErrors: a bad environment stops the program with every problem named.
func TestRunConfigErrors(t *testing.T) {
	t.Parallel()
	err := run(t.Context(), func(string) string { return "" }, io.Discard)
	if err == nil {
		t.Fatal("no error")
	}
	for _, v := range []string{"PUBLIC_URL", "IDPORTEN_ISSUER", "IDPORTEN_CLIENT_ID", "DIALOGPORTEN_URL"} {
		if !strings.Contains(err.Error(), v) {
			t.Errorf("error %q does not name %s", err, v)
		}
	}
}

// portal is run serving on loopback against a fake ID-porten that answers discovery only.
type portal struct {
	addr   string // the public listener
	logs   *testlog.Buffer
	cancel context.CancelFunc
	done   chan error // run's result
}

// startPortal runs the program with a minimal valid environment plus extra, and waits until it
// listens.
func startPortal(t *testing.T, extra map[string]string) *portal {
	t.Helper()
	var idp *httptest.Server
	idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize", "token_endpoint": idp.URL + "/token",
			"jwks_uri": idp.URL + "/jwks", "end_session_endpoint": idp.URL + "/endsession",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	}))
	t.Cleanup(idp.Close)
	vars := map[string]string{
		"PUBLIC_URL": "http://127.0.0.1:8080", "LISTEN_ADDR": "127.0.0.1:0", "IDPORTEN_ISSUER": idp.URL,
		"IDPORTEN_CLIENT_ID": "c", "IDPORTEN_CLIENT_SECRET": "s", "DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
		"DATA_DIR": t.TempDir(),
	}
	maps.Copy(vars, extra)
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	p := &portal{logs: &testlog.Buffer{}, cancel: cancel, done: make(chan error, 1)}
	ready := make(chan string, 1)
	go func() { p.done <- run(ctx, func(k string) string { return vars[k] }, p.logs, ready) }()
	select {
	case p.addr = <-ready:
	case err := <-p.done:
		t.Fatalf("run ended early: %v", err)
	}
	return p
}

// stop ends run's context and checks that it shuts down cleanly.
func (p *portal) stop(t *testing.T) {
	t.Helper()
	p.cancel()
	select {
	case err := <-p.done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no shutdown")
	}
}

// TestRunServesAndShutsDown: the portal serves on loopback, logs JSON with request ids, and
// stops cleanly when its context ends.
func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	p := startPortal(t, nil)
	addr, logs := p.addr, p.logs
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("healthz: %d %q", resp.StatusCode, body)
	}
	reqID := resp.Header.Get("X-Request-Id")
	p.stop(t)
	var found bool
	for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		if rec["msg"] == "request" && rec["request_id"] == reqID && rec["path"] == "/healthz" {
			found = true
		}
	}
	if !found {
		t.Errorf("no access log line with request id %q in:\n%s", reqID, logs.String())
	}
}

// TestNoDevPackagesInWeb: the production binary cannot contain the emulator or the ID-porten
// double (DESIGN.md).
func TestNoDevPackagesInWeb(t *testing.T) {
	t.Parallel()
	out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 {
		t.Fatalf("go list gave %d packages; expected the full dependency set", len(deps))
	}
	for _, p := range deps {
		if strings.HasPrefix(p, "github.com/innboks/innboks/internal/dev") || strings.HasPrefix(p, "github.com/innboks/innboks/internal/dpemu") {
			t.Errorf("cmd/web depends on %s", p)
		}
	}
}
