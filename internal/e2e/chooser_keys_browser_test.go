package e2e

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/views/i18n"
)

const (
	chooserSummary = `[data-testid="party-current"]`
	chooserBox     = `[data-testid="party-search"]`
	chooserOption  = `#party-results [data-testid="party-option"]`
	// chooserListed is every party the results list: the options and a parent listed without
	// access, not the group choices ("all organisations").
	chooserListed = `#party-results [data-testid="party-option"]:not([data-party^="all-"]), #party-results [data-testid="party-option-disabled"]`
)

// partyMatch is one party the server's chooser search lists, in its order.
type partyMatch struct{ key, name string }

// TestBrowserChooserKeys: an accountant switches party in a keystroke. With the keyboard only
// (default scenario, whole local stack): open the chooser, type part of a name and press Enter
// at once (before the results for it have come: the script must wait for them) → that party's
// inbox; ArrowDown, ArrowDown, Enter → the second match; End, Home, ArrowUp move and return to
// the box; Enter with fresh results and Enter without a match; Escape closes and gives the focus
// back to the summary. After each search the chooser's status (role=status, outside the swapped
// results) says how many parties the list shows, and says it again when the next search has the
// same count. axe checks the open chooser; without JavaScript the form still submits to the
// chooser page and no key hint is promised.
func TestBrowserChooserKeys(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()
	c := newClientFromBrowser(t, b, st)
	matches := func(q string) []partyMatch { return chooserMatches(t, c, st.PortalURL, q) }

	// Open with the keyboard: the focus lands in the search box, which tells about the keys.
	b.openChooserByKeys(inbox)
	if got, want := b.attr(chooserBox, "aria-describedby"), "party-q-hint"; got != want {
		t.Errorf("search box aria-describedby=%q, want %q", got, want)
	}
	if got, want := b.text(`#party-q-hint`), i18n.NB.T("party.keysHint"); got != want {
		t.Errorf("key hint %q, want %q", got, want)
	}
	b.CheckA11y("inbox with the party chooser opened by keyboard")
	b.Shot("40-chooser-keys-open")

	// Type and press Enter at once: the results shown are still those for the empty box.
	regnskap := matches("regnskap")
	if len(regnskap) == 0 {
		t.Fatal("the chooser search for regnskap finds no party")
	}
	b.key("type regnskap and press Enter", "regnskap"+kb.Enter)
	b.waitParty(st, regnskap[0])
	// One request did it (GET /parties/first answers with the first match's inbox), not a
	// search and then the inbox; the page was swapped in, so the document's resource timings
	// still hold every request since the login.
	firsts := `performance.getEntriesByType("resource").filter(e => e.name.includes("/parties/first?")).length`
	if n := run(b, "count the requests for the first match", chromedp.Evaluate[int](firsts)); n != 1 {
		t.Errorf("Enter before the results came: %d requests to /parties/first, want 1", n)
	}

	// ArrowDown to the options, End, Home, ArrowUp back to the box; ArrowDown twice and Enter
	// chooses the second match.
	fjell := matches("fjelltopp")
	if len(fjell) < 2 {
		t.Fatalf("the chooser search for fjelltopp finds %d parties, want at least 2", len(fjell))
	}
	b.openChooserByKeys(inbox)
	if got := b.text("#party-status"); got != "" {
		t.Errorf("status %q before any search, want empty", got)
	}
	b.key("type fjelltopp", "fjelltopp")
	b.waitFreshResults("fjelltopp", len(fjell))
	b.assertStatus("after typing fjelltopp")
	b.CheckA11y("inbox with the party chooser showing results and their status")
	b.key("press ArrowDown in the box", kb.ArrowDown)
	b.assertFocus("ArrowDown in the box", fjell[0].key)
	b.key("press End", kb.End)
	b.assertFocus("End", fjell[len(fjell)-1].key)
	b.key("press Home", kb.Home)
	b.assertFocus("Home", fjell[0].key)
	b.key("press ArrowUp on the first option", kb.ArrowUp)
	b.assertFocus("ArrowUp on the first option", "party-search")
	b.key("press ArrowDown twice", kb.ArrowDown+kb.ArrowDown)
	b.assertFocus("ArrowDown, ArrowDown", fjell[1].key)
	b.key("press Enter on the second match", kb.Enter)
	b.waitParty(st, fjell[1])

	// Enter with the results already fresh; the parent without access is no option.
	havbris := matches("havbris")
	if len(havbris) == 0 {
		t.Fatal("the chooser search for havbris finds no party")
	}
	b.openChooserByKeys(inbox)
	b.key("type havbris", "havbris")
	b.waitFreshResults("havbris", len(havbris))
	b.assertStatus("after typing havbris")
	b.key("press Enter on fresh results", kb.Enter)
	b.waitParty(st, havbris[0])
	if n := run(b, "count the requests for the first match", chromedp.Evaluate[int](firsts)); n != 0 {
		t.Errorf("Enter on fresh results: %d requests to /parties/first since the inbox was loaded, want 0 (the option is followed)", n)
	}

	// Escape from an option and from the box closes the chooser, focus on the summary.
	for _, from := range []string{"option", "box"} {
		b.openChooserByKeys(inbox)
		if from == "option" {
			b.key("press ArrowDown", kb.ArrowDown)
			if got := b.focused(); !strings.HasPrefix(got, "party-option") {
				t.Fatalf("ArrowDown in the box: focus on %q, want an option", got)
			}
		}
		b.key("press Escape", kb.Escape)
		if open := run(b, "read the chooser", chromedp.Evaluate[bool](`document.querySelector('[data-testid="party-chooser"]').open`)); open {
			t.Errorf("Escape from the %s: the chooser is still open", from)
		}
		if got := b.focused(); got != "party-current" {
			t.Errorf("Escape from the %s: focus on %q, want the summary (party-current)", from, got)
		}
	}

	// No match, and typing on still matches nothing: the status says so each time, emptied in
	// between so a screen reader announces the same words again.
	b.openChooserByKeys(inbox)
	b.key("type a name nobody has", "zzqqxx")
	b.waitFreshResults("zzqqxx", 0)
	b.assertStatus("after typing a name nobody has")
	b.recordStatus()
	b.key("type one letter more", "y")
	b.waitFreshResults("zzqqxxy", 0)
	none := i18n.NB.T("party.countNone")
	want := []string{"", none}
	b.within(stepTimeout, `window.partyStatusLog.length >= 2`)
	if got := b.statusLog(); !slices.Equal(got, want) {
		t.Errorf("after one letter more the status went through %q, want %q (emptied, then the same count again)", got, want)
	}
	b.assertStatus("after typing one letter more")

	// No match: Enter submits the plain form, as before.
	b.openChooserByKeys(inbox)
	b.key("type a name nobody has and press Enter", "zzqqxx"+kb.Enter)
	b.waitPage(st.PortalURL+"/parties?", `[data-testid="party-no-match"]`)
	if got := b.url(); !strings.Contains(got, "q=zzqqxx") {
		t.Errorf("Enter without a match: at %s, want the chooser page for q=zzqqxx", got)
	}
	b.AssertCleanConsole()

	// Without JavaScript: no key hint tied to the box, and Enter submits to the chooser page.
	b.SetJS(false)
	b.open(inbox)
	b.click(chooserSummary)
	if got := b.attrs(chooserBox, "aria-describedby"); len(got) != 1 || got[0] != "" {
		t.Errorf("without JavaScript the search box has aria-describedby %q, want none", got)
	}
	b.do("type regnskap and press Enter", chromedp.SendKeys(chromedp.CSS(chooserBox), "regnskap"+kb.Enter))
	b.waitPage(st.PortalURL+"/parties?", `main [data-testid="party-results"]`)
	if got := b.url(); !strings.Contains(got, "q=regnskap") {
		t.Errorf("without JavaScript: at %s, want the chooser page for q=regnskap", got)
	}
	if got := b.attrs(`main [data-testid="party-option"]`, "data-party"); len(got) == 0 || got[0] != regnskap[0].key {
		t.Errorf("without JavaScript the chooser page lists %q, want %s first", got, regnskap[0].key)
	}
	// The page says its count before the list (hidden line); the status stays empty.
	if got, want := b.text(`main [data-testid="party-count"]`), countWords(b.count(chooserListed)); got != want {
		t.Errorf("without JavaScript the chooser page says %q before the list, want %q", got, want)
	}
	if got := b.text("#party-status"); got != "" {
		t.Errorf("without JavaScript the status says %q, want it empty", got)
	}
}

