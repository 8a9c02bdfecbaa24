package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// StarService stars and unstars parties (*workspace.Workspace).
type StarService interface {
	Star(ctx context.Context, p workspace.Person, ix *inbox.PartyIndex, party string, on bool) error
}

// Favourites is the star on a party, in the chooser and on the inbox.
type Favourites struct {
	base
	stars StarService
}

// Set handles POST /favourites (party=<uuid>, on=1|0): stars or unstars the party. For htmx
// the answer is the star's new form; without JavaScript the browser goes back to the page it
// posted from.
func (h *Favourites) Set(c echo.Context, u *user) error {
	party, on := c.FormValue("party"), c.FormValue("on") == "1"
	p, known := u.parties.Get(party)
	if !known && on {
		return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "star: not one of the user's parties"}
	}
	ctx := c.Request().Context()
	if err := h.stars.Star(ctx, u.who, u.parties, party, on); err != nil {
		if workspace.IsNotFound(err) || errors.Is(err, workspace.ErrInvalid) {
			return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "star: not one of the user's parties"}
		}
		return err
	}
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.StarForm(views.StarProps{
			Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Party: party, Name: p.Name, On: on,
		}))
	}
	return c.Redirect(http.StatusSeeOther, web.ReturnPath(c.Request(), c.FormValue("return_to")))
}
