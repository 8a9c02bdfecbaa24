package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestConsoleSeesCSPViolationsAndExceptions keeps assertCleanConsole honest: a blocked inline
// script and an uncaught exception must both reach the collected console.
func TestConsoleSeesCSPViolationsAndExceptions(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom.js" {
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte(`throw new Error("boom from the page");`))
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>x</title><script>document.title="inline ran"</script><script src="/boom.js"></script>`))
	}))
	defer srv.Close()
	b := newBrowser(t, false)
	b.open(srv.URL + "/")
	var csp, exc bool
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !(csp && exc); time.Sleep(50 * time.Millisecond) {
		b.mu.Lock()
		for _, m := range b.console {
			csp = csp || strings.Contains(m.String(), "Content Security Policy")
			exc = exc || (m.IsException() && strings.Contains(m.String(), "boom from the page"))
		}
		b.mu.Unlock()
	}
	if !csp || !exc {
		t.Errorf("console saw a CSP violation: %t, the uncaught exception: %t; want both", csp, exc)
	}
}
