package handlers

import (
	"slices"

	"github.com/innboks/innboks/dpclient"
)

// partyNames are the names of the parties (URNs, first seen first) whose dialogs changed, for
// the banner of a group's list ("all organisations"); none for one party's list, whose name
// the page shows already. A URN the user's party list lacks is left out.
func partyNames(u *user, urns []string, group bool) []string {
	if !group {
		return nil
	}
	var names []string
	for _, urn := range urns {
		if p, ok := u.parties.ByURN(urn); ok && p.Name != "" && !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// dialogParties are the distinct parties of a search's dialogs, first seen first.
func dialogParties(items []dpclient.SearchDialog) []string {
	var out []string
	for _, d := range items {
		if d.Party != "" && !slices.Contains(out, d.Party) {
			out = append(out, d.Party)
		}
	}
	return out
}
