package inbox

import (
	"cmp"
	"slices"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// CurrentActor is the masked actor id Dialogporten uses for the logged-in user in this dialog,
// learned from the seen log's isCurrentEndUser ("" when the user has no entry).
func CurrentActor(d *dpclient.Dialog) string {
	for _, s := range d.SeenSinceLastUpdate {
		if s.IsCurrentEndUser && s.SeenBy.ActorID != "" {
			return s.SeenBy.ActorID
		}
	}
	for _, s := range d.SeenSinceLastContentUpdate {
		if s.IsCurrentEndUser && s.SeenBy.ActorID != "" {
			return s.SeenBy.ActorID
		}
	}
	return ""
}

// SortedGUIActions is the dialog's GUI actions in the order they are offered: primary,
// secondary, tertiary, each in the service owner's order.
func SortedGUIActions(d *dpclient.Dialog) []dpclient.GuiAction {
	rank := func(p dpclient.GuiActionPriority) int {
		switch p {
		case dpclient.GuiActionPriorityPrimary:
			return 0
		case dpclient.GuiActionPrioritySecondary:
			return 1
		}
		return 2
	}
	gui := slices.Clone(d.GuiActions)
	slices.SortStableFunc(gui, func(a, b dpclient.GuiAction) int { return cmp.Compare(rank(a.Priority), rank(b.Priority)) })
	return gui
}

// NewestTransmissions is the dialog's transmissions newest first (by id where two were created
// at the same time).
func NewestTransmissions(d *dpclient.Dialog) []dpclient.Transmission {
	txs := slices.Clone(d.Transmissions)
	slices.SortStableFunc(txs, func(a, b dpclient.Transmission) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	return txs
}

// NorwegianTime is the time zone dates are shown and filtered in (UTC where the system has no
// zone data).
func NorwegianTime() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}
