package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// BulkLabeler is what bulk actions need of the service layer (*inbox.Dialogs).
type BulkLabeler interface {
	BulkLabel(ctx context.Context, u *inbox.User, ids []string, label dpclient.SystemLabel) (map[string]error, error)
}

// Bulk applies a system-label change to many dialogs at once.
type Bulk struct {
	base
	dialogs BulkLabeler
}

// Apply handles POST /inbox/bulk (action=archive|bin|restore|unread, dialog=id…) and reports
// per dialog (the service sends batches of at most 100 and splits refused ones).
func (h *Bulk) Apply(c echo.Context, u *user) error {
	form, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "bulk form", Err: err}
	}
	label, ok := inbox.LabelChange(form.Get("action"))
	if !ok {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "unknown bulk action"}
	}
	ids := inbox.UniqueIDs(form["dialog"])
	props := views.BulkResultProps{BackURL: safeReturnTo(form.Get("return_to"))}
	if len(ids) > inbox.MaxBulk {
		// Nothing is changed, and the page says by how much the choice is over the limit.
		props.Summary = u.lang.F("bulk.tooMany", inbox.MaxBulk, len(ids))
		return h.answer(c, u, props, http.StatusUnprocessableEntity)
	}
	if len(ids) == 0 {
		props.Summary = u.lang.T("bulk.none")
		return h.answer(c, u, props, http.StatusOK)
	}
	failed, err := h.dialogs.BulkLabel(c.Request().Context(), u.in, ids, label)
	if err != nil {
		return err // the session ended, the request was cancelled, or too many at once
	}
	props.Rows, props.Summary, props.BatchNote = present.BulkRows(u.lang, ids, failed)
	return h.answer(c, u, props, http.StatusOK)
}

func (h *Bulk) answer(c echo.Context, u *user, props views.BulkResultProps, status int) error {
	if web.IsHTMX(c.Request()) {
		return render(c, status, views.BulkResult(props))
	}
	return render(c, status, views.BulkResultPage(h.chrome(c, u, u.lang.T("bulk.title")), props))
}
