package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// statusSel is the inbox's polite status (views.Inbox): what a screen reader hears after htmx
// swaps the results or appends rows.
const statusSel = `[data-testid="inbox-status"]`

// watchCSP records, in every document the tab loads from now on, each Content-Security-Policy
// violation (the securitypolicyviolation event) with the directive and the element it was
// about, for cspViolations. The script runs from DevTools, outside the page's CSP.
func (b *browser) watchCSP() {
	b.t.Helper()
	const js = `window.innboksCSP = [];
	document.addEventListener("securitypolicyviolation", e => window.innboksCSP.push(
		e.violatedDirective + " on " + (e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 120) : String(e.target))));`
	ctx, cancel := b.step()
	defer cancel()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: js}); err != nil {
		b.t.Fatalf("watch CSP violations: %v", err)
	}
}

// cspViolations are the violations watchCSP saw in the current document.
func (b *browser) cspViolations() []string {
	b.t.Helper()
	return run(b, "read the CSP violations", chromedp.Evaluate[[]string](`window.innboksCSP || []`))
}

// axInvalid is what Chromium's accessibility tree says of the first element matching sel:
// whether it is invalid ("true", "false", …), as a screen reader is told. (An empty aria-invalid
// attribute, for one, is not invalid.)
func (b *browser) axInvalid(sel string) string {
	b.t.Helper()
	return run(b, "read the accessibility tree at "+sel, func(ctx context.Context, _ *chromedp.Target) (string, error) {
		ids, err := chromedp.Run(ctx, chromedp.QueryNodeIDs(chromedp.CSS(sel)))
		if err != nil {
			return "", err
		}
		tree, err := chromedp.Call(ctx, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{NodeID: ids[0], FetchRelatives: new(false)})
		if err != nil || len(tree.Nodes) == 0 {
			return "", err
		}
		for _, prop := range tree.Nodes[0].Properties {
			if prop.Name == accessibility.PropertyNameInvalid {
				return strings.Trim(string(prop.Value.Value), `"`), nil
			}
		}
		return "(none)", nil
	})
}

// countSaid starts counting what the inbox's status says (each non-empty text it is given),
// for said: one swap must be announced once.
func (b *browser) countSaid() {
	b.t.Helper()
	b.do("count what the status says", chromedp.Evaluate[chromedp.Void](`(() => {
		window.innboksSaid = [];
		if (window.innboksSaidBy) window.innboksSaidBy.disconnect();
		const s = document.querySelector('`+statusSel+`');
		window.innboksSaidBy = new MutationObserver(() => { if (s.textContent.trim()) window.innboksSaid.push(s.textContent.trim()); });
		window.innboksSaidBy.observe(s, {childList: true, characterData: true, subtree: true});
	})()`))
}

// said is what the status has said since countSaid.
func (b *browser) said() []string {
	b.t.Helper()
	return run(b, "read what the status said", chromedp.Evaluate[[]string](`window.innboksSaid || []`))
}

// hear waits until the status has said exactly one thing since countSaid, then waits past the
// search box's delay (350 ms) and another answer to be sure nothing more comes, and returns it.
func (b *browser) hear(what string) string {
	b.t.Helper()
	if !b.within(10*time.Second, `(window.innboksSaid || []).length > 0`) {
		b.t.Errorf("%s: the status said nothing (%q)", what, b.text(statusSel))
		return ""
	}
	time.Sleep(1500 * time.Millisecond)
	got := b.said()
	if len(got) != 1 {
		b.t.Errorf("%s: the status spoke %d times (%q), want once", what, len(got), got)
	}
	return got[len(got)-1]
}

// countText is what the status says about a list of n rows, and more behind "show more".
func countText(n int, more bool) string {
	switch {
	case more:
		return fmt.Sprintf("Viser %d meldinger. Det finnes flere.", n)
	case n == 1:
		return "1 melding."
	}
	return fmt.Sprintf("%d meldinger.", n)
}

