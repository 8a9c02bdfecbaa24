package handlers_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/devstack"
)

// TestBrowserInbox drives Debian's Chromium through the inbox with JavaScript on: log in through
// the ID-porten double, search as you type (the URL follows), show more, switch party by typing,
// select all and archive, switch language — and not one CSP violation or script error.
func TestBrowserInbox(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := devstack.Start(ctx, devstack.Options{})
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	defer st.Close(context.Background())

	b := browsertest.New(t, browsertest.Options{})
	defer b.AssertConsole(inboxConsoleProblem)
	bctx, cancelRun := context.WithTimeout(b.Context(), 3*time.Minute) // a backstop: each wait has its own budget
	defer cancelRun()
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(`+"`"+sel+"`"+`).length`))
		if err != nil {
			t.Fatalf("count %s: %v", sel, err)
		}
		return n
	}
	poll := func(step, expr string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(browsertest.StepTimeout)))
			if err != nil {
				return fmt.Errorf("%s: %w", step, err)
			}
			return nil
		})
	}
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	do("log in",
		chromedp.Navigate(st.PortalURL+"/login?return_to=%2Finbox"),
		chromedp.WaitVisible(css(`[data-testid="devidporten-picker"]`)),
		chromedp.Click(css(`label[for="user-0"]`)),
		chromedp.Click(css(`button[value="login"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-row"]`)),
		poll("page loaded", `document.readyState === "complete" && typeof htmx === "object"`),
	)
	if count(`[data-testid="dialog-row"]`) == 0 {
		t.Fatal("no rows")
	}
	b.CheckA11y("inbox")

	// Search as you type: the list narrows and the URL follows.
	do("search",
		chromedp.SendKeys(css(`[data-testid="search-box"]`), "ska"),
		poll("URL has the search", `location.search.includes("q=ska")`),
	)
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(loc, "party=") {
		t.Errorf("URL after search %q does not name the party", loc)
	}
	do("clear search",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(document.querySelector('[data-testid="search-box"]').value = "") === ""`))
			return err
		}),
		chromedp.Click(css(`[data-testid="search-submit"]`)),
		poll("URL without search", `!location.search.includes("q=")`),
		chromedp.WaitVisible(css(`[data-testid="dialog-row"]`)),
	)

	// Show more appends rows in place.
	if count(`[data-testid="show-more"]`) > 0 {
		before := count(`[data-testid="dialog-row"]`)
		do("show more",
			chromedp.Click(css(`[data-testid="show-more"]`)),
			poll("more rows", fmt.Sprintf(`document.querySelectorAll('[data-testid="dialog-row"]').length > %d`, before)),
		)
	}

	// Select all shown and archive: every row gets its result.
	do("archive all shown",
		chromedp.Click(css(`[data-testid="select-all"]`)),
		chromedp.Click(css(`[data-testid="bulk-archive"]`)),
		chromedp.WaitVisible(css(`[data-testid="bulk-summary"]`)),
	)
	summary, err := chromedp.Run(bctx, chromedp.Text(css(`[data-testid="bulk-summary"]`)))
	if err != nil || !regexp.MustCompile(`^\d+ (of|av) \d+ `).MatchString(summary) {
		t.Errorf("bulk summary %q (%v)", summary, err)
	}
	if n := count(`[data-testid="dialog-result"][data-ok]`); n == 0 {
		t.Error("no per-row results after the bulk action")
	}

	// Party chooser: type to search.
	do("party chooser",
		chromedp.Click(css(`[data-testid="party-current"]`)),
		chromedp.WaitVisible(css(`[data-testid="party-search"]`)),
		chromedp.SendKeys(css(`[data-testid="party-search"]`), "a"),
		chromedp.WaitVisible(css(`#party-results [data-testid="party-option"]`)),
	)
	b.CheckA11y("inbox with party chooser open and bulk results")

	// Language switch.
	do("switch language",
		chromedp.Click(css(`[data-testid="lang-en"]`)),
		poll("English", `document.documentElement.lang === "en"`),
	)
	for _, path := range []string{"/parties?q=a", "/", "/no-such-page", "/logged-out"} {
		do("open "+path, chromedp.Navigate(st.PortalURL+path), chromedp.WaitVisible(css("main")))
		b.CheckA11y(path)
	}
}

