package e2e

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/live"
)

// liveDialogID finds the default scenario's dialog whose "Send til behandling" makes the
// service owner update it a second later (dpemu.LiveUpdateTitle), through the inbox's search.
func liveDialogID(t *testing.T, b *browser) uuid.UUID {
	t.Helper()
	b.waitVisible(rowSel)
	got := run(b, "find the live-update dialog", chromedp.Evaluate[string](`(() => {
		for (const row of document.querySelectorAll(`+jsString(rowSel)+`)) {
			const title = row.querySelector('[data-testid="dialog-title"]');
			if (title && title.textContent.trim() === `+jsString(dpemu.LiveUpdateTitle)+`) return row.querySelector('[data-testid="dialog-select"]').value;
		}
		return "";
	})()`))
	id, err := uuid.Parse(got)
	if err != nil {
		t.Fatalf("no row titled %q in the search for it", dpemu.LiveUpdateTitle)
	}
	return id
}

// changeClock records when the emulator's store applied the changes of one dialog (its
// OnChange hook runs on the mutating goroutine, right after the change is committed), leaving
// out the seen log the portal's own reads add.
type changeClock struct {
	mu          sync.Mutex
	first, last time.Time
	kinds       []dpemu.ChangeKind
}

func watchChanges(st *stack, id uuid.UUID) *changeClock {
	c := &changeClock{}
	st.Emulator.Store().OnChange(func(ch dpemu.Change) {
		if ch.DialogID != id || ch.Kind == dpemu.ChangeDialogSeen {
			return
		}
		now := time.Now()
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.first.IsZero() {
			c.first = now
		}
		c.last = now
		c.kinds = append(c.kinds, ch.Kind)
	})
	return c
}

func (c *changeClock) read() (first, last time.Time, kinds []dpemu.ChangeKind) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.first, c.last, append([]dpemu.ChangeKind(nil), c.kinds...)
}

