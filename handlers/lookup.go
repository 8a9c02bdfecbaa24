package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// DialogFinder resolves an instance reference to one of the user's dialogs (*inbox.Dialogs).
type DialogFinder interface {
	Lookup(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, ref string) (*inbox.Found, error)
}

// Lookup is every way into a dialog from elsewhere: deep links from notifications and other
// Altinn services, and why the user may see a dialog (the lookup's access evidence).
type Lookup struct {
	base
	finder DialogFinder
}

// Open handles GET /dialogs/lookup?instanceRef=urn:altinn:…: the dialog the reference names,
// acting for its party. A session that has chosen no party yet (the landing after a login the
// link started) or a link followed inside Innboks switches to it; a link from another site does
// not change whom the user acts for behind their back (as for /inbox?party=): the dialog page
// shows the dialog and names its party. Unknown or not allowed references get a page that says
// so.
func (h *Lookup) Open(c echo.Context, u *user) error {
	ctx := c.Request().Context()
	f, err := h.finder.Lookup(ctx, u.in, u.parties, c.QueryParam("instanceRef"))
	switch {
	case errors.Is(err, inbox.ErrBadReference):
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadLink, Msg: "lookup: not an instance reference", Err: err}
	case errors.Is(err, inbox.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Kind: views.ErrLinkNotFound, Msg: "lookup: no dialog of the user's", Err: err}
	case err != nil:
		return err
	}
	if f.Party.UUID != u.sess.PartyUUID && (u.sess.PartyUUID == "" || !web.CrossSite(c.Request())) {
		if err := h.auth.SetParty(ctx, f.Party.UUID); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/dialogs/"+f.DialogID)
}

// Access handles GET /dialogs/:id/access: why the user may see the dialog (role, access package,
// delegation), from Dialogporten's lookup. A fragment for the dialog page's disclosure (htmx), a
// page of its own without JavaScript. An upstream failure leaves the fragment saying so.
func (h *Lookup) Access(c echo.Context) error {
	if !inbox.ValidID(c.Param("id")) {
		return errNoDialog("malformed dialog id")
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	id := c.Param("id")
	p := views.AccessProps{Lang: u.lang, DialogID: id}
	f, err := h.finder.Lookup(c.Request().Context(), u.in, u.parties, "urn:altinn:dialog-id:"+id)
	switch {
	case errors.Is(err, inbox.ErrNotFound), errors.Is(err, inbox.ErrBadReference):
		return errNoDialog("access: no dialog of the user's")
	case err != nil && !web.IsHTMX(c.Request()):
		return err
	case err != nil:
		p.Unavailable = true
	default:
		p.DialogID, p.Level, p.Grants = f.DialogID, f.Evidence.CurrentAuthenticationLevel, present.Grants(u.lang, f.Evidence)
	}
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.AccessInfo(p))
	}
	return render(c, http.StatusOK, views.AccessPage(h.chrome(c, u, u.lang.T("access.title")), p))
}
