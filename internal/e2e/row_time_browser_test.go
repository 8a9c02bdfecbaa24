package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRowExactTimeOnHover: a row carries its change time once (datetime); hovering its
// relative time shows the exact time in Norwegian time, as the server writes it elsewhere.
func TestBrowserRowExactTimeOnHover(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
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
