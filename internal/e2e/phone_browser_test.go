package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPhone: Innboks is used on phones. At 360 and 390 CSS pixels (small and common
// Android/iPhone widths, mobile viewport emulation), no page scrolls sideways: the inbox, the
// open filters, the party chooser open with results, a dialog with its content, the chooser
// page and an error page. Sideways scrolling is what breaks a page on a phone first (WCAG
// 1.4.10 Reflow asks for 320 px without it). And the first dialog is above the fold: the header
// folds its tools into a menu and the toolbar is tight, so the first row starts within the top
// 300 px (issue 10: it started at 690 px at 390×844), also for a party with a long name, which
// the header shows whole (wrapped) rather than cut short; and focus follows the layout.
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
			top := run(b, "the first row's top", chromedp.Evaluate[float64](`document.querySelector('`+rowSel+`').getBoundingClientRect().top + window.scrollY`))
			if top > 300 {
				t.Errorf("the first dialog row starts at %.0f px, want within the top 300 px", top)
			}
			t.Logf("the first dialog row starts at %.0f px", top)
			b.focusFollowsLayout("the inbox")

			// The header's tools are in the menu, which opens without JavaScript.
			if run(b, "the menu's tools hidden", chromedp.Evaluate[bool](`!document.querySelector('[data-testid="logout-button"]').checkVisibility()`)) != true {
				t.Error("the log-out button shows in the header on a phone; want it in the menu")
			}
			b.click(`[data-testid="header-menu-button"]`)
			b.waitVisible(`[data-testid="logout-button"]`)
			b.noSidewaysScroll("the inbox with the menu open")
			b.click(`[data-testid="header-menu-button"]`)

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
			b.clickTo(rowSel+` a`, st.PortalURL+"/dialogs/") // boosted: the body swapped in
			b.waitPage(st.PortalURL+"/dialogs/", `h1[data-testid="dialog-title"]`)
			b.poll("the dialog's content", `!document.querySelector('[data-testid="dialog-content-link"]')`)
			b.noSidewaysScroll("a dialog")
			b.Shot(fmt.Sprintf("51-phone-%d-dialog", width))

			b.open(st.PortalURL + "/parties?q=as")
			b.waitVisible(`[data-testid="party-results"]`)
			b.noSidewaysScroll("the chooser page")

			b.openPage(st.PortalURL + "/dialogs/00000000-0000-7000-8000-000000000000")
			b.waitVisible("main")
			b.noSidewaysScroll("an error page")

			// A sub-unit is told from its parent by the end of its name: the header shows the
			// whole name (wrapped, not cut short), and the first dialog is still above the fold.
			b.open(st.PortalURL + "/parties?q=lesund")
			b.waitVisible(`[data-testid="party-results"]`)
			b.clickTo(`main [data-testid="party-option"]:not([data-party^="all-"])`, st.PortalURL+"/inbox")
			b.waitVisible(rowSel)
			const name = "HAVBRIS FISKERI AS AVD ÅLESUND"
			if got := b.text(`[data-testid="party-current"]`); !strings.Contains(strings.ToUpper(got), name) {
				t.Fatalf("acting for %q, want %s", got, name)
			}
			if cut := run(b, "is the party's name cut short", chromedp.Evaluate[bool](`(() => {
				const s = document.querySelector('[data-testid="party-current"]');
				return s.scrollWidth > s.clientWidth || s.scrollHeight > s.clientHeight || getComputedStyle(s).textOverflow === "ellipsis";
			})()`)); cut {
				t.Errorf("the header cuts %s short", name)
			}
			top = run(b, "the first row's top", chromedp.Evaluate[float64](`document.querySelector('`+rowSel+`').getBoundingClientRect().top + window.scrollY`))
			if top > 300 {
				t.Errorf("acting for %s, the first dialog row starts at %.0f px, want within the top 300 px", name, top)
			}
			t.Logf("acting for the sub-unit, the first dialog row starts at %.0f px", top)
			b.noSidewaysScroll("the inbox of a sub-unit")
			b.Shot(fmt.Sprintf("52-phone-%d-subunit", width))
		})
	}
}

// focusFollowsLayout fails the test when Tab would take a person through the page's <main> in
// another order than it is laid out (WCAG 1.3.2, 2.4.3): the visible controls, in document
// order, must go down the page (those on one line share their middle, give or take a few px).
func (b *browser) focusFollowsLayout(where string) {
	b.t.Helper()
	const probe = `(() => {
		const sel = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])";
		let prev = null;
		for (const el of document.querySelectorAll("main :is(" + sel + ")")) {
			if (!el.checkVisibility({visibilityProperty: true})) continue;
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			const mid = r.top + r.height / 2 + window.scrollY;
			const name = el.tagName.toLowerCase() + (el.dataset.testid ? "[data-testid=" + el.dataset.testid + "]" : "");
			if (prev && mid < prev.mid - 6) return name + " (middle at " + Math.round(mid) + " px) comes after " + prev.name + " (" + Math.round(prev.mid) + " px) in the page but above it on the screen";
			prev = {mid, name};
		}
		return "";
	})()`
	if got := run(b, "compare focus order with layout in "+where, chromedp.Evaluate[string](probe)); got != "" {
		b.t.Errorf("%s: focus order differs from what the screen shows: %s", where, got)
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
