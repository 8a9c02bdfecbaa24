package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRunServesMetricsApart: with METRICS_ADDR, /metrics answers on its own listener with the
// request metrics by route pattern, and the public listener does not serve it.
func TestRunServesMetricsApart(t *testing.T) {
	t.Parallel()
	p := startPortal(t, map[string]string{"METRICS_ADDR": "127.0.0.1:0"})
	addr, logs := p.addr, p.logs
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

	p.stop(t)
}
