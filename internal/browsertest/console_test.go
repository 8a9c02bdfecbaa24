package browsertest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleSeesCSPViolationsAndExceptions keeps AssertCleanConsole honest: a blocked inline
// script and an uncaught exception must both reach the collected console, and Broken must call
// both problems.
func TestConsoleSeesCSPViolationsAndExceptions(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom.js" {
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte(`console.warn("warned"); throw new Error("boom from the page");`))
			return
		}
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'")
		_, _ = w.Write([]byte(`<!doctype html><html lang="en"><title>x</title><script>document.title="inline ran"</script><script src="/boom.js"></script><img alt="" src="/missing.png">`))
	}))
	defer srv.Close()
	b := New(t, Options{})
	open(t, b, srv.URL+"/")
	var csp, exc, logErr, warn bool
	for deadline := time.Now().Add(StepTimeout); time.Now().Before(deadline) && !(csp && exc && logErr && warn); time.Sleep(50 * time.Millisecond) {
		for _, m := range b.Console() {
			csp = csp || (Broken(m) && strings.Contains(m.String(), "Content Security Policy"))
			exc = exc || (Broken(m) && m.IsException() && strings.Contains(m.String(), "boom from the page"))
			logErr = logErr || (LogError(m) && strings.HasSuffix(m.URL, "/missing.png"))
			warn = warn || (ScriptErrorOrWarning(m) && m.Text == "warned")
		}
	}
	if !csp || !exc {
		t.Errorf("console saw a CSP violation: %t, the uncaught exception: %t; want both", csp, exc)
	}
	if !logErr {
		t.Error("LogError did not see the failed load of /missing.png")
	}
	if !warn {
		t.Error("ScriptErrorOrWarning did not see console.warn")
	}
}

func TestConsoleRules(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                    string
		m                       chromedp.ConsoleMessage
		broken, logErr, errWarn bool
	}{
		{"exception", chromedp.ConsoleMessage{Type: chromedp.ConsoleException, Text: "Uncaught Error"}, true, false, false},
		{"CSP in the log", chromedp.ConsoleMessage{Type: chromedp.ConsoleError, Source: "security", Text: "Refused to execute inline script because it violates the following Content Security Policy directive"}, true, true, false},
		{"failed load", chromedp.ConsoleMessage{Type: chromedp.ConsoleError, Source: "network", Text: "Failed to load resource: 404"}, false, true, false},
		{"log warning", chromedp.ConsoleMessage{Type: chromedp.ConsoleWarning, Source: "other", Text: "deprecated"}, false, false, false},
		{"console.error", chromedp.ConsoleMessage{Type: chromedp.ConsoleError, Text: "oops"}, false, false, true},
		{"console.warn", chromedp.ConsoleMessage{Type: chromedp.ConsoleWarning, Text: "hmm"}, false, false, true},
		{"console.log", chromedp.ConsoleMessage{Type: chromedp.ConsoleLog, Text: "hi"}, false, false, false},
	} {
		if got := Broken(tc.m); got != tc.broken {
			t.Errorf("%s: Broken = %t, want %t", tc.name, got, tc.broken)
		}
		if got := LogError(tc.m); got != tc.logErr {
			t.Errorf("%s: LogError = %t, want %t", tc.name, got, tc.logErr)
		}
		if got := ScriptErrorOrWarning(tc.m); got != tc.errWarn {
			t.Errorf("%s: ScriptErrorOrWarning = %t, want %t", tc.name, got, tc.errWarn)
		}
	}
}
