package inbox

import "github.com/innboks/innboks/internal/partyindex"

// The chooser's data structure lives in internal/partyindex; these names keep the service's
// vocabulary in one place for its callers.
type (
	PartyIndex = partyindex.Index
	Party      = partyindex.Party
)

// The chooser's special choices: search across every organisation or every person.
const (
	AllOrgs    = partyindex.AllOrgs
	AllPersons = partyindex.AllPersons
)

var (
	// NewPartyIndex flattens and orders GetParties' answer.
	NewPartyIndex = partyindex.New
	// IsGroup reports whether a chooser choice is a group rather than one party.
	IsGroup = partyindex.IsGroup
)
