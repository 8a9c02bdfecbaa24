package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserAppScript checks what app.js sets up on a page: htmx's configuration (no eval, no
// script tags, no indicator <style>, no style attribute settled, errors swapped, no history in
// localStorage), which the page no longer carries; and a row's exact change time, which a row
// carries once (datetime): hovering its relative time shows it in Norwegian time, as the server
// writes it elsewhere.
func TestBrowserAppScript(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	cfg := run(b, "htmx's configuration", chromedp.Evaluate[string](`(() => { const c = htmx.config; return [c.allowEval, c.allowScriptTags,
		c.includeIndicatorStyles, c.selfRequestsOnly, c.attributesToSettle.includes("style"), c.historyCacheSize,
		c.responseHandling.some(r => r.code === "[45].." && r.swap && r.error), document.querySelectorAll("head style").length].join(" ") })()`))
	if want := "false false false true false 0 true 0"; cfg != want {
		t.Errorf("htmx config [allowEval allowScriptTags includeIndicatorStyles selfRequestsOnly settles-style historyCacheSize swaps-errors head-styles] = %s, want %s", cfg, want)
	}
	sel := rowSel + ` [data-testid="dialog-updated"]`
	if got := b.attr(sel, "title"); got != "" {
		t.Fatalf("the row came with a title %q; want it made on hover", got)
	}
	b.do("hover the first row's time", chromedp.ScrollIntoView(sel), chromedp.Click(sel, chromedp.NodeVisible), chromedp.Sleep(0))
	b.poll("the tooltip is written", `!!document.querySelector('`+sel+`').title`)
	when, err := time.Parse(time.RFC3339, b.attr(sel, "datetime"))
	if err != nil {
		t.Fatal(err)
	}
	oslo, _ := time.LoadLocation("Europe/Oslo")
	if got, want := b.attr(sel, "title"), when.In(oslo).Format("02.01.2006 15:04"); got != want {
		t.Errorf("tooltip %q, want %q", got, want)
	}
}
