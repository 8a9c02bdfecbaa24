package browsertest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// open navigates the tab to u within one step.
func open(t *testing.T, b *Browser, u string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("open %.60s: %v", u, err)
	}
}

// eval evaluates a JavaScript expression in the tab within one step.
func eval[T any](t *testing.T, b *Browser, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Context(), StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// fakeT stands in for the test New is given: it records Fatalf, Skip and Cleanup instead of
// acting on them, and can claim to have failed.
type fakeT struct {
	testing.TB
	failed bool

	mu       sync.Mutex
	fatal    string
	skipped  bool
	cleanups []func()
}

func (f *fakeT) Helper()      {}
func (f *fakeT) Failed() bool { return f.failed }
func (f *fakeT) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.fatal = fmt.Sprintf(format, args...)
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeT) Fatal(args ...any) { f.Fatalf("%s", fmt.Sprint(args...)) }
func (f *fakeT) SkipNow() {
	f.mu.Lock()
	f.skipped = true
	f.mu.Unlock()
	runtime.Goexit()
}
func (f *fakeT) Skip(args ...any)                 { f.SkipNow() }
func (f *fakeT) Skipf(format string, args ...any) { f.SkipNow() }

// runCleanups runs the recorded cleanups last first, as the testing package does.
func (f *fakeT) runCleanups() {
	f.mu.Lock()
	fns := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}

// newOn runs New on f in a goroutine of its own, so that a Fatalf there ends only that one.
func newOn(f *fakeT, o Options) *Browser {
	var b *Browser
	done := make(chan struct{})
	go func() {
		defer close(done)
		b = New(f, o)
	}()
	<-done
	return b
}

// TestMissingChromiumFails: without the browser the test fails with a message that names the
// path and how to install it; it never skips.
func TestMissingChromiumFails(t *testing.T) {
	t.Parallel()
	f := &fakeT{TB: t}
	missing := filepath.Join(t.TempDir(), "no-chromium")
	if b := newOn(f, Options{ExecPath: missing}); b != nil {
		t.Fatal("New returned a browser for a missing binary")
	}
	if f.skipped {
		t.Error("New skipped the test; want a failure")
	}
	for _, want := range []string{missing, "apt-get install chromium", "make deps"} {
		if !strings.Contains(f.fatal, want) {
			t.Errorf("failure message %q does not contain %q", f.fatal, want)
		}
	}
}

// TestJSOff: with scripts off a page's inline script does not run; SetJS(true) turns them back
// on for the next page.
func TestJSOff(t *testing.T) {
	t.Parallel()
	const page = `data:text/html,<!doctype html><html lang="en"><title>before</title><script>document.title = "ran"</script></html>`
	b := New(t, Options{JSOff: true})
	if !b.JSOff() {
		t.Fatal("JSOff() = false for a browser started with JSOff")
	}
	open(t, b, page)
	if got := eval[string](t, b, `document.title`); got != "before" {
		t.Errorf("title with scripts off = %q, want %q", got, "before")
	}
	b.SetJS(true)
	if b.JSOff() {
		t.Error("JSOff() = true after SetJS(true)")
	}
	open(t, b, page)
	if got := eval[string](t, b, `document.title`); got != "ran" {
		t.Errorf("title with scripts on = %q, want %q", got, "ran")
	}
}

// TestOptionsLanguageAndSize: the browser sends the Accept-Language it was given and has the
// window size it was given.
func TestOptionsLanguageAndSize(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case got <- r.Header.Get("Accept-Language"):
		default:
		}
		_, _ = w.Write([]byte(`<!doctype html><html lang="nb"><title>x</title></html>`))
	}))
	defer srv.Close()
	b := New(t, Options{Lang: "nb-NO", AcceptLanguage: "nb-NO,nb,no,en", Width: 1280, Height: 1000})
	open(t, b, srv.URL+"/")
	if al := <-got; !strings.HasPrefix(al, "nb-NO,nb") {
		t.Errorf("Accept-Language = %q, want it to start with nb-NO,nb", al)
	}
	if w := eval[int](t, b, `window.outerWidth`); w != 1280 {
		t.Errorf("window width = %d, want 1280", w)
	}
}

// TestShot: with E2E_SCREENSHOTS set, Shot writes a PNG named after the page.
func TestShot(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("E2E_SCREENSHOTS", dir)
	b := New(t, Options{})
	open(t, b, `data:text/html,<!doctype html><html lang="en"><title>x</title><h1>Shot</h1></html>`)
	b.Shot("10 front/page")
	assertPNG(t, filepath.Join(dir, "10_front_page.png"))
}

// TestFailureShot: when the test has failed, the browser keeps a screenshot named after the
// test before it closes.
func TestFailureShot(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("E2E_SCREENSHOTS", dir)
	f := &fakeT{TB: t, failed: true}
	b := newOn(f, Options{})
	if b == nil {
		t.Fatalf("New: %s", f.fatal)
	}
	defer f.runCleanups()
	open(t, b, `data:text/html,<!doctype html><html lang="en"><title>x</title><h1>Failed here</h1></html>`)
	f.runCleanups()
	assertPNG(t, filepath.Join(dir, "FAILED-"+fileName(t.Name())+".png"))
	// The browser is closed: the tab's context has ended.
	select {
	case <-b.Context().Done():
	case <-time.After(StepTimeout):
		t.Error("the tab's context did not end after the cleanups")
	}
}

func assertPNG(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !strings.HasPrefix(string(b), "\x89PNG\r\n\x1a\n") {
		t.Errorf("%s is not a PNG (starts %q)", path, b[:min(8, len(b))])
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"TestA/sub_test-1.x", "TestA_sub_test-1.x"},
		{"10 front page", "10_front_page"},
		{"a  //  b", "a_b"},
		{"fødsel", "f_dsel"},
		{"", ""},
	} {
		if got := fileName(tc.in); got != tc.want {
			t.Errorf("fileName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
