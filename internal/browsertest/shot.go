package browsertest

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// Shot saves a PNG of the viewport as name.png into $E2E_SCREENSHOTS when it is set.
func (b *Browser) Shot(name string) {
	b.t.Helper()
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		return
	}
	b.saveShot(dir, name, false)
}

// failureShot keeps a full-page PNG of the page the test failed on: in $E2E_SCREENSHOTS, or in
// a new directory under the system temp dir that is left for the person to look at.
func (b *Browser) failureShot() {
	dir := os.Getenv("E2E_SCREENSHOTS")
	if dir == "" {
		d, err := os.MkdirTemp("", "innboks-browser-")
		if err != nil {
			return
		}
		dir = d
	}
	b.saveShot(dir, "FAILED-"+b.t.Name(), true)
}

// fileName turns a test or page name into a file name: each run of characters other than
// ASCII letters, digits, '.', '_' and '-' becomes one '_'.
func fileName(name string) string {
	var sb strings.Builder
	run := false
	for _, r := range name {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r))
		switch {
		case ok:
			sb.WriteRune(r)
		case !run:
			sb.WriteByte('_')
		}
		run = !ok
	}
	return sb.String()
}

// saveShot writes a PNG of the viewport, or of the whole page when full.
func (b *Browser) saveShot(dir, name string, full bool) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot dir: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, StepTimeout)
	defer cancel()
	shoot := chromedp.CaptureScreenshot()
	if full {
		shoot = chromedp.FullScreenshot(100)
	}
	png, err := chromedp.Run(ctx, shoot)
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(dir, fileName(name)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}
