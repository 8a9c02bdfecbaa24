package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/dpemu"
)

// TestBrowserLiveUpdates: a service owner adds an activity to a dialog in the open inbox; the
// emulator's CloudEvent reaches the portal's webhook, the hub and the tab's event stream, and
// the inbox shows the polite "1 new or changed message — show" banner without a reload; "show"
// reloads the list with htmx and the banner is gone. The dev stack subscribes the webhook with
// its secret (devstack.Start).
func TestBrowserLiveUpdates(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()
	if n := b.count(`[data-testid="live"][sse-connect]`); n != 1 {
		t.Fatalf("inbox has %d live streams, want 1", n)
	}
	if src := b.attr(`[data-testid="live"]`, "sse-connect"); strings.Contains(src, st.Users()[0].PID) {
		t.Fatalf("the stream URL carries the national identity number: %q", src)
	}
	id, err := uuid.Parse(b.rowIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	changes := changeUntilBanner(t, b, st, id, `[data-testid="live"][sse-connect]`)
	if got, want := b.text(`[data-testid="live-text"]`), "1 ny eller endret melding."; got != want {
		t.Errorf("banner = %q, want %q (%d changes of one dialog)", got, want, changes)
	}
	if b.url() != inbox {
		t.Errorf("the page moved to %s, want it to stay at %s", b.url(), inbox)
	}
	b.CheckA11y("inbox with the live banner")

	b.click(`[data-testid="live-show"]`)
	b.poll("the list reloads without the banner", `document.querySelector('[data-testid="live-banner"]') === null && document.querySelector('[data-testid="live"][sse-connect]') !== null`)
	if got := b.rowIDs(); len(got) == 0 {
		t.Fatal("no rows after show")
	}
	// A second change after the reload counts from one again, on the new stream.
	changeUntilBanner(t, b, st, id, `[data-testid="live"][sse-connect]`)
	if got := b.text(`[data-testid="live-text"]`); got != "1 ny eller endret melding." {
		t.Errorf("banner after reload = %q, want a fresh count of 1", got)
	}
	b.AssertCleanConsole()
}

// TestBrowserLiveDialogPage: a dialog's page (opened boosted from the list) follows its
// dialog's own subscription, not the webhook's banner: the user's own opening changes nothing on
// it, and a service owner's change of that dialog refreshes the part it changed in place, says
// so politely and keeps the page's stream (issue 11; the action journey is
// TestBrowserLiveDialogUpdatesInPlace).
func TestBrowserLiveDialogPage(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	id, err := uuid.Parse(b.rowIDs()[0])
	if err != nil {
		t.Fatal(err)
	}
	page := st.PortalURL + "/dialogs/" + id.String()
	// Opened from the list, boosted: the dialog page's stream must start in the swapped-in body
	// (the inbox's closes with the body it belonged to).
	b.openBoosted(rowOf(id.String())+` [data-testid="dialog-title"] a`, page, `[data-testid="dialog"]`)
	if n := b.count(`#dialog [data-testid="live"]`); n != 0 {
		t.Errorf("dialog page has %d webhook banners' streams, want none beside its own", n)
	}
	b.poll("the dialog's own stream is up", `document.querySelector('#dialog [data-testid="dialog-live"]').getAttribute("data-live-state") === "up"`)
	b.poll("the inbox's stream has closed", `document.querySelector('[data-testid="live"]') === null`)
	said := `document.querySelector('[data-testid="dialog-live-status"]').textContent !== ""`
	if b.within(2*time.Second, said) {
		t.Fatal("the page says it was updated after the user's own opening, want nothing")
	}
	b.do("mark the stream", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="dialog-live"]').innboksMark = 1`))
	logBefore := b.count(`[data-testid="log-entry"]`)
	if _, err := st.Emulator.Store().AddActivity(id, dpemu.Activity{
		Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner},
	}); err != nil {
		t.Fatal(err)
	}
	b.poll("the activity log shows the change", `document.querySelectorAll('[data-testid="log-entry"]').length > `+strconv.Itoa(logBefore))
	b.poll("the status line says so", said)
	if got := b.text(`[data-testid="dialog-live-status"]`); !strings.Contains(got, "aktivitetslogg") {
		t.Errorf("status line %q, want it to name the activity log", got)
	}
	if b.url() != page {
		t.Errorf("at %s, want still %s", b.url(), page)
	}
	if n := b.count(`#dialog`); n != 1 {
		t.Errorf("%d #dialog elements after the update, want 1", n)
	}
	if !run(b, "read the mark", chromedp.Evaluate[bool](`document.querySelector('[data-testid="dialog-live"]').innboksMark === 1`)) {
		t.Error("the page's stream was replaced by the update, want it kept")
	}
	// Deleted: back to the list, which says why.
	back := b.attr(`[data-testid="dialog-back"]`, "href")
	if err := st.Emulator.Store().DeleteDialog(id); err != nil {
		t.Fatal(err)
	}
	b.poll("back to the list", `location.pathname + location.search === `+jsString(back)+` && !!document.querySelector('[data-testid="flash"]')`)
	if got := b.text(`#app-messages [data-testid="flash"]`); got != "Meldingen er slettet. Du er tilbake i listen." {
		t.Errorf("the list says %q, want why the dialog page closed", got)
	}
	b.AssertCleanConsole()
}

// changeUntilBanner waits until the page's live stream (the element stream selects) is open,
// then has the service owner change dialog id until the banner shows, and returns the number of
// changes. The event travels emulator → webhook → hub → stream, which a busy machine makes
// slow, so each change gets a whole step; the portal subscribes before it answers the stream,
// so the first change normally does.
func changeUntilBanner(t *testing.T, b *browser, st *stack, id uuid.UUID, stream string) int {
	t.Helper()
	b.poll("the live stream opens", `(() => {
		const el = document.querySelector(`+jsString(stream)+`);
		const es = el && el["htmx-internal-data"] && el["htmx-internal-data"].sseEventSource;
		return !!es && es.readyState === EventSource.OPEN;
	})()`)
	for changes := 1; ; changes++ {
		if _, err := st.Emulator.Store().AddActivity(id, dpemu.Activity{
			Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner},
		}); err != nil {
			t.Fatal(err)
		}
		if b.within(stepTimeout, `document.querySelector('[data-testid="live-banner"]') !== null`) {
			return changes
		}
		if changes == 3 {
			t.Fatalf("no live banner after %d changes; portal log:\n%s", changes, st.logs.String())
		}
	}
}
