package e2e

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/browsertest"
)

// bulkSummary is how the bulk action's summary starts: "3 av 5 …" (or "3 of 5 …" in English).
var bulkSummary = regexp.MustCompile(`^\d+ (of|av) \d+ `)

// TestBrowserInboxTour is a quick tour of the first user's own inbox with JavaScript: log in
// through the ID-porten double's picker, search as you type (the URL follows and keeps the
// party), clear the search with the form's button, show more, select all shown and archive,
// search the party chooser, switch to English; then axe on the chooser page, the front page,
// the not-found page and the logged-out page — and not one CSP violation, failed load or script
// error or warning on the way.
func TestBrowserInboxTour(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	defer b.AssertConsole(inboxConsoleProblem)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	b.poll("page loaded", `document.readyState === "complete" && typeof htmx === "object"`)
	if b.count(rowSel) == 0 {
		t.Fatal("no rows")
	}
	b.CheckA11y("inbox")

	// Search as you type: the list narrows and the URL follows.
	b.do("search", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "ska"))
	b.poll("URL has the search", `location.search.includes("q=ska")`)
	if loc := b.url(); !strings.Contains(loc, "party=") {
		t.Errorf("URL after search %q does not name the party", loc)
	}
	b.do("clear the search box", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="search-box"]').value = ""`))
	b.click(`[data-testid="search-submit"]`)
	b.poll("URL without search", `!location.search.includes("q=")`)
	b.waitVisible(rowSel)

	// Show more appends rows in place.
	if b.count(`[data-testid="show-more"]`) > 0 {
		before := b.count(rowSel)
		b.click(`[data-testid="show-more"]`)
		b.poll("more rows", `document.querySelectorAll('`+rowSel+`').length > `+strconv.Itoa(before))
	}

	// Select all shown and archive: every row gets its result.
	b.click(`[data-testid="select-all"]`)
	b.click(`[data-testid="bulk-archive"]`)
	b.waitVisible(`[data-testid="bulk-summary"]`)
	if summary := run(b, "read the bulk summary", chromedp.Text(chromedp.CSS(`[data-testid="bulk-summary"]`))); !bulkSummary.MatchString(summary) {
		t.Errorf("bulk summary %q, want it to match %s", summary, bulkSummary)
	}
	if n := b.count(`[data-testid="dialog-result"][data-ok]`); n == 0 {
		t.Error("no per-row results after the bulk action")
	}

	// Party chooser: type to search.
	b.click(`[data-testid="party-current"]`)
	b.waitVisible(`[data-testid="party-search"]`)
	b.do("type in the party search", chromedp.SendKeys(chromedp.CSS(`[data-testid="party-search"]`), "a"))
	b.waitVisible(`#party-results [data-testid="party-option"]`)
	b.CheckA11y("inbox with party chooser open and bulk results")

	// Language switch.
	b.click(`[data-testid="lang-en"]`)
	b.poll("English", `document.documentElement.lang === "en"`)
	for _, path := range []string{"/parties?q=a", "/", "/no-such-page", "/logged-out"} {
		b.openPage(st.PortalURL + path)
		b.waitVisible("main")
		b.CheckA11y(path)
	}
}

// inboxConsoleProblem is what the inbox tour must not show in the console: uncaught
// exceptions, CSP violations, failed loads and script errors or warnings. The 404 page's own
// failed load is expected: it is visited on purpose.
func inboxConsoleProblem(m chromedp.ConsoleMessage) bool {
	if browsertest.IsLog(m) && strings.HasSuffix(m.URL, "/no-such-page") {
		return false
	}
	return browsertest.Broken(m) || browsertest.LogError(m) || browsertest.ScriptErrorOrWarning(m)
}

// TestBrowserInboxTourWithoutJavaScript is the same tour with scripts off: every step is a
// plain link or form (search, folder, show more, bulk archive, the chooser page, language).
func TestBrowserInboxTourWithoutJavaScript(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, true)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	if h := run(b, "look for htmx", chromedp.Evaluate[string](`typeof htmx`)); h != "undefined" {
		t.Fatalf("scripts ran: typeof htmx = %q", h)
	}

	b.do("search by submitting the form",
		chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "ska"),
		chromedp.Click(chromedp.CSS(`[data-testid="search-submit"]`)),
		// The old page has results too: wait for the new page's server-rendered value.
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="search-box"][value="ska"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dialog-results"]`)),
	)
	if loc := b.url(); !strings.Contains(loc, "q=ska") {
		t.Errorf("after search at %s", loc)
	}

	b.clickNav(`[data-testid="folder-archive"]`)
	b.waitVisible(`[data-testid="folder-archive"][aria-current="page"]`)
	if loc := b.url(); !strings.Contains(loc, "folder=archive") {
		t.Errorf("after folder switch at %s", loc)
	}
	b.clickNav(`[data-testid="folder-inbox"]`)
	b.waitVisible(rowSel)

	if b.count(`[data-testid="show-more"]`) > 0 {
		b.clickNav(`[data-testid="show-more"]`)
		b.waitVisible(rowSel)
		if loc := b.url(); !strings.Contains(loc, "ct=") {
			t.Errorf("show more went to %s", loc)
		}
	}

	b.click(`[data-testid="dialog-select"]`)
	b.clickNav(`[data-testid="bulk-archive"]`)
	b.waitVisible(`[data-testid="bulk-results"]`)
	b.waitVisible(`[data-testid="bulk-back"]`)

	b.open(st.PortalURL + "/parties?q=a")
	b.waitVisible(`[data-testid="party-option"]`)
	b.clickNav(`#party-results [data-testid="party-option"]`)
	b.waitVisible(`[data-testid="inbox"]`)

	b.clickNav(`[data-testid="lang-nn"]`)
	b.waitVisible(`html[lang="nn"]`)
}