// inboxConsoleProblem is what the inbox journey must not show in the console: uncaught
// exceptions, CSP violations, failed loads and script errors or warnings. The 404 page's own
// failed load is expected: it is visited on purpose.
func inboxConsoleProblem(m chromedp.ConsoleMessage) bool {
	if browsertest.IsLog(m) && strings.HasSuffix(m.URL, "/no-such-page") {
		return false
	}
	return browsertest.Broken(m) || browsertest.LogError(m) || browsertest.ScriptErrorOrWarning(m)
}

// TestBrowserInboxWithoutJavaScript is the same journey with scripts off: every step is a plain
// link or form.
func TestBrowserInboxWithoutJavaScript(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	st, err := devstack.Start(ctx, devstack.Options{})
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	defer st.Close(context.Background())
	b := browsertest.New(t, browsertest.Options{JSOff: true})
	bctx, cancelRun := context.WithTimeout(b.Context(), 3*time.Minute) // a backstop: each wait has its own budget
	defer cancelRun()
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	do := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	location := func() string {
		t.Helper()
		loc, err := chromedp.Run(bctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return loc
	}

	do("log in",
		chromedp.Navigate(st.PortalURL+"/login?return_to=%2Finbox"),
		chromedp.WaitVisible(css(`[data-testid="devidporten-picker"]`)),
		chromedp.Click(css(`label[for="user-0"]`)),
		chromedp.Click(css(`button[value="login"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-row"]`)),
	)
	if h, err := chromedp.Run(bctx, chromedp.Evaluate[string](`typeof htmx`)); err != nil || h != "undefined" {
		t.Fatalf("scripts ran: typeof htmx = %q (%v)", h, err)
	}
	do("search by submitting the form",
		chromedp.SendKeys(css(`[data-testid="search-box"]`), "ska"),
		chromedp.Click(css(`[data-testid="search-submit"]`)),
		// The old page has results too: wait for the new page's server-rendered value.
		chromedp.WaitVisible(css(`[data-testid="search-box"][value="ska"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-results"]`)),
	)
	if loc := location(); !strings.Contains(loc, "q=ska") {
		t.Errorf("after search at %s", loc)
	}
	do("archive folder by link",
		chromedp.Click(css(`[data-testid="folder-archive"]`)),
		chromedp.WaitVisible(css(`[data-testid="folder-archive"][aria-current="page"]`)),
	)
	if loc := location(); !strings.Contains(loc, "folder=archive") {
		t.Errorf("after folder switch at %s", loc)
	}
	do("back to the inbox", chromedp.Click(css(`[data-testid="folder-inbox"]`)), chromedp.WaitVisible(css(`[data-testid="dialog-row"]`)))
	if nodes, err := chromedp.Run(bctx, chromedp.Nodes(css(`[data-testid="show-more"]`), chromedp.AtLeast(0))); err == nil && len(nodes) > 0 {
		do("show more as a link", chromedp.Click(css(`[data-testid="show-more"]`)))
		// The old page has rows too: wait until the browser is on the next page.
		for i := 0; i < 100 && !strings.Contains(location(), "ct="); i++ {
			time.Sleep(100 * time.Millisecond)
		}
		do("rows of the next page", chromedp.WaitVisible(css(`[data-testid="dialog-row"]`)))
		if loc := location(); !strings.Contains(loc, "ct=") {
			t.Errorf("show more went to %s", loc)
		}
	}
	do("select a row and archive it",
		chromedp.Click(css(`[data-testid="dialog-select"]`)),
		chromedp.Click(css(`[data-testid="bulk-archive"]`)),
		chromedp.WaitVisible(css(`[data-testid="bulk-results"]`)),
		chromedp.WaitVisible(css(`[data-testid="bulk-back"]`)),
	)
	do("choose a party on the chooser page",
		chromedp.Navigate(st.PortalURL+"/parties?q=a"),
		chromedp.WaitVisible(css(`[data-testid="party-option"]`)),
		chromedp.Click(css(`#party-results [data-testid="party-option"]`)),
		chromedp.WaitVisible(css(`[data-testid="inbox"]`)),
	)
	do("switch language with the form",
		chromedp.Click(css(`[data-testid="lang-nn"]`)),
		chromedp.WaitVisible(css(`html[lang="nn"]`)),
	)
}
