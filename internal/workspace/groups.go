package workspace

import (
	"context"
	"errors"

	"github.com/innboks/innboks/internal/inbox"
)

// Errors of MakeGroup beyond the store's.
var (
	// ErrUnknownEntries: some entries name no party the person may act for, and the person
	// did not ask to make the group without them.
	ErrUnknownEntries = errors.New("workspace: entries that name no party of yours")
	// ErrEmptyGroup: nothing was picked or pasted that names a party.
	ErrEmptyGroup = errors.New("workspace: a group needs at least one party")
)

// NewGroup is a group as asked for: parties ticked in a chooser and organisation numbers
// pasted.
type NewGroup struct {
	Name        string
	Picked      []string // party UUIDs
	OrgNumbers  string
	SkipUnknown bool // make it without the entries that name no party
}

// MakeGroup makes a group from the ticked parties, then the pasted ones, in that order and
// without duplicates. Nothing is dropped silently: unknown are the entries that named no party
// the person may act for (ticked ones that are no longer theirs among them), and unless
// SkipUnknown is set they refuse the group with ErrUnknownEntries.
func (w *Workspace) MakeGroup(ctx context.Context, p Person, ix *inbox.PartyIndex, ng NewGroup) (g Group, unknown []string, err error) {
	name, err := cleanGroupName(ng.Name)
	if err != nil {
		return Group{}, nil, err
	}
	seen := map[string]bool{}
	var parties []string
	for _, uuid := range ng.Picked {
		if party, ok := ix.Get(uuid); !ok || party.NoAccess {
			unknown = append(unknown, uuid)
		} else if !seen[uuid] {
			seen[uuid] = true
			parties = append(parties, uuid)
		}
	}
	r := ResolveOrgNumbers(ix, ng.OrgNumbers)
	unknown = append(unknown, r.Unknown...)
	for _, uuid := range r.Parties {
		if !seen[uuid] {
			seen[uuid] = true
			parties = append(parties, uuid)
		}
	}
	switch {
	case len(unknown) > 0 && !ng.SkipUnknown:
		return Group{}, unknown, ErrUnknownEntries
	case len(parties) == 0:
		return Group{}, unknown, ErrEmptyGroup
	}
	g, err = w.CreateGroup(ctx, p, name, parties)
	return g, unknown, err
}
