package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserInboxWithoutJavaScript is journey 2 with JavaScript off: every step must work
// with the plain forms and links under the htmx attributes.
func TestBrowserInboxWithoutJavaScript(t *testing.T) {
	st := startStack(t, "default")
	user := st.Users()[0]
	b := newBrowser(t, true)
	b.login(st, user.PID, "/inbox")
	b.waitVisible(rowSel)
	// The page's scripts really did not run (DevTools evaluation still works).
	if got := run(b, "look for htmx", chromedp.Evaluate[string](`typeof window.htmx`)); got != "undefined" {
		t.Fatalf("typeof window.htmx = %q with JavaScript off, want undefined", got)
	}
	if n := b.count(rowSel); n != pageRows {
		t.Errorf("first page shows %d rows, want %d", n, pageRows)
	}
	// "Select all shown" needs app.js: without it, it is not offered.
	if run(b, "look for select all", chromedp.Evaluate[bool](`document.querySelector('[data-testid="select-all"]').checkVisibility()`)) {
		t.Errorf(`"select all shown" is shown without JavaScript, where it does nothing`)
	}

	// Party chooser: the disclosure opens natively; its search submits to the chooser page.
	b.click(`[data-testid="party-current"]`)
	b.do("type in the party search", chromedp.SendKeys(chromedp.CSS(`[data-testid="party-search"]`), "regnskap"+kb.Enter))
	b.waitPage(st.PortalURL+"/parties?", `[data-testid="party-results"]`)
	b.Shot("20-nojs-parties")
	var target string
	for _, p := range b.attrs(`main [data-testid="party-option"]`, "data-party") {
		if !strings.HasPrefix(p, "all-") {
			if target != "" {
				t.Errorf("chooser search for regnskap matches more than one party")
			}
			target = p
		}
	}
	if target == "" {
		t.Fatalf("chooser search for regnskap matches no party")
	}
	b.clickNav(`main [data-testid="party-option"][data-party="` + target + `"]`)
	b.waitPage(st.PortalURL+"/inbox?", rowSel)
	if got := b.text(`[data-testid="party-current"]`); !strings.Contains(got, "NORDMANN REGNSKAP AS") {
		t.Errorf("after choosing: acting for %q, want NORDMANN REGNSKAP AS", got)
	}
	partyURL := b.url()
	firstPage := b.rowIDs()

	// Search form submit.
	b.do("type a search", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), searchWord))
	b.clickNav(`[data-testid="search-submit"]`)
	b.waitVisible(`[data-testid="search-box"]`)
	if got := b.url(); !strings.Contains(got, "q="+searchWord) {
		t.Errorf("search submit: at %s, want q=%s in the URL", got, searchWord)
	}
	if n := b.count(rowSel); n == 0 || n >= len(firstPage) {
		t.Errorf("search shows %d rows, want fewer than the %d unsearched", n, len(firstPage))
	}

	// Too short: the page explains.
	b.do("clear the search", chromedp.Clear(chromedp.CSS(`[data-testid="search-box"]`)))
	b.do("type two characters", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "ab"))
	b.clickNav(`[data-testid="search-submit"]`)
	if b.count(`[data-testid="search-too-short"]`) == 0 {
		t.Errorf("a 2-character search is not explained (at %s)", b.url())
	}

	// Filter by status with the filter form's own button.
	b.open(partyURL)
	b.click(`[data-testid="filters"] summary`)
	// The value is set over the DevTools protocol: no page script runs.
	b.do("choose status Completed", chromedp.SetValue(chromedp.CSS(`[data-testid="filter-status"]`), "Completed"))
	b.clickNav(`[data-testid="filters"] button[type="submit"]`)
	if got := b.url(); !strings.Contains(got, "status=Completed") {
		t.Errorf("filter submit: at %s, want status=Completed", got)
	}
	// Completed is the one status drawn as a success tag (views.statusColor).
	colors := b.attrs(rowSel+` [data-testid="dialog-status"]`, "data-color")
	if len(colors) == 0 {
		t.Errorf("status filter Completed shows no rows")
	} else if rows := b.count(rowSel); len(colors) != rows {
		t.Errorf("status filter Completed: %d of %d rows show a status", len(colors), rows)
	}
	for _, c := range colors {
		if c != "success" {
			t.Errorf("status filter Completed shows a row with a %s status tag, want success (Completed)", c)
		}
	}

	// Paging link: the next page, nothing repeated.
	b.open(partyURL)
	b.clickNav(`[data-testid="show-more"]`)
	b.waitVisible(rowSel)
	for _, id := range b.rowIDs() {
		if slices.Contains(firstPage, id) {
			t.Errorf("the next page repeats dialog %s of the first", id)
		}
	}

	// Bulk form: archive two, see the result page, go back.
	b.open(partyURL)
	ids := b.rowIDs()[:2]
	for _, id := range ids {
		b.click(selectOf(id))
	}
	b.clickNav(`[data-testid="bulk-archive"]`)
	b.waitVisible(`[data-testid="bulk-results"]`)
	b.Shot("21-nojs-bulk")
	got := b.attrs(`[data-testid="bulk-result-row"]`, "data-dialog-id")
	oks := b.attrs(`[data-testid="bulk-result-row"]`, "data-ok")
	if !slices.Equal(got, ids) {
		t.Errorf("bulk result rows %v, want %v", got, ids)
	}
	for i, ok := range oks {
		if ok != "true" {
			t.Errorf("bulk result for %s: data-ok=%s", got[i], ok)
		}
	}
	b.clickNav(`[data-testid="bulk-back"]`)
	b.waitVisible(rowSel)
	for _, id := range b.rowIDs() {
		if slices.Contains(ids, id) {
			t.Errorf("archived dialog %s is still in the inbox", id)
		}
	}

	// Language form.
	b.clickNav(`[data-testid="lang-en"]`)
	b.waitVisible(`[data-testid="logout-button"]`)
	if got := b.attr(`html`, "lang"); got != "en" {
		t.Errorf("<html lang> after choosing English: %q", got)
	}
	if got := b.text(`[data-testid="logout-button"]`); got != "Log out" {
		t.Errorf("log-out button in English: %q", got)
	}
	b.clickNav(`[data-testid="lang-nn"]`)
	b.waitVisible(`[data-testid="logout-button"]`)
	if got := b.attr(`html`, "lang"); got != "nn" {
		t.Errorf("<html lang> after choosing Nynorsk: %q", got)
	}
	if got := b.text(`[data-testid="show-more"]`); got != "Vis fleire" {
		t.Errorf("show-more in Nynorsk: %q, want Vis fleire", got)
	}
}
