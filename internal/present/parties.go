package present

import (
	"slices"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// PartyOption describes a party key (uuid or group) for the chooser.
func PartyOption(lang i18n.Lang, ix *inbox.PartyIndex, key, current string) views.PartyOption {
	switch key {
	case inbox.AllOrgs:
		return views.PartyOption{Key: key, Name: lang.F("party.allOrgsCount", len(ix.Group(inbox.AllOrgs))), Current: key == current}
	case inbox.AllPersons:
		return views.PartyOption{Key: key, Name: lang.F("party.allPersCount", len(ix.Group(inbox.AllPersons))), Current: key == current}
	}
	p, _ := ix.Get(key)
	return OptionOf(lang, p, current)
}

// OptionOf is a party as the chooser lists it, with what tells it apart (you, a sub-unit,
// an organisation number, a birth date).
func OptionOf(lang i18n.Lang, p inbox.Party, current string) views.PartyOption {
	o := views.PartyOption{
		Key: p.UUID, Name: p.Name, Deleted: p.IsDeleted, Current: p.UUID == current,
		SubUnit: p.ParentUUID != "", Disabled: p.NoAccess,
	}
	switch {
	case p.IsSelf:
		o.Meta = lang.T("party.you")
	case p.ParentUUID != "":
		o.Meta = lang.T("party.subUnit") + " · " + lang.F("party.orgNo", p.OrgNo)
	case p.IsOrg():
		o.Meta = lang.F("party.orgNo", p.OrgNo)
	case p.DateOfBirth != "":
		o.Meta = lang.F("party.born", p.DateOfBirth)
	default:
		o.Meta = lang.T("party.person")
	}
	return o
}

// ChooserInput is what the party chooser is drawn from: the current choice, the search and
// its hits (Total in all), the person's favourites (Starrable: they could be read, so stars
// can be set) and, for the chooser without a search, their groups.
type ChooserInput struct {
	Current, Query string
	ShowDeleted    bool
	Hits           []inbox.Party
	Total          int
	Favourites     []string
	Starrable      bool
	Groups         []workspace.Group
}

// Chooser is the party chooser (all but its CSRF token): the hits, each with its star, and
// without a search the choices beside them: all organisations, all persons, the favourites
// and the person's groups.
func Chooser(lang i18n.Lang, ix *inbox.PartyIndex, in ChooserInput) views.PartyChooserProps {
	current := in.Current
	p := views.PartyChooserProps{
		Lang: lang, Query: in.Query, ShowDeleted: in.ShowDeleted, Total: in.Total, Target: "/inbox",
		Current: PartyOption(lang, ix, current, current),
	}
	for _, hit := range in.Hits {
		o := OptionOf(lang, hit, current)
		o.Favourite, o.Starrable = slices.Contains(in.Favourites, hit.UUID), in.Starrable
		p.Results = append(p.Results, o)
	}
	if in.Query != "" {
		return p
	}
	for _, g := range []string{inbox.AllOrgs, inbox.AllPersons} {
		if len(ix.Group(g)) >= 2 {
			p.Groups = append(p.Groups, PartyOption(lang, ix, g, current))
		}
	}
	if len(in.Favourites) > 0 {
		p.Groups = append(p.Groups, views.PartyOption{Key: workspace.Favourites, Name: lang.F("fav.scope", len(in.Favourites))})
	}
	for _, g := range in.Groups {
		p.Groups = append(p.Groups, views.PartyOption{Key: workspace.GroupPrefix + g.ID, Name: lang.F("groups.scope", g.Name, g.Size)})
	}
	for i := range p.Groups {
		if p.Groups[i].Current = p.Groups[i].Key == current; p.Groups[i].Current {
			p.Current = p.Groups[i]
		}
	}
	return p
}
