package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserInboxStatus holds what htmx swaps in the inbox to what a keyboard and screen-reader
// user needs (WCAG 2.4.3, 4.1.2), with JavaScript: the star beside the heading keeps the focus
// and says its new state.
func TestBrowserInboxStatus(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	b.poll("page loaded", `document.readyState === "complete" && typeof htmx === "object"`)

	// The star beside the heading, by keyboard, there and back.
	star := `#inbox [data-testid="star"]`
	for range 2 {
		on := b.attr(star, "data-on")
		label := b.text(star + ` .ds-sr-only`)
		b.do("focus the star", chromedp.Evaluate[chromedp.Void](`document.querySelector('`+star+`').focus()`))
		b.do("press Enter on the star", chromedp.KeyEvent(kb.Enter))
		b.poll("the star turns", `document.querySelector('`+star+`').dataset.on !== `+jsString(on))
		if !b.within(5*time.Second, `document.activeElement === document.querySelector('`+star+`')`) {
			t.Errorf("after pressing the star (data-on %s) the focus is on %s, want the new star", on,
				run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`)))
		}
		if got := b.text(star + ` .ds-sr-only`); got == label {
			t.Errorf("the star's name stays %q after pressing it, want it to say its new state", got)
		}
	}
	b.AssertCleanConsole()
}
