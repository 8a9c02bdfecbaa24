package browsertest

import (
	"slices"
	"strings"

	"github.com/chromedp/chromedp"
)

// collectConsole gathers the tab's console: calls of the console API, uncaught exceptions and
// entries of the browser log.
func (b *Browser) collectConsole(msgs func(func(chromedp.ConsoleMessage, error) bool)) {
	for m, err := range msgs {
		if err != nil {
			return
		}
		b.mu.Lock()
		b.console = append(b.console, m)
		b.mu.Unlock()
	}
}

// Console returns the console messages the tab has written so far.
func (b *Browser) Console() []chromedp.ConsoleMessage {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.console)
}

// AssertConsole fails the test (without stopping it) on every console message so far for which
// problem holds.
func (b *Browser) AssertConsole(problem func(chromedp.ConsoleMessage) bool) {
	b.t.Helper()
	for _, m := range b.Console() {
		if problem(m) {
			b.t.Errorf("browser console: %s", m)
		}
	}
}

// AssertCleanConsole fails the test on the uncaught exceptions and Content-Security-Policy
// violations seen so far ([Broken]).
func (b *Browser) AssertCleanConsole() {
	b.t.Helper()
	b.AssertConsole(Broken)
}

// Broken reports whether m shows a part of the page silently not working: an uncaught exception
// (or unhandled rejection) or a Content-Security-Policy violation.
func Broken(m chromedp.ConsoleMessage) bool {
	return m.IsException() || strings.Contains(m.String(), "Content Security Policy")
}

// LogError reports whether m is an entry of the browser's own log at error level: a resource
// that failed to load, a refused request.
func LogError(m chromedp.ConsoleMessage) bool {
	return IsLog(m) && m.Type == chromedp.ConsoleError
}

// ScriptErrorOrWarning reports whether m is a call of console.error or console.warn by a
// script of the page.
func ScriptErrorOrWarning(m chromedp.ConsoleMessage) bool {
	return !IsLog(m) && (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning)
}

// IsLog reports whether m is an entry of the browser's log (not a script's console call or an
// exception).
func IsLog(m chromedp.ConsoleMessage) bool { return m.Source != "" }
