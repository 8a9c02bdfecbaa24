package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/dpemu"
)

// TestBrowserUpstreamBusy: while Dialogporten answers 503, a page load shows the friendly
// error page (accessible, with the wait and a retry link) and a search as you type shows the
// message in the page's message region; once it is back, retry shows the list.
func TestBrowserUpstreamBusy(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()

	// htmx: the search's error lands in #app-messages, the list stays.
	st.Emulator.SetFault(dpemu.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 20 * time.Second})
	rows := b.count(rowSel)
	b.do("type a search", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), searchWord))
	b.poll("the error message shows", `!!document.querySelector('#app-messages [data-testid="error"][data-kind="busy"]')`)
	if got := b.count(rowSel); got != rows {
		t.Errorf("after the failed search the list has %d rows, want the %d it had", got, rows)
	}
	if got := b.text(`#app-messages [data-testid="error-message"]`); !strings.Contains(got, "sekund") {
		t.Errorf("htmx error message %q does not say how long to wait", got)
	}
	// "Try again" must try the search that failed, not the page before it.
	if got := b.attr(`#app-messages [data-testid="error-retry"]`, "href"); !strings.Contains(got, "q="+searchWord) {
		t.Errorf("retry after the failed search links to %q, which drops the search %q", got, searchWord)
	}
	b.Shot("40-busy-htmx")

	// A whole page.
	b.openPage(inbox + "&q=busy")
	b.waitVisible(`[data-testid="error"]`)
	if got := b.attr(`[data-testid="error"]`, "data-kind"); got != "busy" {
		t.Errorf("error page kind %q, want busy", got)
	}
	b.CheckA11y("busy error page")
	b.Shot("41-busy-page")

	st.Emulator.SetFault(dpemu.Fault{})
	b.clickNav(`[data-testid="error-retry"]`)
	b.waitVisible(`[data-testid="dialog-results"]`)
	if got := b.url(); !strings.Contains(got, "q=busy") {
		t.Errorf("retry went to %s, want the page that failed", got)
	}
	b.AssertCleanConsole()
}
