package workspace

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/inbox"
)

// The inbox's workspace scopes, beside inbox.AllOrgs and inbox.AllPersons: the person's
// favourites, and a group ("group:" + its id).
const (
	Favourites  = "favourites"
	GroupPrefix = "group:"
)

// IsScope reports whether a choice is a workspace scope rather than a party or an inbox group.
func IsScope(choice string) bool {
	return choice == Favourites || (strings.HasPrefix(choice, GroupPrefix) && len(choice) > len(GroupPrefix))
}

// Scope is what a workspace scope searches.
type Scope struct {
	Key  string
	Name string // the group's name; "" for the favourites (the page names them)
	// URNs are the parties' URNs, in the scope's order, without those the person may no
	// longer act for (Missing counts them).
	URNs    []string
	Missing int
}

// Scope resolves a workspace scope against the person's parties. ErrNotFound: a group that is
// not theirs.
func (w *Workspace) Scope(ctx context.Context, p Person, ix *inbox.PartyIndex, key string) (Scope, error) {
	s := Scope{Key: key}
	var parties []string
	if key == Favourites {
		favs, err := w.Favourites(ctx, p)
		if err != nil {
			return s, err
		}
		parties = favs
	} else {
		id, ok := strings.CutPrefix(key, GroupPrefix)
		if !ok {
			return s, ErrNotFound
		}
		g, err := w.keep.Group(ctx, p, id)
		if err != nil {
			return s, err
		}
		s.Name, parties = g.Name, g.Parties
	}
	s.URNs = make([]string, 0, len(parties))
	for _, uuid := range parties {
		if party, ok := ix.Get(uuid); ok && !party.NoAccess {
			s.URNs = append(s.URNs, party.URN)
		} else {
			s.Missing++
		}
	}
	return s, nil
}

// Choose resolves the first of keys that the person may use (a party, an inbox group, their
// favourites, one of their groups), falling back as inbox.PartyIndex.Choose does. Workspace
// keys that fail to resolve (a deleted group, the Profile API down) are skipped.
func (w *Workspace) Choose(ctx context.Context, p Person, ix *inbox.PartyIndex, keys ...string) string {
	for _, k := range keys {
		switch {
		case k == "":
		case IsScope(k):
			if _, err := w.Scope(ctx, p, ix, k); err == nil {
				return k
			}
		case ix.Choose(k) == k:
			return k
		}
	}
	return ix.Choose()
}

// Resolved is a pasted list of organisation numbers read against the person's parties.
type Resolved struct {
	Parties []string // party UUIDs, in the order pasted, without duplicates
	// Unknown are the entries that name no party the person may act for, as they were
	// written (not organisation numbers, or numbers of organisations not represented).
	Unknown []string
}

// ResolveOrgNumbers reads organisation numbers (nine digits, spaces inside allowed) separated
// by new lines, commas, semicolons or spaces, and finds the parties they name. Nothing is
// dropped silently: what does not resolve is listed in Unknown. Deleted organisations
// resolve; parents the person reaches only through sub-units do not.
func ResolveOrgNumbers(ix *inbox.PartyIndex, text string) Resolved {
	byOrgNo := make(map[string]string, len(ix.All))
	for _, p := range ix.All {
		if p.OrgNo != "" && !p.NoAccess {
			byOrgNo[p.OrgNo] = p.UUID
		}
	}
	var r Resolved
	seen := map[string]bool{}
	for _, entry := range orgNumberEntries(text) {
		uuid, ok := byOrgNo[entry.number]
		switch {
		case !ok:
			r.Unknown = append(r.Unknown, entry.raw)
		case !seen[uuid]:
			seen[uuid] = true
			r.Parties = append(r.Parties, uuid)
		}
	}
	return r
}

type orgEntry struct{ raw, number string }

// orgNumberEntries splits text into entries: by new lines, commas and semicolons, and an
// entry that is not one number with spaces in it ("974 760 673") by spaces too.
func orgNumberEntries(text string) []orgEntry {
	var out []orgEntry
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == ';' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if n := strings.Join(strings.Fields(part), ""); isOrgNumber(n) {
			out = append(out, orgEntry{raw: part, number: n})
			continue
		}
		for _, f := range strings.Fields(part) {
			out = append(out, orgEntry{raw: f, number: f})
		}
	}
	return out
}

func isOrgNumber(s string) bool {
	return len(s) == 9 && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsDigit(r) || r > '9' }) < 0
}

// sortGroups orders groups by name, case-insensitively, as the store lists them.
func sortGroups(gs []Group) {
	slices.SortStableFunc(gs, func(a, b Group) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.ID, b.ID))
	})
}

// StartableGroup reports whether a group can be the start party of the preferences: those name
// a group by the store's id (a UUID); the Profile API's groups have numbers.
func StartableGroup(id string) bool {
	u, err := uuid.Parse(id)
	return err == nil && u.String() == id
}
