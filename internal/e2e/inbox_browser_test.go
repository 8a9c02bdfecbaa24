package e2e

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

const (
	rowSel     = `[data-testid="dialog-row"]`
	pageRows   = 50 // handlers.pageSize
	searchWord = "skatt"
)

// rowIDs are the dialog ids of the rows the list shows, in order (their checkboxes' values).
func (b *browser) rowIDs() []string { return b.attrs(rowSel+` [data-testid="dialog-select"]`, "value") }

// selectOf selects the checkbox of dialog id's row: its value is the row's one copy of the id.
func selectOf(id string) string { return `[data-testid="dialog-select"][value="` + id + `"]` }

// rowOf selects the row of dialog id.
func rowOf(id string) string { return rowSel + `:has(` + selectOf(id) + `)` }

// TestBrowserInbox is journey 2 with JavaScript: the list, switching party by typing in the
// chooser and picking with the keyboard, search as you type with a true URL (reload, back), the
// too-short search, filters, "show more", bulk archive, and the language switch.
func TestBrowserInbox(t *testing.T) {
	st := startStack(t, "default")
	user := st.Users()[0]
	b := newBrowser(t, false)
	b.login(st, user.PID, "/inbox")
	b.waitVisible(rowSel)

	if n := b.count(rowSel); n != pageRows {
		t.Errorf("first page shows %d rows, want %d", n, pageRows)
	}
	if got := b.text(`#inbox-heading`); got != "Innboks" {
		t.Errorf("inbox heading %q, want Innboks", got)
	}
	b.CheckA11y("inbox")
	b.Shot("10-inbox")

	// Party chooser: open it, type, and pick the match with the keyboard.
	b.click(`[data-testid="party-current"]`)
	b.waitVisible(`[data-testid="party-search"]`)
	b.CheckA11y("inbox with the party chooser open")
	b.do("type in the party search", chromedp.SendKeys(chromedp.CSS(`[data-testid="party-search"]`), "regnskap"))
	b.poll("chooser narrows to the match", `(() => {
		const opts = [...document.querySelectorAll('#party-results [data-testid="party-option"]:not([data-party^="all-"])')];
		return opts.length === 1 && opts[0].textContent.toUpperCase().includes("NORDMANN REGNSKAP AS");
	})()`)
	b.Shot("11-chooser")
	target := b.attr(`#party-results [data-testid="party-option"]:not([data-party^="all-"])`, "data-party")
	for i := 0; i < 12; i++ {
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
		if got := run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.getAttribute("data-party") || ""`)); got == target {
			break
		}
	}
	if got := run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.getAttribute("data-party") || ""`)); got != target {
		t.Fatalf("Tab from the party search never reached the matching party (focus on %q)", got)
	}
	b.do("press Enter on the party", chromedp.KeyEvent(kb.Enter))
	b.waitPage(st.PortalURL+"/inbox?", `[data-testid="party-current"]`)
	b.poll("the inbox shows the chosen party", `document.querySelector('[data-testid="party-current"]').textContent.toUpperCase().includes("NORDMANN REGNSKAP AS")`)
	if got := b.url(); !strings.Contains(got, "party="+target) {
		t.Errorf("after choosing a party the URL is %s, want party=%s", got, target)
	}
	b.waitVisible(rowSel)
	partyURL := b.url()
	firstPage := b.rowIDs()

	// Search as you type: the list narrows and the URL says so.
	b.do("type a search", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), searchWord))
	b.poll("URL carries the search", `location.search.includes("q=`+searchWord+`")`)
	b.poll("list narrows", `document.querySelectorAll('`+rowSel+`').length > 0 && document.querySelectorAll('`+rowSel+`').length < `+strconv.Itoa(len(firstPage)))
	searched := b.rowIDs()
	searchURL := b.url()
	// The results htmx swapped in offer "select all shown" (app.js shows it in each fragment).
	if !run(b, "look for select all", chromedp.Evaluate[bool](`document.querySelector('[data-testid="select-all"]').checkVisibility()`)) {
		t.Errorf(`"select all shown" is hidden in the searched results`)
	}
	b.Shot("12-search")

	b.do("reload", chromedp.Reload())
	b.waitVisible(`[data-testid="search-box"]`)
	if got := b.url(); got != searchURL {
		t.Errorf("reload: at %s, want %s", got, searchURL)
	}
	if got := run(b, "read the search box", chromedp.Value(chromedp.CSS(`[data-testid="search-box"]`))); got != searchWord {
		t.Errorf("reload: search box holds %q, want %q", got, searchWord)
	}
	if got := b.rowIDs(); !slices.Equal(got, searched) {
		t.Errorf("reload: %d rows differ from the %d rows before reload", len(got), len(searched))
	}

	b.do("back", chromedp.NavigateBack())
	b.waitPage(partyURL, rowSel)
	b.poll("back shows the unsearched list", `document.querySelector('[data-testid="search-box"]').value === "" && document.querySelectorAll('`+rowSel+`').length === `+strconv.Itoa(len(firstPage)))
	if got := b.rowIDs(); !slices.Equal(got, firstPage) {
		t.Errorf("back: the list is not the one before the search")
	}

	// A 2-character search is explained, not run.
	b.do("type two characters", chromedp.SendKeys(chromedp.CSS(`[data-testid="search-box"]`), "ab"))
	if !b.within(stepTimeout, `!!document.querySelector('[data-testid="search-too-short"]')`) {
		tooShort := run(b, "read the search box validity", chromedp.Evaluate[bool](`document.querySelector('[data-testid="search-box"]').validity.tooShort`))
		t.Errorf("typing 2 characters shows no explanation (search box validity.tooShort=%v: htmx halts a request from a form that fails constraint validation)", tooShort)
	} else if got := b.text(`[data-testid="search-too-short"]`); !strings.Contains(got, "3") {
		t.Errorf("too-short search explained as %q, want it to name the 3-character minimum", got)
	}
	b.open(partyURL)

	// Filters: status, then unread.
	b.click(`[data-testid="filters"] summary`)
	b.do("choose status Completed", chromedp.SetValue(chromedp.CSS(`[data-testid="filter-status"]`), "Completed"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="filter-status"]').dispatchEvent(new Event("change", {bubbles: true}))`))
	b.poll("URL carries the status filter", `location.search.includes("status=Completed")`)
	b.poll("list shows completed dialogs only", `(() => {
		const rows = [...document.querySelectorAll('`+rowSel+`')];
		// Completed is the one status drawn as a success tag (views.statusColor).
		return rows.length > 0 && rows.every(r => r.querySelector('[data-testid="dialog-status"]')?.dataset.color === "success");
	})()`)
	b.open(partyURL)
	b.click(`[data-testid="filters"] summary`)
	b.do("choose unread", chromedp.SetValue(chromedp.CSS(`[data-testid="filter-read"]`), "unread"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="filter-read"]').dispatchEvent(new Event("change", {bubbles: true}))`))
	b.poll("URL carries the unread filter", `location.search.includes("read=unread")`)
	b.poll("list shows unread dialogs only", `(() => {
		const rows = [...document.querySelectorAll('`+rowSel+`')];
		return rows.length > 0 && rows.every(r => r.querySelector('[data-testid="unread-marker"]'));
	})()`)
	b.Shot("13-filter-unread")

	// Show more appends the next page below the first, without leaving the page.
	b.open(partyURL)
	b.waitVisible(rowSel)
	before := b.rowIDs()
	if b.count(`[data-testid="show-more"]`) == 0 {
		t.Fatalf("no show-more on a party with more than %d dialogs", pageRows)
	}
	// By keyboard: focus goes to the first new row's link, and the status says how many came.
	b.do("focus show more", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="show-more"]').focus()`))
	b.do("press Enter on show more", chromedp.KeyEvent(kb.Enter))
	b.poll("more rows appended", `document.querySelectorAll('`+rowSel+`').length > `+strconv.Itoa(len(before)))
	after := b.rowIDs()
	firstNew := `document.querySelectorAll('` + rowSel + `')[` + strconv.Itoa(len(before)) + `].querySelector("h2 a")`
	if !b.within(5*time.Second, `document.activeElement === `+firstNew) {
		t.Errorf("after show more the focus is on %s, want the first new row's link",
			run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`)))
	}
	moreText := "Flere meldinger lastet inn: " + strconv.Itoa(len(after)-len(before)) + "."
	if !b.within(5*time.Second, `document.querySelector('[data-testid="inbox-status"]')?.textContent === `+jsString(moreText)) {
		t.Errorf("after show more the status says %q, want %q", run(b, "read the status", chromedp.Evaluate[string](`document.querySelector('[data-testid="inbox-status"]')?.textContent ?? "(no status)"`)), moreText)
	}
	if !slices.Equal(after[:len(before)], before) {
		t.Errorf("show more changed the rows already shown")
	}
	seen := map[string]bool{}
	for _, id := range after {
		if seen[id] {
			t.Errorf("show more repeats dialog %s", id)
		}
		seen[id] = true
	}
	if got := b.url(); got != partyURL {
		t.Errorf("show more changed the URL to %s", got)
	}

	// Bulk: select two rows, archive; they leave the inbox and show up in the archive.
	b.open(partyURL)
	b.waitVisible(rowSel)
	checked := func() int {
		return run(b, "count checked rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="dialog-select"]:checked').length`))
	}
	b.click(`[data-testid="select-all"]`)
	if got, want := checked(), b.count(rowSel); got != want {
		t.Errorf("select all shown: %d of %d rows checked", got, want)
	}
	b.click(`[data-testid="select-all"]`)
	if got := checked(); got != 0 {
		t.Errorf("unselect all: %d rows still checked", got)
	}
	ids := b.rowIDs()[:2]
	for _, id := range ids {
		b.click(selectOf(id))
	}
	b.click(`[data-testid="bulk-archive"]`)
	b.waitVisible(`[data-testid="bulk-summary"]`)
	for _, id := range ids {
		result := rowOf(id) + ` [data-testid="dialog-result"]`
		if got := b.attr(result, "data-ok"); got != "true" {
			t.Errorf("row %s after bulk archive: result data-ok=%q, want true", id, got)
		}
		if got := b.text(result); got == "" {
			t.Errorf("row %s after bulk archive shows no result", id)
		}
	}
	b.Shot("14-bulk-archived")
	b.open(partyURL)
	b.waitVisible(rowSel)
	for _, id := range b.rowIDs() {
		if slices.Contains(ids, id) {
			t.Errorf("archived dialog %s is still in the inbox", id)
		}
	}
	b.click(`[data-testid="folder-archive"]`)
	b.poll("archive folder shown", `location.search.includes("folder=archive") && document.querySelector('[data-testid="folder-archive"]').getAttribute("aria-current") === "page"`)
	b.folderShown("Arkiv")
	archived := b.rowIDs()
	for _, id := range ids {
		if !slices.Contains(archived, id) {
			t.Errorf("archived dialog %s is not in the archive folder", id)
		}
	}
	b.do("back", chromedp.NavigateBack())
	b.poll("back from the archive shows the inbox", `location.href === `+jsString(partyURL)+` && document.querySelector("#inbox-heading").textContent.trim() === "Innboks"`)
	b.do("forward", chromedp.NavigateForward())
	b.poll("forward shows the archive again", `location.search.includes("folder=archive") && document.querySelector("#inbox-heading").textContent.trim() === "Arkiv"`)

	// Language: English, then Nynorsk, right after an htmx folder switch: the switch must come
	// back to the folder the address bar shows.
	b.click(`[data-testid="folder-bin"]`)
	b.poll("bin folder shown", `location.search.includes("folder=bin") && document.querySelector("#inbox-heading").textContent.trim() === "Papirkurv"`)
	b.folderShown("Papirkurv")
	b.clickNav(`[data-testid="lang-en"]`)
	b.waitVisible(`[data-testid="logout-button"]`)
	assertLang(t, b, "en", "Log out", "Bin")
	b.clickNav(`[data-testid="lang-nn"]`)
	b.waitVisible(`[data-testid="logout-button"]`)
	assertLang(t, b, "nn", "Logg ut", "Papirkorg")
	if got := b.text(`[data-testid="folder-inbox"]`); got != "Innboks" {
		t.Errorf("nn: inbox folder %q, want Innboks", got)
	}
	b.CheckA11y("inbox in Nynorsk")
	b.AssertCleanConsole()
}

