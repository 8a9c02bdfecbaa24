package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/views"
)

// Labels handles POST /dialogs/:id/labels (action=archive|bin|restore|unread, revision=…):
// one label change with If-Match on the revision the page showed. Either way it answers 303
// back to the dialog, which shows the new state: "done" on success, and on 412 (the dialog
// changed meanwhile) the fresh dialog with a notice saying why nothing was done.
func (h *Dialog) Labels(c echo.Context) error {
	id := c.Param("id")
	if !inbox.ValidID(id) {
		return errNoDialog("malformed dialog id")
	}
	action := c.FormValue("action")
	label, ok := inbox.LabelChange(action)
	if !ok {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "unknown label action"}
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	err = h.dialogs.SetLabel(c.Request().Context(), u.in, id, label, c.FormValue("revision"))
	switch {
	case errors.Is(err, dpclient.ErrPreconditionFailed):
		return c.Redirect(http.StatusSeeOther, dialogURL(id, "conflict"))
	case err != nil:
		return err
	}
	if action == "unread" {
		// Showing the dialog again would mark it seen at once (ENDUSER-API.md §7.4), undoing
		// the change: go back to the list instead, where it now shows as unread.
		return redirectAfterPost(c, "/inbox")
	}
	return c.Redirect(http.StatusSeeOther, dialogURL(id, action))
}
