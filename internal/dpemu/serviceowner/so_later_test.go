package serviceowner_test

import (
	"testing"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
)

func TestLaterActionUpdatesTheDialogAfterwards(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := e.base + "/serviceowner/skd/dialogs/" + e.app.ID.String()
	if err := e.store.UpdateDialog(e.app.ID, func(d *dpemu.Dialog) error {
		d.GuiActions = append(d.GuiActions, dpemu.GuiAction{Action: "write", URL: base + "/actions/process-later", HTTPMethod: "POST",
			Priority: dpemu.PrioritySecondary, Title: text("Behandle", "Process")})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	before := e.dialog(e.app.ID)
	var kinds []dpemu.ChangeKind
	done := make(chan struct{}, 8)
	e.store.OnChange(func(c dpemu.Change) {
		if c.DialogID == e.app.ID {
			kinds = append(kinds, c.Kind)
			done <- struct{}{}
		}
	})
	resp, body := e.do("POST", "/serviceowner/skd/dialogs/"+e.app.ID.String()+"/actions/process-later", e.dialogToken(e.app, "read;write", nil))
	if resp.StatusCode != 202 {
		t.Fatalf("got %d (%s), want 202 Accepted", resp.StatusCode, body)
	}
	waitUntil(t, "the delayed update", func() bool { return e.dialog(e.app.ID).Status == dpemu.StatusCompleted })
	after := e.dialog(e.app.ID)
	if got, want := len(after.Transmissions), len(before.Transmissions)+1; got != want {
		t.Fatalf("got %d transmissions, want %d", got, want)
	}
	if last := after.Transmissions[len(after.Transmissions)-1]; last.Type != dpemu.TransmissionDecision || last.Sender.Type != dpemu.ActorServiceOwner {
		t.Errorf("got a %s from %s, want a Decision from the service owner", last.Type, last.Sender.Type)
	}
	if got := countActivities(after, dpemu.ActivityInformation) - countActivities(before, dpemu.ActivityInformation); got != 1 {
		t.Errorf("got %d new Information activities, want 1", got)
	}
	for range 5 { // updated+transmission, updated+activity, updated (status)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("got changes %v, want five", kinds)
		}
	}
	updates := 0
	for _, k := range kinds {
		if k == dpemu.ChangeDialogUpdated {
			updates++
		}
	}
	if updates != 3 {
		t.Errorf("got changes %v, want three dialog.updated among them", kinds)
	}
}

func TestLaterActionNeedsTheRight(t *testing.T) {
	t.Parallel()
	e := setup(t)
	base := e.base + "/serviceowner/skd/dialogs/" + e.app.ID.String()
	_ = e.store.UpdateDialog(e.app.ID, func(d *dpemu.Dialog) error {
		d.GuiActions = append(d.GuiActions, dpemu.GuiAction{Action: "write", URL: base + "/actions/process-later", HTTPMethod: "POST", Title: text("Behandle", "Process")})
		return nil
	})
	resp, _ := e.do("POST", "/serviceowner/skd/dialogs/"+e.app.ID.String()+"/actions/process-later", e.dialogToken(e.app, "read", nil))
	if resp.StatusCode != 403 {
		t.Fatalf("got %d, want 403 without write in the token", resp.StatusCode)
	}
}
