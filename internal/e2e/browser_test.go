package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/browsertest"
)

// stepTimeout bounds one browser step (a navigation, a click, a wait).
const stepTimeout = browsertest.StepTimeout

// browser is one headless chromium with one tab (internal/browsertest), with the steps the
// journeys take.
type browser struct {
	*browsertest.Browser
	t   *testing.T
	ctx context.Context // the tab; no deadline (each step derives its own)
}

// newBrowser starts a fresh Norwegian chromium for t and closes it when t ends. With jsOff the
// tab runs no page script at all: the plain forms and links must carry the journey.
func newBrowser(t *testing.T, jsOff bool) *browser {
	t.Helper()
	bt := browsertest.New(t, browsertest.Options{
		JSOff: jsOff,
		// A Norwegian browser: the portal negotiates the UI language from Accept-Language.
		Lang:           "nb-NO",
		AcceptLanguage: "nb-NO,nb,no,en",
		Width:          1280,
		Height:         1000,
	})
	return &browser{Browser: bt, t: t, ctx: bt.Context()}
}

// step derives a context for one step.
func (b *browser) step() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions as one step and fails the test on error, naming what was being done.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (at %s)", what, err, b.url())
	}
}

// run runs one action that returns a value.
func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (at %s)", what, err, b.url())
	}
	return v
}

// url is the tab's current URL ("" when it cannot be read).
func (b *browser) url() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	// The navigation history works with JavaScript off, where document.location cannot be read.
	h, err := chromedp.Run(ctx, chromedp.NavigationEntries())
	if err != nil || h.CurrentIndex < 0 || int(h.CurrentIndex) >= len(h.Entries) {
		return ""
	}
	return h.Entries[h.CurrentIndex].URL
}

// open navigates and waits for the page to load; it fails on an HTTP error status.
func (b *browser) open(u string) {
	b.t.Helper()
	resp := run(b, "open "+u, chromedp.NavigateResponse(u))
	if resp != nil && resp.Status >= 400 {
		b.t.Fatalf("open %s: HTTP %d", u, resp.Status)
	}
}

// openPage navigates and waits for the page to load, whatever its HTTP status (error pages).
func (b *browser) openPage(u string) {
	b.t.Helper()
	run(b, "open "+u, chromedp.NavigateResponse(u))
}

// clickNav clicks and waits for the navigation it causes.
func (b *browser) clickNav(sel string) *network.Response {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	b.waitStill(sel)
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("click %s and wait for the next page: %v (at %s)", sel, err, b.url())
	}
	return resp
}

// clickLink is clickNav for a plain link (a GET, safe to follow twice): when the first click has
// not started a navigation within 15 s (a click that landed while the disclosure around the link
// was still settling, seen under a loaded CI machine), it clicks once more.
func (b *browser) clickLink(sel string) {
	b.t.Helper()
	b.waitStill(sel)
	before := b.url()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	_, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	cancel()
	if err == nil || b.url() != before {
		return
	}
	b.clickNav(sel)
}

// click clicks the first element matching sel (waiting until it is visible and still).
func (b *browser) click(sel string) {
	b.t.Helper()
	b.waitStill(sel)
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// waitStill scrolls sel into view and waits until its box stops moving: a click computed
// while a disclosure still opens (the design system animates them) lands beside its target.
func (b *browser) waitStill(sel string) {
	b.t.Helper()
	b.do("scroll to "+sel, chromedp.ScrollIntoView(chromedp.CSS(sel)))
	var last []float64
	for range 40 {
		box := run(b, "measure "+sel, chromedp.Dimensions(chromedp.CSS(sel)))
		if box != nil && slices.Equal(box.Content, last) {
			return
		}
		if box != nil {
			last = box.Content
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitVisible waits until sel is visible.
func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	b.do("wait for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// text is the visible text of the first element matching sel, spaces collapsed.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return squash(run(b, "read "+sel, chromedp.TextContent(chromedp.CSS(sel))))
}

// count is how many elements match sel right now (0 when none).
func (b *browser) count(sel string) int {
	b.t.Helper()
	ctx, cancel := b.step()
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.QueryNodeIDs(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return len(ids)
}

// attr is an attribute of the first element matching sel.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	r := run(b, "read "+sel+"@"+name, chromedp.AttributeValue(chromedp.CSS(sel), name))
	return r.Value
}

// attrs is an attribute of every element matching sel.
func (b *browser) attrs(sel, name string) []string {
	b.t.Helper()
	all := run(b, "read "+sel, chromedp.AttributesAll(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	out := make([]string, 0, len(all))
	for _, m := range all {
		out = append(out, m[name])
	}
	return out
}

// poll waits until the JavaScript expression is truthy (JavaScript on only). A navigation
// while it waits (htmx history, a form) is not an error: it polls again in the new page.
func (b *browser) poll(what, expr string) {
	b.t.Helper()
	if b.JSOff() {
		b.t.Fatalf("poll %q in a tab without JavaScript", what)
	}
	deadline := time.Now().Add(stepTimeout)
	for {
		ctx, cancel := context.WithDeadline(b.ctx, deadline)
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) || !navigationError(err) {
			b.t.Fatalf("%s: %v (at %s)", what, err, b.url())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// within reports whether the JavaScript expression becomes truthy within d, for what a test
// checks rather than waits for.
func (b *browser) within(d time.Duration, expr string) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d+time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(d)))
	return err == nil
}

// navigationError reports whether err comes from the page going away under a script.
func navigationError(err error) bool {
	s := err.Error()
	for _, m := range []string{"Cannot find context", "context was destroyed", "navigated or closed", "Execution context"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}

// waitPage waits, across navigations, until the tab is at a URL starting with prefix and shows
// sel. It works without JavaScript (it reads the location from the frame tree and queries the
// DOM).
func (b *browser) waitPage(prefix, sel string) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var last string
	for time.Now().Before(deadline) {
		last = b.url()
		if strings.HasPrefix(last, prefix) {
			ctx, cancel := context.WithTimeout(b.ctx, 500*time.Millisecond)
			err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(sel)))
			cancel()
			if err == nil {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatalf("waited for %s with %s; at %s", prefix, sel, last)
}

// cookies returns the browser's cookies for u, to fetch a file the way the browser would.
func (b *browser) cookies(u string) []*http.Cookie {
	b.t.Helper()
	res := run(b, "read cookies", func(ctx context.Context, t *chromedp.Target) ([]*network.Cookie, error) {
		r, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{u}})
		return r.Cookies, err
	})
	var out []*http.Cookie
	for _, c := range res {
		out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
	}
	return out
}

// squash collapses runs of white space and trims.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// login logs pid in through the double's picker and waits until the portal shows who is
// logged in at returnTo.
func (b *browser) login(st *stack, pid, returnTo string) {
	b.t.Helper()
	b.open(st.PortalURL + "/login?return_to=" + url.QueryEscape(returnTo))
	b.waitPage(st.IDPortenURL+"/", `[data-testid="devidporten-picker"]`)
	idx := -1
	for i, u := range st.Users() {
		if u.PID == pid {
			idx = i
		}
	}
	if idx < 0 {
		b.t.Fatalf("login: no test user with that pid")
	}
	b.click(fmt.Sprintf(`[data-testid="user"]:nth-of-type(%d) label`, idx+1))
	b.clickNav(`button[value="login"]`)
	b.waitPage(st.PortalURL+"/", `[data-testid="current-user"]`)
}
