package dpclient

import (
	"cmp"
	"slices"
)

// CurrentActor is the masked actor id Dialogporten uses for the logged-in user in this dialog,
// learned from the seen log's isCurrentEndUser ("" when the user has no entry).
func (d *Dialog) CurrentActor() string {
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
func (d *Dialog) SortedGUIActions() []GuiAction {
	rank := func(p GuiActionPriority) int {
		switch p {
		case GuiActionPriorityPrimary:
			return 0
		case GuiActionPrioritySecondary:
			return 1
		}
		return 2
	}
	gui := slices.Clone(d.GuiActions)
	slices.SortStableFunc(gui, func(a, b GuiAction) int { return cmp.Compare(rank(a.Priority), rank(b.Priority)) })
	return gui
}

// NewestTransmissions is the dialog's transmissions newest first (by id where two were created
// at the same time).
func (d *Dialog) NewestTransmissions() []Transmission {
	txs := slices.Clone(d.Transmissions)
	slices.SortStableFunc(txs, func(a, b Transmission) int {
		return cmp.Or(b.CreatedAt.Compare(a.CreatedAt), cmp.Compare(b.ID, a.ID))
	})
	return txs
}