// TestBrowserLiveDialogUpdatesInPlace (issue 11): Kari opens the dialog whose service owner
// answers "Send til behandling" a second later, and presses it. The button waits, busy, until
// the update arrives over the dialog's own subscription (dialogEvents, held by the portal); the
// page then shows the new status and the Decision transmission without a reload, says so in its
// polite status line, and does so within a second of the emulator's change (measured from the
// store's commit to the swap in the page, both on this machine's clock). A second change, while
// the reader reads the activity log with focus on a transmission, moves neither.
func TestBrowserLiveDialogUpdatesInPlace(t *testing.T) {
	st := startStack(t, "default")
	b := newBrowser(t, false)
	kari := st.Users()[0]
	b.login(st, kari.PID, "/inbox?q="+url.QueryEscape("svar kommer straks"))
	id := liveDialogID(t, b)
	page := st.PortalURL + "/dialogs/" + id.String()
	b.open(page)
	b.poll("the dialog's live stream is up", `document.querySelector('[data-testid="dialog-live"]').getAttribute("data-live-state") === "up"`)
	if n := st.Emulator.OpenDialogEventStreams(); n != 1 {
		t.Fatalf("the emulator holds %d dialogEvents streams, want 1", n)
	}
	if src := b.attr(`[data-testid="dialog-live"]`, "data-dialog-live"); src != "/dialogs/"+id.String()+"/live" {
		t.Errorf("stream URL %q", src)
	}
	if got := b.attr(`[data-testid="dialog-status"]`, "data-status"); got == "Completed" {
		t.Fatalf("status is %s before the action", got)
	}
	txBefore := b.count(`[data-testid="transmission"]`)

	// What the page shows, and when, seen from inside it: a reload would clear these.
	b.do("observe the page", chromedp.Evaluate[chromedp.Void](`(() => {
		window.innboksSeen = 0; window.innboksBusy = "";
		const txBefore = `+jsString(strings.Repeat("x", txBefore))+`.length;
		new MutationObserver(() => {
			const busy = document.querySelector('#dialog form[data-action-id] button[aria-busy="true"]');
			if (busy && !window.innboksBusy) window.innboksBusy = (busy.disabled ? "disabled:" : "enabled:") + busy.textContent.trim();
			if (!window.innboksSeen && document.querySelector('[data-testid="dialog-status"][data-status="Completed"]') &&
				document.querySelectorAll('[data-testid="transmission"]').length > txBefore) window.innboksSeen = Date.now();
		}).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
	})()`))
	clock := watchChanges(st, id)
	b.click(`[data-testid="action-primary"] [data-testid="action-button"]`)
	b.poll("the page shows the update", `window.innboksSeen > 0`)

	first, last, kinds := clock.read()
	seen := time.UnixMilli(int64(run(b, "read when", chromedp.Evaluate[float64](`window.innboksSeen`))))
	fromLast, fromFirst := seen.Sub(last), seen.Sub(first)
	t.Logf("emulator change → page shows it: %d ms after the last change (status Completed), %d ms after the first (%d changes: %v)",
		fromLast.Milliseconds(), fromFirst.Milliseconds(), len(kinds), kinds)
	if last.IsZero() || fromLast > time.Second {
		t.Errorf("the page showed the change %v after the emulator's, want ≤ 1 s", fromLast)
	}
	if busy := run(b, "read the busy state", chromedp.Evaluate[string](`window.innboksBusy`)); busy != "disabled:Venter på svar …" {
		t.Errorf("the pressed button while waiting: %q, want it disabled and busy, saying it waits", busy)
	}
	if n := b.count(`#dialog button[aria-busy="true"]`); n != 0 {
		t.Errorf("%d buttons still busy after the update", n)
	}
	if got := b.text(`[data-testid="transmission-title"]`); got != "Vedtak: søknaden er innvilget" {
		t.Errorf("newest transmission %q, want the decision", got)
	}
	b.poll("the status line says what changed", `document.querySelector('[data-testid="dialog-live-status"]').textContent.startsWith("Meldingen er oppdatert:")`)
	say := b.text(`[data-testid="dialog-live-status"]`)
	for _, part := range []string{"status", "meldinger", "aktivitetslogg"} {
		if !strings.Contains(say, part) {
			t.Errorf("status line %q does not name %q", say, part)
		}
	}
	if got := b.attr(`[data-testid="dialog-live-status"]`, "aria-live"); got != "polite" {
		t.Errorf("status line aria-live=%q, want polite", got)
	}
	if n := b.count(`[data-notice="async"]`); n != 0 {
		t.Error(`the "it may take a moment" notice stays after the update came`)
	}
	if b.url() != page+"?done=async" {
		t.Errorf("at %s, want the dialog page the action led back to", b.url())
	}

	// The reader reads the activity log, focus on the newest transmission; another change adds
	// a transmission above the log. Neither the log nor the focus moves.
	txID := b.attr(`[data-testid="transmission"]`, "data-transmission-id")
	b.do("read the log", chromedp.Evaluate[chromedp.Void](`(() => {
		document.body.style.paddingBottom = "3000px"; // room to scroll the log to the top of the window
		document.querySelector('[data-testid="activity-log"]').scrollIntoView({ block: "start" });
		document.querySelector('#tx-`+txID+` > summary').focus({ preventScroll: true });
		window.innboksSeen = 0;
	})()`))
	top := run(b, "read the log's place", chromedp.Evaluate[float64](`document.querySelector('[data-testid="activity-log"] h2').getBoundingClientRect().top`))
	txNow := b.count(`[data-testid="transmission"]`)
	st.upstream.reset()
	if _, err := st.Emulator.Store().AddTransmission(id, dpemu.Transmission{Type: dpemu.TransmissionInformation,
		Sender: dpemu.Actor{Type: dpemu.ActorServiceOwner},
		Title:  dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{{LanguageCode: "nb", Value: "Mer informasjon"}}}}); err != nil {
		t.Fatal(err)
	}
	b.poll("the new transmission shows", `document.querySelectorAll('[data-testid="transmission"]').length > `+jsString(strings.Repeat("x", txNow))+`.length`)
	after := run(b, "read the log's place", chromedp.Evaluate[float64](`document.querySelector('[data-testid="activity-log"] h2').getBoundingClientRect().top`))
	if d := after - top; d > 2 || d < -2 {
		t.Errorf("the activity log moved %.0f px when a transmission came in above it, want it to stay", d)
	}
	if !run(b, "read the focus", chromedp.Evaluate[bool](`document.activeElement === document.querySelector('#tx-`+txID+` > summary')`)) {
		t.Errorf("focus is on %s after the update, want the transmission it was on", run(b, "read the focus", chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 120)`)))
	}
	time.Sleep(time.Second) // what follows the change upstream (the seen log the fetch adds)
	t.Logf("upstream calls for one change seen by one open page: %s", summary(st.upstream.snapshot()))
	b.CheckA11y("dialog page after a live update")

	// Leaving the page closes its stream, and with the last page the upstream subscription.
	b.click(`[data-testid="dialog-back"]`)
	b.waitVisible(rowSel)
	deadline := time.Now().Add(stepTimeout)
	for st.Emulator.OpenDialogEventStreams() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the dialog page is gone, its upstream subscription is still open")
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.AssertCleanConsole()
}

// TestBrowserLiveDialogWithoutJavaScript: without JavaScript nothing streams; the action's
// answer says the service owner is at work, and the next load shows the update.
func TestBrowserLiveDialogWithoutJavaScript(t *testing.T) {
	st := startStack(t, "default")
	kari := st.Users()[0]
	finder := newBrowser(t, false)
	finder.login(st, kari.PID, "/inbox?q="+url.QueryEscape("svar kommer straks"))
	id := liveDialogID(t, finder)

	b := newBrowser(t, true)
	b.login(st, kari.PID, "/inbox")
	page := st.PortalURL + "/dialogs/" + id.String()
	b.open(page)
	b.waitVisible(`[data-testid="dialog"]`)
	clock := watchChanges(st, id)
	b.clickNav(`[data-testid="action-primary"] [data-testid="action-button"]`)
	b.waitVisible(`[data-notice="async"]`)
	if got := b.attr(`[data-testid="dialog-status"]`, "data-status"); got == "Completed" {
		t.Fatalf("status %s at once, want the service owner's update to come later", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, last, _ := clock.read(); !last.IsZero() && emuDialog(t, st, id.String()).Status == dpemu.StatusCompleted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the service owner did not update the dialog")
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.open(page)
	if got := b.attr(`[data-testid="dialog-status"]`, "data-status"); got != "Completed" {
		t.Errorf("after a reload the status is %s, want Completed", got)
	}
	if got := b.text(`[data-testid="transmission-title"]`); got != "Vedtak: søknaden er innvilget" {
		t.Errorf("after a reload the newest transmission is %q, want the decision", got)
	}
}

// TestBrowserLiveDialogFallsBackToPolling: when the portal holds its most subscriptions, a
// dialog page's stream ends at once ("busy") and the page polls instead of reconnecting.
func TestBrowserLiveDialogFallsBackToPolling(t *testing.T) {
	st := startStackOpts(t, devstack.Options{Scenario: "default", DialogWatch: live.DialogWatchOptions{MaxUpstreams: 1}})
	kari := st.Users()[0].PID
	other, _ := portalClient(t, st.Stack, kari)
	id := liveDialogRowID(t, other, st.PortalURL)
	holder := openTab(t, other, st.PortalURL, id) // another session holds the one subscription
	holder.expect(t, "stream-up", stepTimeout)

	b := newBrowser(t, false)
	b.login(st, kari, "/inbox")
	b.open(st.PortalURL + "/dialogs/" + id)
	b.poll("the page polls", `document.querySelector('[data-testid="dialog-live"]').getAttribute("data-live-state") === "polling"`)
	if n := st.Emulator.OpenDialogEventStreams(); n != 1 {
		t.Errorf("%d upstream subscriptions, want the one the other session holds", n)
	}
	b.AssertCleanConsole()
}