// chooserMatches asks the server, as a browser without JavaScript would, which parties the
// chooser lists for q, in order: what the keys must choose.
func chooserMatches(t *testing.T, c *browsertest.Client, portal, q string) []partyMatch {
	t.Helper()
	p := c.Get(portal + "/parties?target=%2Finbox&q=" + url.QueryEscape(q))
	var out []partyMatch
	p.Doc.Find(`main [data-testid="party-option"]`).Each(func(_ int, a *goquery.Selection) {
		name := strings.TrimSpace(a.Contents().First().Text())
		out = append(out, partyMatch{key: a.AttrOr("data-party", ""), name: name})
	})
	return out
}

// openChooserByKeys loads u and opens the party chooser from the top of the page with Tab and
// Enter; the focus must then be in the search box.
func (b *browser) openChooserByKeys(u string) {
	b.t.Helper()
	b.open(u)
	b.waitVisible(chooserSummary)
	for range 8 {
		if b.focused() == "party-current" {
			break
		}
		b.key("press Tab", kb.Tab)
	}
	if got := b.focused(); got != "party-current" {
		b.t.Fatalf("Tab from the top never reached the party chooser (focus on %q)", got)
	}
	b.key("press Enter on the chooser", kb.Enter)
	b.poll("the open chooser puts focus in its search box", `document.querySelector('[data-testid="party-chooser"]').open && document.activeElement === document.querySelector('`+chooserBox+`')`)
}

