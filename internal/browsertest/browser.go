package browsertest

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium, the browser every browser test runs; `make deps` installs it.
const ChromiumPath = "/usr/bin/chromium"

// StepTimeout bounds one browser step the package runs itself (an axe run, a screenshot), and
// the waits of the browser tests. Steps end as soon as they are done, so it is generous: a
// CPU-starved chromium on a busy two-core machine running the suite under -race is slow.
const StepTimeout = 60 * time.Second

// Options configure one browser. The zero value is Chromium's defaults with JavaScript on.
type Options struct {
	// JSOff starts the tab with page scripts off: the plain forms and links must carry the
	// journey. DevTools evaluations still run.
	JSOff bool
	// Lang and AcceptLanguage, when set, are the browser's UI language (--lang) and the
	// Accept-Language it sends (--accept-lang), e.g. "nb-NO" and "nb-NO,nb,no,en".
	Lang, AcceptLanguage string
	// Width and Height, when both are set, are the window size in CSS pixels.
	Width, Height int
	// ExecPath is the browser binary; empty means [ChromiumPath].
	ExecPath string
}

// Browser is one headless chromium with one tab, started for a test and closed when it ends.
type Browser struct {
	t     testing.TB
	ctx   context.Context // the tab; no deadline (each step derives its own)
	jsOff bool

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// New starts a fresh chromium for t (its own profile in t.TempDir()) and closes it when t
// ends; if t has failed by then, it first keeps a screenshot of the page (see the package doc).
// A missing chromium fails t, naming the path and how to install it.
func New(t testing.TB, o Options) *Browser {
	t.Helper()
	path := o.ExecPath
	if path == "" {
		path = ChromiumPath
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s (apt-get install chromium; `make deps` does): %v", path, err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	if o.Width > 0 && o.Height > 0 {
		opts = append(opts, chromedp.WindowSize(o.Width, o.Height))
	}
	if o.Lang != "" {
		opts = append(opts, chromedp.Flag("lang", o.Lang))
	}
	if o.AcceptLanguage != "" {
		opts = append(opts, chromedp.Flag("accept-lang", o.AcceptLanguage))
	}
	// The browser lives on a context of its own, not t.Context(): that one ends before the
	// cleanups run, and the failure screenshot needs the tab.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for the browser process to exit
	})
	// Start the browser on the tab context itself, without a deadline: the first Run binds the
	// browser's life to its context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &Browser{t: t, ctx: ctx}
	go b.collectConsole(chromedp.Console(ctx))
	if o.JSOff {
		b.SetJS(false)
	}
	// Registered after the browser's cleanup, so it runs first, while the tab still lives.
	t.Cleanup(func() {
		if t.Failed() {
			b.failureShot()
		}
	})
	return b
}

// Context is the tab's context, without a deadline: derive one per step.
func (b *Browser) Context() context.Context { return b.ctx }

// JSOff reports whether page scripts are off in the tab.
func (b *Browser) JSOff() bool { return b.jsOff }

// SetJS turns page scripts on or off for the next pages. Turning them on also lets axe run on a
// page that was loaded without them (its DOM is what a person without JavaScript got).
func (b *Browser) SetJS(on bool) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
		b.t.Fatalf("turn JavaScript on=%t: %v", on, err)
	}
	b.jsOff = !on
}
