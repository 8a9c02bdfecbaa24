package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/browsertest"
)

// dialogPortal serves the web layer with the dialog routes over fakes on a plain-http loopback
// server, every request logged in as the fake session (the cookie is added server-side, so the
// browser needs no login). Label changes are applied to the fake dialog, so the page shows them.
func dialogPortal(t *testing.T) (string, *serviceOwner, *fakeDialogs) {
	t.Helper()
	so := newServiceOwner(t)
	hs := httptest.NewUnstartedServer(nil)
	base := "http://" + hs.Listener.Addr().String()
	a := newFakeAuth()
	cfg := Config{PublicURL: base, SecureCookies: false}
	d := fixtureDialog(so.srv.URL, so.other.URL)
	fd := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{fxDialog: d}, apply: true}
	srv := newTestServer(cfg, a, &fakeDP{parties: testParties()}, DialogDeps{Auth: a, DP: fd, Out: so.outbound()})
	hs.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
		srv.Echo.ServeHTTP(w, r)
	})
	hs.Start()
	t.Cleanup(hs.Close)
	return base, so, fd
}

// dialogBrowser starts Chromium (JavaScript on or off) whose uncaught exceptions, CSP
// violations and failed loads fail the test when it ends. ctx is the tab with the test's
// deadline.
func dialogBrowser(t *testing.T, js bool) (b *browsertest.Browser, ctx context.Context) {
	t.Helper()
	b = browsertest.New(t, browsertest.Options{JSOff: !js})
	t.Cleanup(func() {
		b.AssertConsole(func(m chromedp.ConsoleMessage) bool { return browsertest.Broken(m) || browsertest.LogError(m) })
	})
	ctx, cancel := context.WithTimeout(b.Context(), 3*time.Minute) // a backstop: each wait has its own budget
	t.Cleanup(cancel)
	return b, ctx
}

