package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// LabelSetter is what bulk actions need from dpclient.
type LabelSetter interface {
	BulkSetSystemLabels(ctx context.Context, req dpclient.BulkSetSystemLabelsRequest, opts ...dpclient.CallOption) error
}

// maxBulk is the most dialogs one bulk request may carry (upstream: 1–100 per call).
const maxBulk = 100

// maxBulkTotal bounds one form post (10 upstream calls).
const maxBulkTotal = 1000

// maxBulkCalls bounds the upstream calls of one form post, splits included: enough to find a
// few refused dialogs in every batch, not the ~2,000 calls of 1000 refused ones.
const maxBulkCalls = 200

// errBulkBudget is the result of the dialogs left when maxBulkCalls is spent: try again.
var errBulkBudget = &Error{Status: http.StatusTooManyRequests, Kind: views.ErrBusy, Msg: "bulk call budget spent"}

// Bulk applies a system-label change to many dialogs at once.
type Bulk struct {
	base
	dp     LabelSetter
	logger *slog.Logger
}

// NewBulk returns the bulk action handler. Failed batches are logged here, where they are
// handled (the request itself succeeds and reports per row).
func NewBulk(a Auth, parties *PartyCache, dp LabelSetter, logger *slog.Logger) *Bulk {
	return &Bulk{base: base{auth: a, parties: parties}, dp: dp, logger: logger}
}

// Apply handles POST /inbox/bulk (action=archive|bin|restore|unread, dialog=id…): it sends the
// change in batches of at most 100 and reports per dialog. Upstream is all-or-nothing per call,
// so each dialog's result is its batch's.
func (h *Bulk) Apply(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "bulk form", Err: err}
	}
	label, ok := labelChanges[form.Get("action")]
	if !ok {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "unknown bulk action"}
	}
	ids := uniqueIDs(form["dialog"])
	if len(ids) > maxBulkTotal {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "too many dialogs in one bulk action"}
	}
	back := safeReturnTo(form.Get("return_to"))
	props := views.BulkResultProps{BackURL: back}
	if len(ids) == 0 {
		props.Summary = u.lang.T("bulk.none")
		return h.answer(c, u, props)
	}

	done, batches, budget := 0, 0, maxBulkCalls
	for batch := range slices.Chunk(ids, maxBulk) {
		batches++
		failed, err := h.apply(c.Request().Context(), u, batch, label, &budget)
		if err != nil {
			return err // the session ended or the request was cancelled: nothing more to try
		}
		for _, id := range batch {
			r := views.BulkRowResult{ID: id, Title: form.Get("title." + id), OK: failed[id] == nil}
			if r.OK {
				done++
				r.Text = u.lang.T("bulk.ok")
			} else {
				r.Text = u.lang.F("bulk.failedReason", bulkReason(u.lang, failed[id]))
			}
			props.Rows = append(props.Rows, r)
		}
	}
	props.Summary = u.lang.F("bulk.done", done, len(ids))
	if batches > 1 {
		props.BatchNote = u.lang.F("bulk.batches", batches)
	}
	return h.answer(c, u, props)
}

// apply sends one batch. Upstream is all-or-nothing: when it refuses the batch because of some
// dialog (404 not found or not authorized, 403, 410, 412), the batch is split in halves and
// retried, so the dialogs that can change do and each row gets its own result (a few extra
// calls per refused dialog). Temporary failures (429/503) fail the whole batch at once. Each call
// spends one of *budget; once it is spent, what is left fails without a call. err is set only
// when the request cannot go on (session ended, client gone).
func (h *Bulk) apply(ctx context.Context, u *user, ids []string, label dpclient.SystemLabel, budget *int) (failed map[string]error, err error) {
	failed = map[string]error{}
	var run func(part []string) error
	run = func(part []string) error {
		if *budget <= 0 {
			for _, id := range part {
				failed[id] = errBulkBudget
			}
			return nil
		}
		*budget--
		req := dpclient.BulkSetSystemLabelsRequest{AddLabels: []dpclient.SystemLabel{label}}
		for _, id := range part {
			req.Dialogs = append(req.Dialogs, dpclient.BulkSetDialog{DialogID: id})
		}
		err := h.dp.BulkSetSystemLabels(ctx, req, u.opts...)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, context.Canceled) || errors.Is(err, dpclient.ErrUnauthorized):
			return err
		}
		h.logger.LogAttrs(ctx, slog.LevelWarn, "bulk label change refused",
			slog.String("request_id", pageFrom(ctx).RequestID),
			slog.Int("dialogs", len(part)), slog.String("error", err.Error()))
		if len(part) == 1 || !perDialog(err) {
			for _, id := range part {
				failed[id] = err
			}
			return nil
		}
		half := len(part) / 2
		if err := run(part[:half]); err != nil {
			return err
		}
		return run(part[half:])
	}
	return failed, run(ids)
}

// perDialog reports whether an upstream refusal may be caused by some dialogs of the batch only.
func perDialog(err error) bool {
	return errors.Is(err, dpclient.ErrNotFound) || errors.Is(err, dpclient.ErrForbidden) ||
		errors.Is(err, dpclient.ErrGone) || errors.Is(err, dpclient.ErrPreconditionFailed) ||
		errors.Is(err, dpclient.ErrBadRequest)
}

func (h *Bulk) answer(c echo.Context, u *user, props views.BulkResultProps) error {
	if isHTMX(c.Request()) {
		return render(c, http.StatusOK, views.BulkResult(props))
	}
	return render(c, http.StatusOK, views.BulkResultPage(h.chrome(c, u, u.lang.T("bulk.title")), props))
}

// bulkReason is a short, translated reason a batch failed.
func bulkReason(lang i18n.Lang, err error) string {
	_, kind, _ := classify(err)
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

// uniqueIDs keeps the first occurrence of each non-empty, reasonably sized id.
func uniqueIDs(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, id := range in {
		if id == "" || len(id) > 64 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
