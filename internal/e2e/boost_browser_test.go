package e2e

import (
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// openBoosted clicks a boosted link (hx-boost: the dialog list, the chooser's results) and waits
// for the page at prefix with ready in it, then checks what a boosted swap promises: the same
// document (no stylesheet or script loaded again), the new page's title, focus on its heading,
// scrolled to the top, and, for a dialog, the request started on the mouse press (preload) as well
// as the click.
func (b *browser) openBoosted(sel, prefix, ready string) {
	b.t.Helper()
	href := b.attr(sel, "href")
	preloads := run(b, "is the link preloaded", chromedp.Evaluate[bool](`!!document.querySelector(`+jsString(sel)+`).closest("[preload]")`))
	b.do("mark the document", chromedp.Evaluate[chromedp.Void](`window.innboksDocument = "kept"; performance.clearResourceTimings()`))
	b.clickTo(sel, prefix)
	b.waitPage(prefix, ready)
	if got := run(b, "read the mark", chromedp.Evaluate[string](`String(window.innboksDocument)`)); got != "kept" {
		b.t.Errorf("%s loaded a new document, want its body swapped in (hx-boost)", sel)
	}
	b.poll("the heading has focus", `document.activeElement === document.querySelector("main h1")`)
	h1 := strings.TrimSpace(b.text("main h1"))
	// A page's title starts with its heading; an inbox's names whom it is for (folderShown).
	if title := run(b, "read the title", chromedp.Evaluate[string](`document.title`)); h1 == "" || !strings.HasPrefix(title, h1) && b.count("#inbox-heading") == 0 {
		b.t.Errorf("title %q after the swap, want the new page's (%q)", title, h1)
	}
	if y := run(b, "read the scroll", chromedp.Evaluate[float64](`window.scrollY`)); y != 0 {
		b.t.Errorf("scrolled to %.0f after the swap, want the top", y)
	}
	// A dialog's link: the press (mousedown) asked for the page (the server fetches the dialog
	// and answers 204) and the click asked again: two requests for it.
	if !preloads {
		return
	}
	b.poll("the press preloaded the page", `performance.getEntriesByType("resource").filter(e => e.initiatorType === "xmlhttprequest" && new URL(e.name).pathname + new URL(e.name).search === `+jsString(href)+`).length >= 2`)
}

// clickTo clicks a link to a page whose address starts with prefix. A live banner that arrives
// between finding the link and clicking it moves the list under the pointer, so the click lands
// beside the link: it clicks once more if the address did not move within 5 s.
func (b *browser) clickTo(sel, prefix string) {
	b.t.Helper()
	b.click(sel)
	if !b.within(5*time.Second, `location.href.startsWith(`+jsString(prefix)+`)`) {
		b.click(sel)
	}
}