// TestBrowserInboxStatus holds what htmx swaps in the inbox to what a keyboard and screen-reader
// user needs (WCAG 2.4.3, 3.3.1, 4.1.2, 4.1.3), with JavaScript: the star beside the heading
// keeps the focus and says its new state; a search or filter is announced once, politely, with
// its outcome (how many, none, or why the search was not applied), without the list being a live
// region; an invalid date range marks the date fields and fills their hint, and fixing it clears
// both (the page with an invalid range marks them too). On the way no Content-Security-Policy
// violation, even with elements of the results given an inline style (CSSOM, which the CSP
// allows: a browser extension, a QA tool) before a swap.
func TestBrowserInboxStatus(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.watchCSP()
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

	// Search as you type: one announcement, with how many.
	b.countSaid()
	b.do("type a search", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), searchWord))
	b.poll("the list is searched", `location.search.includes("q=`+searchWord+`")`)
	got := b.hear("search " + searchWord)
	if want := countText(b.count(rowSel), b.count(`[data-testid="show-more"]`) > 0); got != want {
		t.Errorf("after searching %q the status says %q, want %q", searchWord, got, want)
	}
	if n := b.count(`[aria-live] ` + rowSel + `, [role="status"] ` + rowSel); n > 0 {
		t.Errorf("%d rows inside a live region, want the list outside any (it would be read whole)", n)
	}

	// Too short: the warning is said (the hint under the box is no live region).
	b.do("clear the search", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="search-box"]').value = ""`))
	b.countSaid()
	b.do("type two characters", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "ab"))
	b.waitVisible(`[data-testid="search-too-short"]`)
	if got, warn := b.hear("a too short search"), b.text(`[data-testid="search-too-short"]`); !strings.HasPrefix(got, warn) {
		t.Errorf("after a too short search the status says %q, want it to start with the warning %q", got, warn)
	}

	// Nothing found.
	b.do("clear the search", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="search-box"]').value = ""`))
	b.countSaid()
	b.do("search for nothing", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "zzzqqqxxx"))
	b.waitVisible(`[data-testid="empty-list"]`)
	if got := b.hear("a search without hits"); !strings.HasPrefix(got, "Ingen meldinger") {
		t.Errorf("after a search without hits the status says %q, want it to say there are none", got)
	}
	b.do("clear the search", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="search-box"]').value = ""`))
	b.countSaid()
	b.click(`[data-testid="search-submit"]`)
	b.poll("the search is cleared", `!location.search.includes("q=") && document.querySelectorAll('`+rowSel+`').length > 0`)
	if got, want := b.hear("a cleared search"), countText(b.count(rowSel), b.count(`[data-testid="show-more"]`) > 0); got != want {
		t.Errorf("after clearing the search the status says %q, want %q", got, want)
	}

	// A filter chosen with the keyboard (a select fires input and change): one request's
	// answer, announced once. Before the swap something gives the list an inline style.
	b.click(`[data-testid="filters"] summary`)
	b.waitVisible(`[data-testid="filter-read"]`)
	b.do("style the list from outside the page's own code", chromedp.Evaluate[chromedp.Void](
		`document.getElementById("dialog-list").style.outline = "2px solid red"; document.getElementById("inbox-q-hint").style.minHeight = "1px"`))
	b.countSaid()
	// Focused again until it takes the focus: the disclosure around it may still be opening.
	b.poll("focus the read filter", `(el => (el.focus(), document.activeElement === el))(document.querySelector('[data-testid="filter-read"]'))`)
	b.do("choose the next option", chromedp.KeyEvent(kb.ArrowDown))
	b.poll("the list is filtered", `location.search.includes("read=")`)
	if got, want := b.hear("a filter"), countText(b.count(rowSel), b.count(`[data-testid="show-more"]`) > 0); got != want && !strings.HasPrefix(got, "Ingen meldinger") {
		t.Errorf("after a filter the status says %q, want %q", got, want)
	}

	// An invalid date range (From after To): the fields are marked and their hint says why,
	// and the status says it; a valid range clears both.
	set := func(sel, v string) {
		b.do("set "+sel+" to "+v, chromedp.SetValue(chromedp.CSS(sel), v),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').dispatchEvent(new Event("change", {bubbles: true}))`))
	}
	// Each of the first two changes is a search of its own, announced in its turn: let each
	// answer be said before the next count, or on a busy machine the one before is heard late.
	spoken := func(what string) {
		b.within(5*time.Second, `(window.innboksSaid || []).length > 0`)
		time.Sleep(500 * time.Millisecond)
	}
	b.countSaid()
	set(`[data-testid="filter-updated"]`, "custom")
	b.poll("custom range asked for", `location.search.includes("updated=custom")`)
	spoken("a custom range without dates")
	b.countSaid()
	set(`[data-testid="filter-from"]`, "2026-05-01")
	b.poll("from sent", `location.search.includes("from=2026-05-01")`)
	spoken("a from date alone")
	b.countSaid()
	set(`[data-testid="filter-to"]`, "2025-01-01")
	b.poll("to sent", `location.search.includes("to=2025-01-01")`)
	b.waitVisible(`[data-testid="date-invalid-note"]`)
	if got := b.hear("an invalid date range"); !strings.HasPrefix(got, "Datoene må være gyldige datoer") {
		t.Errorf("after an invalid date range the status says %q, want the date message first", got)
	}
	dateState := `["filter-from", "filter-to"].map(id => document.querySelector('[data-testid="' + id + '"]').getAttribute("aria-invalid")).join(",") + "|" + document.getElementById("inbox-date-hint").textContent.trim()`
	if !b.within(5*time.Second, `(`+dateState+`).startsWith("true,true|Datoene må være gyldige datoer")`) {
		t.Errorf("after an invalid date range: fields aria-invalid and hint %q, want true,true and the message in #inbox-date-hint",
			run(b, "read the date fields", chromedp.Evaluate[string](dateState)))
	}
	for _, f := range []string{"filter-from", "filter-to"} {
		if got := b.axInvalid(`[data-testid="` + f + `"]`); got != "true" {
			t.Errorf("%s after an invalid date range: the accessibility tree says invalid=%s, want true", f, got)
		}
	}
	if n := b.count(`#inbox-date-hint [data-testid="date-invalid"]`); n != 1 {
		t.Errorf("%d date-invalid messages in the date fields' hint, want 1", n)
	}
	set(`[data-testid="filter-to"]`, "2026-12-31")
	b.poll("the fixed range is sent", `location.search.includes("to=2026-12-31")`)
	if !b.within(5*time.Second, `(`+dateState+`) === ",|"`) {
		t.Errorf("after a valid date range: fields aria-invalid and hint %q, want neither",
			run(b, "read the date fields", chromedp.Evaluate[string](dateState)))
	}

	if v := b.cspViolations(); len(v) > 0 {
		t.Errorf("%d Content-Security-Policy violations during search and filters: %q", len(v), v)
	}
	// The page itself, as without JavaScript, marks them as well: aria-invalid="true" (an
	// empty aria-invalid is not invalid).
	b.open(st.PortalURL + "/inbox?updated=custom&from=2026-05-01&to=2025-01-01")
	b.waitVisible(`#inbox-date-hint [data-testid="date-invalid"]`)
	for _, f := range []string{"filter-from", "filter-to"} {
		if got := b.axInvalid(`[data-testid="` + f + `"]`); got != "true" {
			t.Errorf("%s on a page with an invalid date range: the accessibility tree says invalid=%s, want true", f, got)
		}
	}
	b.CheckA11y("inbox with an invalid date range")
	b.AssertCleanConsole()
}
