package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// chooserLimit is how many parties one chooser answer lists; typing narrows the rest.
const chooserLimit = 30

// maxSearchText bounds the chooser's search text (as the inbox's): every word of it is matched
// against every party, so an endless query must not cost endless passes over 15,000 parties.
const maxSearchText = 200

// Parties is the party chooser's search.
type Parties struct{ base }

// NewParties returns the party chooser handler.
func NewParties(b base) *Parties { return &Parties{b} }

// Search handles GET /parties?q=&deleted=1: the results fragment for htmx (search as you type),
// the chooser page without JavaScript.
func (h *Parties) Search(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	current := currentChoice(u, c.QueryParam("current"))
	p := chooserProps(u, current, inbox.Clip(c.QueryParam("q"), maxSearchText), c.QueryParam("deleted") == "1")
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.PartyResults(p))
	}
	ch := h.chrome(c, u, u.lang.T("party.chooser"))
	return render(c, http.StatusOK, views.PartiesPage(ch, p))
}

// currentChoice resolves a party key from the URL (or the session's choice, or the user's own
// person) to one the user may act for.
func currentChoice(u *user, key string) string { return u.parties.Choose(key, u.sess.PartyUUID) }

// chooserProps builds the chooser for the current choice and a search.
func chooserProps(u *user, current, q string, showDeleted bool) views.PartyChooserProps {
	hits, total := u.parties.Search(q, showDeleted, chooserLimit)
	p := views.PartyChooserProps{
		Lang: u.lang, Query: q, ShowDeleted: showDeleted, Total: total, Target: "/inbox",
		Current: partyOption(u.lang, u.parties, current, current),
	}
	for _, hit := range hits {
		p.Results = append(p.Results, optionOf(u.lang, hit, current))
	}
	if q == "" {
		for _, g := range []string{inbox.AllOrgs, inbox.AllPersons} {
			if len(u.parties.Group(g)) >= 2 {
				p.Groups = append(p.Groups, partyOption(u.lang, u.parties, g, current))
			}
		}
	}
	return p
}

// partyOption describes a party key (uuid or group) for the chooser.
func partyOption(lang i18n.Lang, ix *inbox.PartyIndex, key, current string) views.PartyOption {
	switch key {
	case inbox.AllOrgs:
		return views.PartyOption{Key: key, Name: lang.F("party.allOrgsCount", len(ix.Group(inbox.AllOrgs))), Current: key == current}
	case inbox.AllPersons:
		return views.PartyOption{Key: key, Name: lang.F("party.allPersCount", len(ix.Group(inbox.AllPersons))), Current: key == current}
	}
	p, _ := ix.Get(key)
	return optionOf(lang, p, current)
}

func optionOf(lang i18n.Lang, p inbox.Party, current string) views.PartyOption {
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
