package handlers

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
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
	ctx := c.Request().Context()
	current := h.choice(ctx, u, c.QueryParam("current"))
	q := c.QueryParams()
	// The stored preference shows deleted parties until the form (which always sends q) says.
	showDeleted := q.Get("deleted") == "1" || (!q.Has("q") && !q.Has("deleted") && u.prefs.ShowDeleted)
	p := h.chooserProps(ctx, u, current, inbox.Clip(q.Get("q"), maxSearchText), showDeleted)
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.PartyResults(p))
	}
	ch := h.chrome(c, u, u.lang.T("party.chooser"))
	return render(c, http.StatusOK, views.PartiesPage(ch, p))
}

// currentChoice resolves a party key from the URL (or the session's choice, or the user's own
// person) to one the user may act for.
func currentChoice(u *user, key string) string { return u.parties.Choose(key, u.sess.PartyUUID) }

// chooserProps builds the chooser for the current choice and a search: the person's
// favourites first, each party with its star, and the person's favourites and groups as
// choices beside "all organisations". Without the favourites at hand (the Profile API down)
// the chooser still works, without stars.
func (b *base) chooserProps(ctx context.Context, u *user, current, q string, showDeleted bool) views.PartyChooserProps {
	favs, favErr := b.ws.Favourites(ctx, u.who)
	hits, total := u.parties.SearchFirst(q, showDeleted, chooserLimit, favs)
	p := views.PartyChooserProps{
		Lang: u.lang, Query: q, ShowDeleted: showDeleted, Total: total, Target: "/inbox",
		Current: partyOption(u.lang, u.parties, current, current), CSRF: web.PageFrom(ctx).CSRF,
	}
	for _, hit := range hits {
		o := optionOf(u.lang, hit, current)
		o.Favourite, o.Starrable = slices.Contains(favs, hit.UUID), favErr == nil
		p.Results = append(p.Results, o)
	}
	if q != "" {
		return p
	}
	for _, g := range []string{inbox.AllOrgs, inbox.AllPersons} {
		if len(u.parties.Group(g)) >= 2 {
			p.Groups = append(p.Groups, partyOption(u.lang, u.parties, g, current))
		}
	}
	if len(favs) > 0 {
		p.Groups = append(p.Groups, views.PartyOption{Key: workspace.Favourites, Name: u.lang.F("fav.scope", len(favs))})
	}
	if groups, err := b.ws.Groups(ctx, u.who); err == nil {
		for _, g := range groups {
			p.Groups = append(p.Groups, views.PartyOption{Key: workspace.GroupPrefix + g.ID, Name: u.lang.F("groups.scope", g.Name, g.Size)})
		}
	}
	for i := range p.Groups {
		if p.Groups[i].Current = p.Groups[i].Key == current; p.Groups[i].Current {
			p.Current = p.Groups[i]
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
