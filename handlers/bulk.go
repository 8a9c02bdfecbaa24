package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
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

// NewBulk returns the bulk action handler.
func NewBulk(b base, dialogs BulkLabeler) *Bulk { return &Bulk{base: b, dialogs: dialogs} }

// Apply handles POST /inbox/bulk (action=archive|bin|restore|unread, dialog=id…) and reports
// per dialog (the service sends batches of at most 100 and splits refused ones).
func (h *Bulk) Apply(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "bulk form", Err: err}
	}
	label, ok := inbox.LabelChange(form.Get("action"))
	if !ok {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "unknown bulk action"}
	}
	ids := inbox.UniqueIDs(form["dialog"])
	if len(ids) > inbox.MaxBulk {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "too many dialogs in one bulk action"}
	}
	props := views.BulkResultProps{BackURL: safeReturnTo(form.Get("return_to"))}
	if len(ids) == 0 {
		props.Summary = u.lang.T("bulk.none")
		return h.answer(c, u, props)
	}
	failed, err := h.dialogs.BulkLabel(c.Request().Context(), u.in, ids, label)
	if err != nil {
		return err // the session ended, the request was cancelled, or too many at once
	}
	done := 0
	for _, id := range ids {
		r := views.BulkRowResult{ID: id, OK: failed[id] == nil}
		if r.OK {
			done++
			r.Text = u.lang.T("bulk.ok")
		} else {
			r.Text = u.lang.F("bulk.failedReason", bulkReason(u.lang, failed[id]))
		}
		props.Rows = append(props.Rows, r)
	}
	props.Summary = u.lang.F("bulk.done", done, len(ids))
	if batches := (len(ids) + inbox.MaxPartiesPerSearch - 1) / inbox.MaxPartiesPerSearch; batches > 1 {
		props.BatchNote = u.lang.F("bulk.batches", batches)
	}
	return h.answer(c, u, props)
}

func (h *Bulk) answer(c echo.Context, u *user, props views.BulkResultProps) error {
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.BulkResult(props))
	}
	return render(c, http.StatusOK, views.BulkResultPage(h.chrome(c, u, u.lang.T("bulk.title")), props))
}

// bulkReason is a short, translated reason a batch failed.
func bulkReason(lang i18n.Lang, err error) string {
	if errors.Is(err, inbox.ErrBulkBudget) {
		return lang.T("error.busy")
	}
	_, kind, _ := web.Classify(err)
	switch kind {
	case views.ErrNotFound, views.ErrGone:
		return lang.T("error.notFound")
	case views.ErrForbidden, views.ErrAuthLevel:
		return lang.T("error.forbidden")
	case views.ErrBusy:
		return lang.T("error.busy")
	}
	return lang.T("error.internal")
}
