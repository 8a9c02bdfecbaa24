package e2e

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/live"
)

// sseTab is one open dialog page's event stream (GET /dialogs/:id/live) as a browser holds it.
type sseTab struct {
	events chan string // event names, in order
	cancel context.CancelFunc
	done   chan struct{}
}

// openTab opens the dialog page's stream with c's cookies and reads its events until closed.
func openTab(t testing.TB, c *browsertest.Client, portal, dialogID string) *sseTab {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, portal+"/dialogs/"+dialogID+"/live", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := (&http.Client{Jar: c.HTTP.Jar}).Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		resp.Body.Close()
		cancel()
		t.Fatalf("GET /dialogs/%s/live: %d %s, want an event stream", dialogID, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	tab := &sseTab{events: make(chan string, 64), cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(tab.done)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				select {
				case tab.events <- name:
				default:
				}
			}
		}
	}()
	t.Cleanup(tab.close)
	return tab
}

// close leaves the page: the browser drops the stream.
func (tab *sseTab) close() {
	tab.cancel()
	<-tab.done
}

// expect waits for the event named want; any other event first fails the test.
func (tab *sseTab) expect(t testing.TB, want string, within time.Duration) {
	t.Helper()
	select {
	case got := <-tab.events:
		if got != want {
			t.Fatalf("event %q, want %q", got, want)
		}
	case <-time.After(within):
		t.Fatalf("no %q within %v", want, within)
	}
}

// quiet fails the test when an event arrives within d.
func (tab *sseTab) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case got := <-tab.events:
		t.Fatalf("event %q, want none", got)
	case <-time.After(d):
	}
}

// liveDialogRowID finds the default scenario's live-update dialog in c's search for it.
func liveDialogRowID(t testing.TB, c *browsertest.Client, portal string) string {
	t.Helper()
	p := c.Get(portal + "/inbox?q=" + url.QueryEscape("svar kommer straks"))
	id := ""
	p.Doc.Find(rowSel).Each(func(_ int, row *goquery.Selection) {
		if strings.TrimSpace(row.Find(`[data-testid="dialog-title"]`).Text()) == dpemu.LiveUpdateTitle {
			id = rowID(row)
		}
	})
	if id == "" {
		t.Fatalf("no row titled %q", dpemu.LiveUpdateTitle)
	}
	return id
}

const subscribeCall = "POST /dialogporten/graphql/stream"

// TestRouterLiveDialogSubscriptions (issue 11) runs the portal against the emulator with
// dialog tokens that live 4 s (Dialogporten's live 600 s) and renewal 1 s before expiry: two tabs
// of one dialog make one upstream subscription; its token is renewed before the emulator would
// end the stream for an expired one (the emulator ends a stream when its token expires, so a
// late renewal shows as "stream-down"); the tabs still get the dialog's changes afterwards;
// closing both tabs closes the subscription. A dialog of someone else's is refused before any
// subscription is made.
func TestRouterLiveDialogSubscriptions(t *testing.T) {
	const lifetime = 4 * time.Second
	st := startStackDirect(t, devstack.Options{Scenario: "default", DialogTokenLifetime: lifetime, DialogWatch: live.DialogWatchOptions{RenewBefore: time.Second}})
	c, _ := portalClient(t, st.Stack, st.Users()[0].PID)
	id := liveDialogRowID(t, c, st.PortalURL)
	start := st.Emulator.DialogEventRequests()
	subscriptions := func() int { return st.Emulator.DialogEventRequests() - start }

	one := openTab(t, c, st.PortalURL, id)
	one.expect(t, "stream-up", stepTimeout)
	two := openTab(t, c, st.PortalURL, id)
	two.expect(t, "stream-up", stepTimeout)
	if n := st.Emulator.OpenDialogEventStreams(); n != 1 {
		t.Errorf("two tabs of one dialog hold %d upstream subscriptions, want 1", n)
	}
	if n := subscriptions(); n != 1 {
		t.Errorf("two tabs made %d subscriptions upstream, want 1", n)
	}

	// Three token lifetimes: the renewals keep the stream up, the tabs hear nothing of them.
	one.quiet(t, 3*lifetime)
	two.quiet(t, 0)
	if n := subscriptions(); n < 3 {
		t.Errorf("%d subscriptions over three token lifetimes, want the first and at least two renewals", n)
	}
	// A renewal holds two for a moment (the new stream opens before the old one closes).
	for deadline := time.Now().Add(stepTimeout); st.Emulator.OpenDialogEventStreams() != 1; {
		if time.Now().After(deadline) {
			t.Fatalf("%d upstream subscriptions after the renewals, want 1", st.Emulator.OpenDialogEventStreams())
		}
		time.Sleep(10 * time.Millisecond)
	}
	uid := uuid.MustParse(id)
	if _, err := st.Emulator.Store().AddActivity(uid, dpemu.Activity{Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner}}); err != nil {
		t.Fatal(err)
	}
	one.expect(t, "dialog-updated", stepTimeout)
	two.expect(t, "dialog-updated", stepTimeout)

	one.close()
	if n := st.Emulator.OpenDialogEventStreams(); n != 1 {
		t.Errorf("one tab left: %d upstream subscriptions, want 1", n)
	}
	two.close()
	deadline := time.Now().Add(stepTimeout)
	for st.Emulator.OpenDialogEventStreams() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("both tabs closed, the upstream subscription is still open")
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Someone else's dialog: the same 404 as for any unknown dialog, and nothing upstream but
	// the dialog's own fetch.
	other := otherPersonsDialog(t, st)
	before := subscriptions()
	if p := c.Get(st.PortalURL + "/dialogs/" + other + "/live"); p.Resp.StatusCode != http.StatusNotFound {
		t.Errorf("stream of another person's dialog: %d, want 404", p.Resp.StatusCode)
	}
	if n := subscriptions(); n != before {
		t.Errorf("a subscription was attempted for another person's dialog")
	}
}

// otherPersonsDialog is a new dialog of an organisation the first test user cannot act for.
func otherPersonsDialog(t *testing.T, st *stack) string {
	t.Helper()
	id, err := st.Emulator.Store().CreateDialog(&dpemu.Dialog{ServiceResource: "urn:altinn:resource:live-test",
		Party: "urn:altinn:organization:identifier-no:999999999"})
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}
