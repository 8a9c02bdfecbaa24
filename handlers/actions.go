package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// ActionRunner is what the action proxy needs of the service layer (*inbox.Dialogs).
type ActionRunner interface {
	DialogLoader
	GUIAction(d *dpclient.Dialog, actionID string) (*dpclient.GuiAction, error)
	Act(ctx context.Context, u *inbox.User, d *dpclient.Dialog, a *dpclient.GuiAction) (*inbox.ActResult, error)
	APIAct(ctx context.Context, u *inbox.User, d *dpclient.Dialog, actionID string) error
}

// Actions is the action proxy (DESIGN.md): the browser posts a dialog id and an action id, never
// a URL; the service fetches the dialog afresh, finds the action, refuses unauthorized ones,
// placeholders and URLs the outbound fence would not call, and calls the action's own URL with
// the dialog token.
type Actions struct {
	base
	dialogs ActionRunner
}

// guiAction loads the dialog and finds the GUI action named by :actionId. done is true when the
// answer has been written: a well-formed id the (user's own) dialog no longer has goes back to
// the dialog, which says the action is no longer there (a double submit of "confirm" after the
// service owner removed the action ends here); nothing is called.
func (h *Actions) guiAction(c echo.Context) (u *user, d *dpclient.Dialog, a *dpclient.GuiAction, done bool, err error) {
	if !inbox.ValidID(c.Param("actionId")) {
		return nil, nil, nil, false, errNoDialog("malformed action id")
	}
	u, d, err = load(c, &h.base, h.dialogs)
	if err != nil {
		return nil, nil, nil, false, err
	}
	a, err = h.dialogs.GUIAction(d, c.Param("actionId"))
	if errors.Is(err, inbox.ErrActionGone) {
		return nil, nil, nil, true, c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "stale"))
	}
	if err != nil {
		return nil, nil, nil, false, actionError("gui action", err)
	}
	return u, d, a, false, nil
}

// Confirm handles GET /dialogs/:id/actions/:actionId: the confirmation page of an action with
// a prompt (a real page, so it works without JavaScript).
func (h *Actions) Confirm(c echo.Context) error {
	u, d, a, done, err := h.guiAction(c)
	if done || err != nil {
		return err
	}
	p := present.ActionConfirm(u.lang, d, a)
	p.CSRF = web.PageFrom(c.Request().Context()).CSRF
	return render(c, http.StatusOK, views.ConfirmPage(h.chrome(c, u, p.Action), p))
}

// Act handles POST /dialogs/:id/actions/:actionId. An action with a prompt must come from its
// confirmation page (confirmed=1), else the browser is sent there. GET actions redirect the
// browser to the service owner; write actions are called, then the browser goes back to the
// dialog (303) to see the new state; after a delete action, back to the inbox.
func (h *Actions) Act(c echo.Context) error {
	u, d, a, done, err := h.guiAction(c)
	if done || err != nil {
		return err
	}
	if len(a.Prompt) > 0 && c.FormValue("confirmed") != "1" {
		return c.Redirect(http.StatusSeeOther, "/dialogs/"+d.ID+"/actions/"+a.ID)
	}
	res, err := h.dialogs.Act(c.Request().Context(), u.in, d, a)
	switch {
	case err != nil:
		return actionError("gui action", err)
	case res.Navigate != "":
		return redirectAfterPost(c, res.Navigate)
	case a.IsDeleteDialogAction:
		return redirectAfterPost(c, present.BackURL(u.parties, d))
	case res.Accepted:
		// 202: the service owner works on it asynchronously, the change may not show yet.
		return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "async"))
	}
	return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "action"))
}

// APIAct handles POST /dialogs/:id/api-actions/:actionId: the safe API actions (read,
// confirm, mark as read) a person may run from a button.
func (h *Actions) APIAct(c echo.Context) error {
	if !inbox.ValidID(c.Param("actionId")) {
		return errNoDialog("malformed action id")
	}
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	err = h.dialogs.APIAct(c.Request().Context(), u.in, d, c.Param("actionId"))
	switch {
	case errors.Is(err, inbox.ErrActionGone):
		return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "stale"))
	case err != nil:
		return actionError("api action", err)
	}
	return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "action"))
}

// actionError maps a failed action, download or content call to what the user is told
// (web.ActionError).
var actionError = web.ActionError
