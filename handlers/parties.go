package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// chooserLimit is how many parties one chooser answer lists; typing narrows the rest.
const chooserLimit = 30

// maxSearchText bounds the chooser's search text (as the inbox's): every word of it is matched
// against every party, so an endless query must not cost endless passes over 15,000 parties.
const maxSearchText = 200

// Parties is the party chooser's search.
type Parties struct{ base }

// Search handles GET /parties?q=&deleted=1: the results fragment for htmx (search as you type),
// the chooser page without JavaScript.
func (h *Parties) Search(c echo.Context, u *user) error {
	ctx := c.Request().Context()
	current := h.choice(ctx, u, c.QueryParam("current"))
	q := c.QueryParams()
	// The stored preference shows deleted parties until the form (which always sends q) says.
	showDeleted := q.Get("deleted") == "1" || (!q.Has("q") && !q.Has("deleted") && u.prefs.ShowDeleted)
	p := h.chooserProps(ctx, u, current, query.Clip(q.Get("q"), maxSearchText), showDeleted)
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.PartyResults(p))
	}
	ch := h.chrome(c, u, u.lang.T("party.chooser"))
	return render(c, http.StatusOK, views.PartiesPage(ch, p))
}

// chooserProps builds the chooser for the current choice and a search (present.Chooser).
// Without the favourites at hand (the Profile API down) the chooser still works, without stars.
func (b *base) chooserProps(ctx context.Context, u *user, current, q string, showDeleted bool) views.PartyChooserProps {
	in := present.ChooserInput{Current: current, Query: q, ShowDeleted: showDeleted}
	favs, favErr := b.ws.Favourites(ctx, u.who)
	in.Favourites, in.Starrable = favs, favErr == nil
	in.Hits, in.Total = u.parties.SearchFirst(q, showDeleted, chooserLimit, favs)
	if q == "" {
		in.Groups, _ = b.ws.Groups(ctx, u.who)
	}
	p := present.Chooser(u.lang, u.parties, in)
	p.CSRF = web.PageFrom(ctx).CSRF
	return p
}
