package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/testlog"
)

// TestRouterLivePollFallback: without EVENTS_WEBHOOK_SECRET there is no webhook and no stream;
// the inbox polls /live/changes, which asks the emulator (through the contract-checked
// client) for dialogs updated since the page was shown and answers the banner.
func TestRouterLivePollFallback(t *testing.T) {
	st := startStackEnv(t, "default", map[string]string{"EVENTS_WEBHOOK_SECRET": ""})
	c := browsertest.NewClient(t)
	pid := st.Users()[0].PID
	p := c.Login(st.PortalURL, st.IDPortenURL, pid, "/inbox")
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", p.Resp.StatusCode)
	}
	c.Secret = pid
	t.Cleanup(func() { testlog.AssertNoSecrets(t, st.logs.String(), c.Visits(), pid) })

	if n := p.Doc.Find("[sse-connect]").Length(); n != 0 {
		t.Errorf("inbox without a webhook secret has %d streams, want 0", n)
	}
	poll, ok := p.Doc.Find(`[data-testid="live-slot"]`).Attr("hx-get")
	if !ok || !strings.HasPrefix(poll, "/live/changes?") {
		t.Fatalf("poll URL = %q, want /live/changes?…", poll)
	}
	hook, err := http.Post(st.PortalURL+"/events?secret=", "application/json",
		strings.NewReader(`{"specversion":"1.0","id":"x","type":"platform.events.validatesubscription","source":"s"}`))
	if err != nil {
		t.Fatal(err)
	}
	hook.Body.Close()
	if hook.StatusCode != http.StatusNotFound {
		t.Errorf("POST /events without a configured secret: %d, want 404", hook.StatusCode)
	}
	id, err := uuid.Parse(rowID(p.Doc.Find(rowSel).First()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Emulator.Store().AddActivity(id, dpemu.Activity{
		Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner},
	}); err != nil {
		t.Fatal(err)
	}
	got := c.Get(st.PortalURL+poll, "HX-Request", "true")
	if got.Resp.StatusCode != http.StatusOK {
		t.Fatalf("poll after a change: %d, want 200 with the banner", got.Resp.StatusCode)
	}
	if text := squash(got.Doc.Find(`[data-testid="live-text"]`).Text()); text != "1 ny eller endret melding." {
		t.Errorf("banner = %q, want one changed dialog", text)
	}
	// Within 30 s the session's next poll does not go upstream and says nothing.
	if again := c.Get(st.PortalURL+poll, "HX-Request", "true"); again.Resp.StatusCode != http.StatusNoContent {
		t.Errorf("second poll within 30 s: %d, want 204", again.Resp.StatusCode)
	}
}
