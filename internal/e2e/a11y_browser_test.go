package e2e

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserA11yPages runs axe on the pages the journeys pass by only briefly or not at all:
// the chooser page, a search with no hits, the too-short search, the bulk result page (reached
// without JavaScript) and the not-found page.
func TestBrowserA11yPages(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()

	pages := []struct{ name, url, sel string }{
		{"party chooser page", st.PortalURL + "/parties?q=nord&target=%2Finbox", `[data-testid="party-results"]`},
		{"search without hits", inbox + "&q=" + url.QueryEscape("zzzqqqxxx"), `[data-testid="empty-list"]`},
		{"too-short search", inbox + "&q=ab", `[data-testid="search-too-short"]`},
		{"logged-in front page", st.PortalURL + "/", `[data-testid="current-user"]`},
		{"not found", st.PortalURL + "/no-such-page", `[data-testid="error"]`},
	}
	for _, p := range pages {
		b.openPage(p.url)
		b.waitVisible(p.sel)
		b.checkA11y(p.name)
	}

	// The bulk result page exists only without JavaScript.
	b.setJS(false)
	b.open(inbox)
	for _, id := range b.rowIDs()[:2] {
		b.click(`#sel-` + id)
	}
	b.clickNav(`[data-testid="bulk-unread"]`)
	b.waitVisible(`[data-testid="bulk-results"]`)
	b.setJS(true)
	b.checkA11y("bulk result page")

	// Filters open, with values chosen.
	b.open(inbox + "&status=Completed&read=read")
	b.waitVisible(`[data-testid="filters"][open]`)
	b.do("open the filters", chromedp.WaitVisible(chromedp.CSS(`[data-testid="filter-status"]`)))
	b.checkA11y("inbox with filters open")
	b.assertCleanConsole()
}