// folderShown checks what a folder link swapped in with JavaScript says where it is, as a page
// load would: the title names the folder and whom it is for (the party in the chooser's
// button), and focus is on its heading (not on <body>).
func (b *browser) folderShown(folder string) {
	b.t.Helper()
	party := strings.TrimSpace(strings.TrimPrefix(squash(b.text(`[data-testid="party-current"]`)), "Du handler på vegne av"))
	if want := folder + " · " + party + " – Innboks"; party == "" || !b.within(5*time.Second, `document.title === `+jsString(want)) {
		b.t.Errorf("after the link to %s the title is %q, want %q", folder, run(b, "read the title", chromedp.Evaluate[string](`document.title`)), want)
	}
	if !b.within(5*time.Second, `document.activeElement === document.getElementById("inbox-heading")`) {
		b.t.Errorf("after the link to %s the focus is on %s, want the heading", folder,
			run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 80)`)))
	}
}

// assertLang checks <html lang>, the log-out button and the folder heading.
func assertLang(t *testing.T, b *browser, lang, logout, folder string) {
	t.Helper()
	if got := b.attr(`html`, "lang"); got != lang {
		t.Errorf("<html lang>: got %q, want %q", got, lang)
	}
	if got := b.text(`[data-testid="logout-button"]`); got != logout {
		t.Errorf("%s: log-out button %q, want %q", lang, got, logout)
	}
	if got := b.text(`#inbox-heading`); got != folder {
		t.Errorf("%s: heading %q, want %q (the language switch must return to the folder shown)", lang, got, folder)
	}
}