func browserDo(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// browserPoll waits until the JavaScript condition expr is true. It polls from Go with plain
// evaluations, because chromedp.Poll relies on the page's timers, which do not run when
// JavaScript is disabled for the page.
func browserPoll(step, expr string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("%s: condition still false (%v)", step, err)
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("%s: %w", step, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

func browserEval[T any](t *testing.T, ctx context.Context, expr string, await bool) T {
	t.Helper()
	var opts []chromedp.EvaluateOption
	if await {
		opts = append(opts, chromedp.EvalAwaitPromise)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %.60s: %v", expr, err)
	}
	return v
}

// TestBrowserDialog opens a dialog in Chromium with JavaScript: the content loads lazily and
// sanitised, a transmission loads its content when opened, an attachment downloads with the
// service owner's exact bytes, a prompted action runs through its confirmation page, and the
// dialog is archived — with no CSP violation or script error, and axe-core clean.
func TestBrowserDialog(t *testing.T) {
	t.Parallel()
	base, so, fd := dialogPortal(t)
	b, ctx := dialogBrowser(t, true)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }

	browserDo(t, ctx, "open the dialog",
		chromedp.Navigate(base+"/dialogs/"+fxDialog),
		chromedp.WaitVisible(css(`[data-testid="dialog-title"]`)),
		browserPoll("content loaded", `!!document.querySelector('[data-testid="dialog-content"] h3')`),
	)
	if got := browserEval[string](t, ctx, `document.querySelector('[data-testid="dialog-content"] h3').textContent`, false); got != "Hei (en)" {
		t.Errorf("content heading = %q", got)
	}
	if n := browserEval[int](t, ctx, `document.querySelectorAll('main script, main iframe, main [onclick], main a[href^="javascript"]').length`, false); n != 0 {
		t.Errorf("%d hostile elements in the page", n)
	}
	b.CheckA11y("dialog page")

	browserDo(t, ctx, "open a transmission",
		chromedp.Click(css(`#tx-`+fxTx1+` summary`)),
		browserPoll("transmission content loaded", `!!document.querySelector('#tx-content-`+fxTx1+` h4')`),
	)
	if got := browserEval[string](t, ctx, `document.querySelector('#tx-content-`+fxTx1+` h4').textContent`, false); got != "Opplysninger" {
		t.Errorf("transmission content heading = %q", got)
	}

	// Download through Innboks and compare the bytes (SHA-256 in the page).
	href := "/dialogs/" + fxDialog + "/attachments/" + fxAttPDF + "/" + fxURLGui
	got := browserEval[string](t, ctx, `fetch("`+href+`").then(r => r.arrayBuffer()).then(b => crypto.subtle.digest("SHA-256", b)).then(d => Array.from(new Uint8Array(d)).map(x => x.toString(16).padStart(2, "0")).join(""))`, true)
	if want := fullSHA(pdfBytes); got != want {
		t.Errorf("downloaded sha256 %s, want %s", got, want)
	}

	// The menu opens with Designsystemet's height transition: wait until the action is the
	// element under the pointer before clicking it.
	browserDo(t, ctx, "run the prompted action",
		chromedp.Click(css(`[data-testid="tertiary-menu"] summary`)),
		browserPoll("menu open", clickable(`[data-action-id="`+fxActPrompt+`"]`)),
		chromedp.Click(css(`[data-action-id="`+fxActPrompt+`"]`)),
		chromedp.WaitVisible(css(`[data-testid="confirm-prompt"]`)),
	)
	b.CheckA11y("confirmation page")
	browserDo(t, ctx, "confirm",
		chromedp.Click(css(`[data-testid="confirm-yes"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-notice"]`)),
	)
	if calls := so.callsTo("/actions/sign"); len(calls) != 1 || calls[0].Auth != "Bearer "+fxDialogToken {
		t.Errorf("service owner calls = %+v", calls)
	}

	browserDo(t, ctx, "archive",
		chromedp.Click(css(`[data-testid="label-archive"]`)),
		browserPoll("archived", `document.querySelector('[data-testid="dialog-folder"]')?.dataset.folder === "archive"`),
	)
	if got := browserEval[string](t, ctx, `location.pathname + location.search`, false); !strings.HasPrefix(got, "/dialogs/"+fxDialog) {
		t.Errorf("URL after archive = %q", got)
	}
	if labels := fd.labelCalls(); len(labels) != 1 || labels[0].IfMatch != "ctx-rev-1" {
		t.Errorf("label calls = %+v", labels)
	}
}

// TestBrowserDialogWithoutJavaScript is the same with scripts off: the content is a link to
// its own page, the tertiary menu is a native <details>, the action and archive are forms.
func TestBrowserDialogWithoutJavaScript(t *testing.T) {
	t.Parallel()
	base, so, _ := dialogPortal(t)
	_, ctx := dialogBrowser(t, false)
	css := func(s string) chromedp.CSS { return chromedp.CSS(s) }
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(css(sel)))
		if err != nil {
			t.Fatalf("text %s: %v", sel, err)
		}
		return s
	}
	browserDo(t, ctx, "open the dialog and its content",
		chromedp.Navigate(base+"/dialogs/"+fxDialog),
		chromedp.WaitVisible(css(`[data-testid="dialog-content-link"]`)),
		chromedp.Click(css(`[data-testid="dialog-content-link"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-content"] h3`)),
	)
	if got := text(`[data-testid="dialog-content"] h3`); got != "Hei (en)" { // headless Chromium asks for English
		t.Errorf("content heading = %q", got)
	}
	browserDo(t, ctx, "prompted action",
		chromedp.Navigate(base+"/dialogs/"+fxDialog),
		chromedp.Click(css(`[data-testid="tertiary-menu"] summary`)),
		browserPoll("menu open", clickable(`[data-action-id="`+fxActPrompt+`"]`)),
		chromedp.Click(css(`[data-action-id="`+fxActPrompt+`"]`)),
		chromedp.WaitVisible(css(`[data-testid="confirm-yes"]`)),
		chromedp.Click(css(`[data-testid="confirm-yes"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-notice"]`)),
	)
	if len(so.callsTo("/actions/sign")) != 1 {
		t.Errorf("the action did not reach the service owner")
	}
	browserDo(t, ctx, "archive",
		chromedp.Click(css(`[data-testid="label-archive"]`)),
		chromedp.WaitVisible(css(`[data-testid="dialog-folder"]`)),
	)
	if got := text(`[data-testid="dialog-notice"]`); !strings.Contains(got, "archive") {
		t.Errorf("notice = %q", got)
	}
}

// clickable is a JavaScript condition: the element is the one a click at its centre hits.
func clickable(sel string) string {
	return `(() => { const a = document.querySelector('` + sel + `'); if (!a) return false; a.scrollIntoView({block: "center"});
		const r = a.getBoundingClientRect(); const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
		return !!e && (e === a || a.contains(e)); })()`
}

func (f *fakeDialogs) labelCalls() []labelCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.labels)
}
