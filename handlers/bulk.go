package handlers

import (
	"context"
	"errors"
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

// Bulk applies a system-label change to many dialogs at once.
type Bulk struct {
	base
	dp LabelSetter
}

// NewBulk returns the bulk action handler.
func NewBulk(a Auth, parties *PartyCache, dp LabelSetter) *Bulk {
	return &Bulk{base: base{auth: a, parties: parties}, dp: dp}
}

// bulkLabels maps an action to the labels it adds (ENDUSER-API.md §7.3: adding Default, Bin or
// Archive replaces whichever of the three is present).
var bulkLabels = map[string]dpclient.SystemLabel{
	"archive": dpclient.SystemLabelArchive,
	"bin":     dpclient.SystemLabelBin,
	"restore": dpclient.SystemLabelDefault,
	"unread":  dpclient.SystemLabelMarkedAsUnopened,
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
	label, ok := bulkLabels[form.Get("action")]
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

	done, batches := 0, 0
	for batch := range slices.Chunk(ids, maxBulk) {
		batches++
		req := dpclient.BulkSetSystemLabelsRequest{AddLabels: []dpclient.SystemLabel{label}}
		for _, id := range batch {
			req.Dialogs = append(req.Dialogs, dpclient.BulkSetDialog{DialogID: id})
		}
		err := h.dp.BulkSetSystemLabels(c.Request().Context(), req, u.opts...)
		if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, dpclient.ErrUnauthorized)) {
			return err
		}
		for _, id := range batch {
			r := views.BulkRowResult{ID: id, Title: form.Get("title." + id), OK: err == nil}
			if err == nil {
				done++
				r.Text = u.lang.T("bulk.ok")
			} else {
				r.Text = u.lang.F("bulk.failedReason", bulkReason(u.lang, err))
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
