package views

import "github.com/innboks/innboks/views/i18n"

// StarProps is the star of one party: a POST form that adds it to or removes it from the
// favourites. Without JavaScript the page reloads; with htmx the form swaps itself.
type StarProps struct {
	Lang  i18n.Lang
	CSRF  string
	Party string // partyUuid
	Name  string
	On    bool // a favourite now
}

// onValue is what pressing the star sets.
func (p StarProps) onValue() string {
	if p.On {
		return "0"
	}
	return "1"
}

// label says what pressing the star does, naming the party.
func (p StarProps) label() string {
	if p.On {
		return p.Lang.F("fav.remove", p.Name)
	}
	return p.Lang.F("fav.add", p.Name)
}

// SettingsProps is the settings page.
type SettingsProps struct {
	Lang        i18n.Lang
	CSRF        string
	Languages   []Option // "" (the browser's), nb, nn, en
	StartParty  []Option // the party to open at login
	ShowDeleted bool
	Saved       bool
	Error       string // already translated; empty when none
}

// GroupsProps is the groups page: the person's groups and the form that makes one.
type GroupsProps struct {
	Lang   i18n.Lang
	CSRF   string
	Groups []GroupRow
	// Made names the group just made; empty otherwise.
	Made string
	Form GroupForm
}

// GroupRow is one group in the list.
type GroupRow struct {
	ID, Name string
	Size     int
	InboxURL string
}

// GroupForm is the "new group" form, as posted (kept when refused, so nothing typed is lost).
type GroupForm struct {
	Name       string
	OrgNumbers string
	// Query is the party search; Candidates its matches, to tick.
	Query      string
	Candidates []GroupCandidate
	// Unknown are the pasted entries that name no party the person may act for; the form is
	// refused until the person removes them or asks to make the group without them.
	Unknown []string
	Error   string // already translated
}

// GroupCandidate is a party that can be ticked into a new group.
type GroupCandidate struct {
	Key, Name, Meta string
	Checked         bool
}
