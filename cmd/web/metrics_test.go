package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestRunServesMetricsApart: with METRICS_ADDR, /metrics answers on its own listener with the
// request metrics by route pattern, and the public listener does not serve it.
func TestRunServesMetricsApart(t *testing.T) {
	t.Parallel()
	var idp *httptest.Server
	idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize", "token_endpoint": idp.URL + "/token",
			"jwks_uri": idp.URL + "/jwks", "end_session_endpoint": idp.URL + "/endsession",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	}))
	defer idp.Close()
	vars := map[string]string{
		"PUBLIC_URL": "http://127.0.0.1:8080", "LISTEN_ADDR": "127.0.0.1:0", "METRICS_ADDR": "127.0.0.1:0",
		"IDPORTEN_ISSUER": idp.URL, "IDPORTEN_CLIENT_ID": "c", "IDPORTEN_CLIENT_SECRET": "s",
		"DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var logs syncBuffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, func(k string) string { return vars[k] }, &logs, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	}
	metricsAddr := ""
	for line := range strings.SplitSeq(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == "metrics listening" {
			metricsAddr, _ = rec["addr"].(string)
		}
	}
	if metricsAddr == "" || metricsAddr == addr {
		t.Fatalf("metrics address %q (portal %q); logs:\n%s", metricsAddr, addr, logs.String())
	}

	fetch := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := fetch("http://" + addr + "/healthz"); code != http.StatusOK {
		t.Fatalf("healthz: got %d, want 200", code)
	}
	if code, _ := fetch("http://" + addr + "/metrics"); code != http.StatusNotFound {
		t.Errorf("public /metrics: got %d, want 404", code)
	}
	code, body := fetch("http://" + metricsAddr + "/metrics")
	if code != http.StatusOK {
		t.Fatalf("metrics listener: got %d, want 200", code)
	}
	for _, want := range []string{
		`innboks_http_requests_total{code="2xx",method="GET",route="/healthz"} 1`,
		`innboks_http_requests_total{code="4xx",method="GET",route="none"} 1`,
		`innboks_upstream_requests_total{code="2xx",method="GET",route="none",upstream="idporten"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no shutdown")
	}
}
