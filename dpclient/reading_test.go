package dpclient

import (
	"strings"
	"testing"
	"time"
)

// TestReadingADialog: the user's own actor id from the seen log, GUI actions by priority (stable),
// transmissions newest first (by id at the same time).
func TestReadingADialog(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d := &Dialog{
		SeenSinceLastContentUpdate: []SeenLog{{IsCurrentEndUser: true, SeenBy: Actor{ActorID: "me"}}},
		GuiActions: []GuiAction{{ID: "t1", Priority: GuiActionPriorityTertiary}, {ID: "s", Priority: GuiActionPrioritySecondary},
			{ID: "p", Priority: GuiActionPriorityPrimary}, {ID: "t2", Priority: GuiActionPriorityTertiary}},
		Transmissions: []Transmission{{ID: "a", CreatedAt: t0}, {ID: "c", CreatedAt: t0.Add(time.Hour)}, {ID: "b", CreatedAt: t0}},
	}
	if got := d.CurrentActor(); got != "me" {
		t.Errorf("CurrentActor = %q, want me", got)
	}
	if got := (&Dialog{}).CurrentActor(); got != "" {
		t.Errorf("CurrentActor without a seen entry = %q", got)
	}
	var ids []string
	for _, a := range d.SortedGUIActions() {
		ids = append(ids, a.ID)
	}
	if strings.Join(ids, ",") != "p,s,t1,t2" || d.GuiActions[0].ID != "t1" {
		t.Errorf("SortedGUIActions = %v (the dialog's own order kept: %s), want p,s,t1,t2", ids, d.GuiActions[0].ID)
	}
	ids = ids[:0]
	for _, tx := range d.NewestTransmissions() {
		ids = append(ids, tx.ID)
	}
	if strings.Join(ids, ",") != "c,b,a" {
		t.Errorf("NewestTransmissions = %v, want c,b,a", ids)
	}
}
