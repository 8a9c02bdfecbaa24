package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhone: Innboks is used on phones. At 360 and 390 CSS pixels (small and common
// Android/iPhone widths, mobile viewport emulation), no page scrolls sideways: the inbox, the
// open filters, the party chooser open with results, a dialog with its content, the chooser
// page and an error page. Sideways scrolling is what breaks a page on a phone first (WCAG
// 1.4.10 Reflow asks for 320 px without it).
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	st := startStack(t, "default")
	for _, width := range []int64{360, 390} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			b := newBrowser(t, false)
			b.do("emulate a phone", chromedp.EmulateViewport(width, 800, chromedp.EmulateMobile))
			b.login(st, st.Users()[0].PID, "/inbox")
			b.waitVisible(rowSel)
			inbox := b.url()
			b.noSidewaysScroll("the inbox")

			b.click(`[data-testid="filters"] summary`)
			b.poll("the filters open", `document.querySelector('[data-testid="filters"]').open`)
			b.noSidewaysScroll("the inbox with its filters open")

			b.open(inbox)
			b.click(chooserSummary)
			b.do("type in the chooser", chromedp.SendKeys(chromedp.CSS(chooserBox), "nordmann"))
			b.poll("the chooser's results", `document.querySelector('#party-results').getAttribute('data-query') === 'nordmann'`)
			b.noSidewaysScroll("the inbox with the party chooser open")
			b.Shot(fmt.Sprintf("50-phone-%d-chooser", width))

			b.open(inbox)
			b.clickNav(rowSel + ` a`)
			b.waitVisible(`[data-testid="dialog-title"]`)
			b.poll("the dialog's content", `!document.querySelector('[data-testid="dialog-content-link"]')`)
			b.noSidewaysScroll("a dialog")
			b.Shot(fmt.Sprintf("51-phone-%d-dialog", width))

			b.open(st.PortalURL + "/parties?q=as")
			b.waitVisible(`[data-testid="party-results"]`)
			b.noSidewaysScroll("the chooser page")

			b.openPage(st.PortalURL + "/dialogs/00000000-0000-7000-8000-000000000000")
			b.waitVisible("main")
			b.noSidewaysScroll("an error page")
		})
	}
}

// noSidewaysScroll fails the test when the page is wider than the viewport, naming the widest
// element that sticks out.
func (b *browser) noSidewaysScroll(where string) {
	b.t.Helper()
	const probe = `(() => {
		const vw = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= vw) return "";
		let worst = null, right = vw;
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > right + 0.5) { right = r.right; worst = el; }
		}
		const name = worst ? worst.tagName.toLowerCase() + (worst.id ? "#" + worst.id : "") +
			(worst.className && typeof worst.className === "string" ? "." + worst.className.trim().split(/\s+/).join(".") : "") +
			(worst.dataset && worst.dataset.testid ? "[data-testid=" + worst.dataset.testid + "]" : "") : "?";
		return document.documentElement.scrollWidth + " px wide for a " + vw + " px viewport; widest: " + name + " to " + Math.round(right) + " px";
	})()`
	if got := run(b, "measure "+where, chromedp.Evaluate[string](probe)); got != "" {
		b.t.Errorf("%s scrolls sideways: %s", where, got)
	}
}
