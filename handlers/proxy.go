package handlers

import (
	"cmp"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/views"
)

// Proxy is the action proxy (DESIGN.md): the browser posts a dialog id and an action id, never a
// URL; the handler fetches the dialog afresh, finds the action, refuses unauthorized ones and
// placeholders, and calls the action's own URL with the dialog token through the fenced
// outbound client.
type Proxy struct{ dialogBase }

// NewProxy returns the action proxy.
func NewProxy(d DialogDeps) *Proxy { return &Proxy{newDialogBase(d)} }

// errNoAction is the answer for an action id the dialog does not have.
var errNoAction = &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such action"}

// errActionRefused is the answer for an action the user may not perform.
var errActionRefused = &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: "action not authorized"}

// guiAction loads the dialog and finds the authorized GUI action named by :actionId.
func (h *Proxy) guiAction(c echo.Context) (*user, *dpclient.Dialog, *dpclient.GuiAction, error) {
	aid := c.Param("actionId")
	if !validID(aid) {
		return nil, nil, nil, errNoAction
	}
	u, d, err := h.load(c)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range d.GuiActions {
		a := &d.GuiActions[i]
		if a.ID != aid {
			continue
		}
		if !a.IsAuthorized || dpclient.IsPlaceholderURL(a.URL) {
			return nil, nil, nil, errActionRefused
		}
		return u, d, a, nil
	}
	return nil, nil, nil, actionGone(c, d.ID)
}

// actionGone answers a well-formed action id the (user's own) dialog does not have (any more):
// nothing is called; the browser goes back to the dialog, which says the action is no longer
// there (a double submit of "confirm" ends here once the service owner removed the action).
func actionGone(c echo.Context, dialogID string) error {
	return c.Redirect(http.StatusSeeOther, dialogURL(dialogID, "stale"))
}

// Confirm handles GET /dialogs/:id/actions/:actionId: the confirmation page of an action with
// a prompt (a real page, so it works without JavaScript).
func (h *Proxy) Confirm(c echo.Context) error {
	u, d, a, err := h.guiAction(c)
	if err != nil {
		return err
	}
	lang := string(u.lang)
	title := cmp.Or(a.Title.Best(lang), a.Action)
	p := views.ConfirmProps{
		Lang: u.lang, CSRF: pageFrom(c.Request().Context()).CSRF,
		DialogTitle: d.Content.Title.Best(lang), Action: title,
		Prompt:  cmp.Or(a.Prompt.Best(lang), title),
		PostURL: "/dialogs/" + d.ID + "/actions/" + a.ID, CancelURL: dialogURL(d.ID, ""),
		Delete: a.IsDeleteDialogAction,
	}
	return render(c, http.StatusOK, views.ConfirmPage(h.chrome(c, u, title), p))
}

// Act handles POST /dialogs/:id/actions/:actionId. An action with a prompt must come from its
// confirmation page (confirmed=1), else the browser is sent there. GET actions redirect the
// browser to the service owner; write actions are called with the dialog token and an empty
// body, then the browser goes back to the dialog (303) to see the new state; after a delete
// action, back to the inbox.
func (h *Proxy) Act(c echo.Context) error {
	u, d, a, err := h.guiAction(c)
	if err != nil {
		return err
	}
	if len(a.Prompt) > 0 && c.FormValue("confirmed") != "1" {
		return c.Redirect(http.StatusSeeOther, "/dialogs/"+d.ID+"/actions/"+a.ID)
	}
	if a.HTTPMethod == dpclient.HTTPMethodGet || a.HTTPMethod == "" {
		target, err := h.out.Check(a.URL)
		if err != nil {
			return serviceOwnerError("gui action url", err)
		}
		return redirectAfterPost(c, target.String())
	}
	ctx := c.Request().Context()
	var resp *outbound.Response
	err = h.withToken(ctx, u, d, a.URL, func(token string) (err error) {
		resp, err = h.out.Call(ctx, outbound.Request{Method: string(a.HTTPMethod), URL: a.URL, Token: token})
		return err
	})
	if err != nil {
		return serviceOwnerError("gui action", err)
	}
	if a.IsDeleteDialogAction {
		return redirectAfterPost(c, backURL(u, d))
	}
	return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, doneFor(resp.StatusCode)))
}

// APIAct handles POST /dialogs/:id/api-actions/:actionId: the safe API actions (read,
// confirm, mark as read) a person may run from a button.
func (h *Proxy) APIAct(c echo.Context) error {
	aid := c.Param("actionId")
	if !validID(aid) {
		return errNoAction
	}
	u, d, err := h.load(c)
	if err != nil {
		return err
	}
	for _, a := range d.APIActions {
		if a.ID != aid {
			continue
		}
		ep, ok := apiEndpoint(a)
		if !a.IsAuthorized || !ok || !safeAPIEndpoint(ep) {
			return errActionRefused
		}
		// The answer's body is not shown (the dialog page shows the effect), so it is not read:
		// a large overview must not fail the action on the content size limit.
		ctx := c.Request().Context()
		err := h.withToken(ctx, u, d, ep.URL, func(token string) error {
			dl, err := h.out.Download(ctx, outbound.Request{Method: string(ep.HTTPMethod), URL: ep.URL, Token: token})
			if err == nil {
				_ = dl.Body.Close()
			}
			return err
		})
		if err != nil {
			return serviceOwnerError("api action", err)
		}
		return c.Redirect(http.StatusSeeOther, dialogURL(d.ID, "action"))
	}
	return actionGone(c, d.ID)
}

// doneFor is the notice after a successful call: 202 means the service owner works on it
// asynchronously, so the change may not show yet.
func doneFor(status int) string {
	if status == http.StatusAccepted {
		return "async"
	}
	return "action"
}

// serviceOwnerError wraps a failed outbound call: the cause is logged, the user is told the
// service owner could not do it (504 for a timeout, 502 otherwise).
func serviceOwnerError(msg string, err error) error {
	if errors.Is(err, errCorrespondenceMismatch) {
		// Not the service owner failing: Innboks refused to act on another service's message.
		return &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: msg + ": correspondence of another dialog", Err: err}
	}
	status := http.StatusBadGateway
	if errors.Is(err, outbound.ErrTimeout) {
		status = http.StatusGatewayTimeout
	}
	return &Error{Status: status, Kind: views.ErrServiceOwner, Msg: msg, Err: err}
}
