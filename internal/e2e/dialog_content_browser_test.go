package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// hostileSel matches, inside sanitised content, what the emulator's hostile documents
// (serviceowner.FaultHostile) carry and a sanitiser must not let through.
const hostileSel = `script, iframe, object, embed, style, base, meta, link, form, input, svg,
	[onclick], [onerror], [onload], [onmouseover], [formaction], [srcdoc], [style],
	a[href^="javascript" i], a[href^="vbscript" i], a[href^="data:" i],
	[href*="evil.invalid"], [src*="evil.invalid"], [action*="evil.invalid"]`

// hostileInMain matches what no part of the page's <main> may hold, content or not.
const hostileInMain = `main script, main iframe, main [onclick], main a[href^="javascript"]`

// dialogConsoleProblem is what a dialog page must not show in the console: an uncaught
// exception, a CSP violation, or a failed load.
func dialogConsoleProblem(m chromedp.ConsoleMessage) bool {
	return browsertest.Broken(m) || browsertest.LogError(m)
}

// assertSanitisedContent checks the loaded content at sel, fetched from a dialog with
// serviceowner.FaultHostile: its first heading (level h) is title, it is in Norwegian (the
// emulator's "Detaljer" heading), the hostile block arrived ("Sanitiser test") but none of its
// markup survived, and nothing in <main> can run script.
func assertSanitisedContent(t *testing.T, b *browser, sel, h, title string) {
	t.Helper()
	if title == "" {
		t.Fatalf("%s: the emulator's dialog has no Norwegian title to compare with", sel)
	}
	if b.count(sel+` [data-testid="content-problem"]`) != 0 {
		t.Fatalf("%s shows a problem: %q", sel, b.text(sel+` [data-testid="content-problem"]`))
	}
	if got := b.text(sel + " " + h); got != title {
		t.Errorf("%s: first %s %q, want the title %q", sel, h, got, title)
	}
	headings := run(b, "read the headings of "+sel, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(`+jsString(sel)+`)].flatMap(c => [...c.querySelectorAll("h1, h2, h3, h4, h5, h6")]).map(e => e.textContent.trim())`))
	for _, want := range []string{"Detaljer", "Sanitiser test"} {
		if !strings.Contains(strings.Join(headings, "\n"), want) {
			t.Errorf("%s: no heading %q among %q", sel, want, headings)
		}
	}
	bad := run(b, "look for hostile markup in "+sel, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll(`+jsString(sel)+`)].flatMap(c => [...c.querySelectorAll(`+jsString(hostileSel)+`)]).map(e => e.outerHTML.slice(0, 120))`))
	for _, e := range bad {
		t.Errorf("%s: hostile markup survived: %s", sel, e)
	}
	if n := b.count(hostileInMain); n != 0 {
		t.Errorf("%d hostile elements in the page's main", n)
	}
}

// assertHeadingOutline checks that the page's headings start at h1 and never go down more than
// one level at a time (WCAG 1.3.1).
func assertHeadingOutline(t *testing.T, b *browser) {
	t.Helper()
	levels := run(b, "read the heading levels", chromedp.Evaluate[[]int](
		`[...document.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(e => +e.tagName[1])`))
	prev := 0
	for _, l := range levels {
		if l > prev+1 {
			t.Errorf("heading levels %v: h%d after h%d skips a level", levels, l, prev)
			return
		}
		prev = l
	}
}

