package e2e

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/browsertest"
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
		b.CheckA11y(p.name)
	}

	// The bulk result page exists only without JavaScript.
	b.SetJS(false)
	b.open(inbox)
	for _, id := range b.rowIDs()[:2] {
		b.click(selectOf(id))
	}
	b.clickNav(`[data-testid="bulk-unread"]`)
	b.waitVisible(`[data-testid="bulk-results"]`)
	b.SetJS(true)
	b.CheckA11y("bulk result page")

	// Filters open, with values chosen.
	b.open(inbox + "&status=Completed&read=read")
	b.waitVisible(`[data-testid="filters"][open]`)
	b.do("open the filters", chromedp.WaitVisible(chromedp.CSS(`[data-testid="filter-status"]`)))
	b.CheckA11y("inbox with filters open")
	b.AssertCleanConsole()
}

// TestBrowserA11yDialogKinds runs axe on one dialog page of each kind the inbox lists, with
// every disclosure open and the content loaded, and on the error pages of the dialogs a person
// cannot open.
func TestBrowserA11yDialogKinds(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	c := newClientFromBrowser(t, b, st)
	inbox := b.url()
	ids := listedDialogs(t, st, c, inbox)
	requireDialogRoutes(t, st, ids[0])

	kinds := map[string]bool{}
	for _, id := range ids {
		d := emuDialog(t, st, id)
		k := fmt.Sprintf("%s/%s/gui=%t/att=%t/tx=%t", d.ServiceResourceType, d.Status, len(d.GuiActions) > 0, len(d.Attachments) > 0, len(d.Transmissions) > 0)
		if kinds[k] {
			continue
		}
		kinds[k] = true
		b.openPage(st.PortalURL + "/dialogs/" + id)
		if b.count(`[data-testid="dialog"]`) == 0 {
			b.CheckA11y("error page for dialog kind " + k)
			continue
		}
		if b.count(`[data-testid="dialog-content-slot"] #dialog-content`) > 0 {
			b.poll("content of "+k+" loads", `!document.querySelector('#dialog-content[aria-busy]')`)
		}
		b.do("open every disclosure", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("details").forEach(d => d.open = true)`))
		b.CheckA11y("dialog " + k)
	}
	if len(kinds) < 8 {
		t.Errorf("only %d kinds of dialog checked", len(kinds))
	}
	b.AssertCleanConsole()
}

// newClientFromBrowser is an HTTP client that carries the browser's session cookies.
func newClientFromBrowser(t *testing.T, b *browser, st *stack) *browsertest.Client {
	t.Helper()
	c := browsertest.NewClient(t)
	u, err := url.Parse(st.PortalURL)
	if err != nil {
		t.Fatal(err)
	}
	c.HTTP.Jar.SetCookies(u, b.cookies(st.PortalURL+"/"))
	return c
}