// key presses keys on whatever has the focus, as a person at the keyboard does.
func (b *browser) key(what, keys string) {
	b.t.Helper()
	b.do(what, chromedp.KeyEvent(keys))
}

// focused names what has the focus: its data-testid, and for a party option its party
// ("party-option:<uuid>").
func (b *browser) focused() string {
	b.t.Helper()
	return run(b, "read the focus", chromedp.Evaluate[string](`(() => {
		const a = document.activeElement;
		if (!a || a === document.body) return "body";
		const id = a.getAttribute("data-testid") || a.tagName.toLowerCase();
		return a.dataset.party ? id + ":" + a.dataset.party : id;
	})()`))
}

// assertFocus checks that the focus is on the option for party key (or on the element with
// that data-testid).
func (b *browser) assertFocus(after, want string) {
	b.t.Helper()
	if want != "party-search" {
		want = "party-option:" + want
	}
	if got := b.focused(); got != want {
		b.t.Errorf("after %s: focus on %q, want %q", after, got, want)
	}
}

// waitFreshResults waits until the chooser shows the n results for q and no search is in flight.
func (b *browser) waitFreshResults(q string, n int) {
	b.t.Helper()
	b.poll("the chooser shows the results for "+q, `(() => {
		const r = document.querySelector("#party-results");
		return r && r.dataset.query === `+jsString(q)+` && !document.querySelector(".party-search .htmx-request") &&
			r.querySelectorAll('[data-testid="party-option"]').length === `+strconv.Itoa(n)+`;
	})()`)
}

// assertStatus checks that the chooser's status says how many parties the results list now, in
// the page's language (nb): the count read from the list shown, all of them shown (no "more" line).
func (b *browser) assertStatus(after string) {
	b.t.Helper()
	if n := b.count(`#party-results [data-testid="party-more"]`); n != 0 {
		b.t.Fatalf("%s: the list is cut; pick a query whose matches are all shown", after)
	}
	n := b.count(chooserListed)
	want := countWords(n)
	if !b.within(stepTimeout, `document.querySelector("#party-status").textContent === `+jsString(want)) {
		b.t.Errorf("%s: status %q, want %q (%d parties listed)", after, b.text("#party-status"), want, n)
	}
	if got := b.attr("#party-status", "role"); got != "status" {
		b.t.Errorf("%s: #party-status role=%q, want status", after, got)
	}
	if got := b.count("#party-results #party-status, #party-results[aria-live], #party-results [aria-live]"); got != 0 {
		b.t.Errorf("%s: the swapped results hold %d live regions, want 0", after, got)
	}
}

// countWords is how the chooser says (nb) that it lists n parties, all of them.
func countWords(n int) string {
	switch n {
	case 0:
		return i18n.NB.T("party.countNone")
	case 1:
		return i18n.NB.T("party.countOne")
	}
	return i18n.NB.F("party.countMany", n)
}

// recordStatus starts recording every text the chooser's status takes (read with statusLog).
func (b *browser) recordStatus() {
	b.t.Helper()
	run(b, "record the chooser status", chromedp.Evaluate[bool](`(() => {
		const s = document.querySelector("#party-status");
		window.partyStatusLog = [];
		new MutationObserver(() => window.partyStatusLog.push(s.textContent)).observe(s, {childList: true, characterData: true, subtree: true});
		return true;
	})()`))
}

// statusLog is every text the status has taken since recordStatus.
func (b *browser) statusLog() []string {
	b.t.Helper()
	return run(b, "read the chooser status log", chromedp.Evaluate[[]string](`window.partyStatusLog`))
}

// waitParty waits for the inbox of the chosen party: the URL names it, the header shows it.
func (b *browser) waitParty(st *stack, m partyMatch) {
	b.t.Helper()
	b.waitPage(st.PortalURL+"/inbox?party="+url.QueryEscape(m.key), chooserSummary)
	if got := b.text(chooserSummary); !strings.Contains(got, m.name) {
		b.t.Errorf("after choosing %s the header acts for %q, want %q", m.key, got, m.name)
	}
}