// TestBrowserDialogContentAndArchive opens dialogs whose service owner serves hostile content,
// with and without JavaScript: the content (and, with JavaScript, a transmission's) loads in the
// person's language with its title, sanitised; archiving keeps the person on the dialog page
// with one call to Dialogporten (with JavaScript) or says so in a notice (without). The
// journey steps around it (actions, downloads, confirmation) are TestBrowserDialog's.
func TestBrowserDialogContentAndArchive(t *testing.T) {
	st := startStack(t, "default")
	pid := st.Users()[0].PID
	c, inbox := portalClient(t, st.Stack, pid)
	ids := allRows(t, st, c, inbox)
	j := pickJourneyDialogs(t, st, ids)
	var plain *dpemu.Dialog // a second app dialog with main content, for the run without JavaScript
	for _, id := range ids {
		if d := emuDialog(t, st, id); d.ID != j.app.ID && d.ServiceResourceType == dpemu.ResourceTypeApp && d.Content.MainContentReference != nil {
			plain = d
			break
		}
	}
	if plain == nil {
		t.Fatal("the inbox has only one app dialog with main content")
	}
	requireDialogRoutes(t, st, j.app.ID.String())
	st.ServiceOwner.Faults().Set(j.app.ID, serviceowner.FaultHostile)
	st.ServiceOwner.Faults().Set(plain.ID, serviceowner.FaultHostile)

	t.Run("JavaScript", func(t *testing.T) {
		b := newBrowser(t, false)
		b.login(st, pid, "/inbox")
		appID := j.app.ID.String()
		b.open(st.PortalURL + "/dialogs/" + appID)
		b.waitVisible(`[data-testid="dialog"][data-dialog-id="` + appID + `"]`)
		b.poll("the content loads", `!!document.querySelector('[data-testid="dialog-content"] h3')`)
		assertSanitisedContent(t, b, `[data-testid="dialog-content"]`, "h3", j.app.Content.Title.Value.Get("nb"))

		tx := `#tx-` + j.tx.ID.String()
		b.click(tx + ` > summary`)
		b.poll("the transmission content loads", `!!document.querySelector('`+tx+` [data-testid="transmission-content"] h4')`)
		assertSanitisedContent(t, b, tx+` [data-testid="transmission-content"]`, "h4", j.tx.Title.Value.Get("nb"))

		put := "PUT /dialogporten/api/v1/enduser/dialogs/" + appID + "/context/systemlabels"
		st.upstream.reset()
		b.click(`[data-testid="label-archive"]`)
		b.poll("archived", `document.querySelector('[data-testid="dialog-folder"]')?.dataset.folder === "archive"`)
		if got := b.url(); !strings.HasPrefix(got, st.PortalURL+"/dialogs/"+appID) {
			t.Errorf("URL after archive = %q, want the dialog page", got)
		}
		n := 0
		for _, call := range st.upstream.snapshot() {
			if call == put {
				n++
			}
		}
		if n != 1 {
			t.Errorf("archiving made %d label calls to Dialogporten (%s), want 1", n, summary(st.upstream.snapshot()))
		}
		b.AssertConsole(dialogConsoleProblem)
	})

	t.Run("without JavaScript", func(t *testing.T) {
		b := newBrowser(t, true)
		b.login(st, pid, "/inbox")
		id := plain.ID.String()
		b.open(st.PortalURL + "/dialogs/" + id)
		b.clickNav(`[data-testid="dialog-content-link"]`)
		// On its own page the content's headings go right under the page's h1.
		b.waitVisible(`[data-testid="dialog-content"] h2`)
		assertSanitisedContent(t, b, `[data-testid="dialog-content"]`, "h2", plain.Content.Title.Value.Get("nb"))
		assertHeadingOutline(t, b)

		// A transmission's content page likewise (its link, inside the closed transmission).
		b.open(st.PortalURL + "/dialogs/" + j.app.ID.String())
		b.open(st.PortalURL + b.attr(`#tx-`+j.tx.ID.String()+` [data-testid="transmission-content-link"]`, "href"))
		b.waitVisible(`[data-testid="transmission-content"] h2`)
		assertSanitisedContent(t, b, `[data-testid="transmission-content"]`, "h2", j.tx.Title.Value.Get("nb"))
		assertHeadingOutline(t, b)

		b.open(st.PortalURL + "/dialogs/" + id)
		b.clickNav(`[data-testid="label-archive"]`)
		b.waitVisible(`[data-testid="dialog-folder"][data-folder="archive"]`)
		if got := b.text(`[data-testid="dialog-notice"]`); !strings.Contains(got, "arkiv") {
			t.Errorf("notice after archiving = %q, want it to name the archive", got)
		}
		b.AssertConsole(dialogConsoleProblem)
	})
}
