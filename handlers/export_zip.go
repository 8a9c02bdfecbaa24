package handlers

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/views"
)

// AttachmentZipper is what the ZIP download needs of the service layer (*export.Attachments).
type AttachmentZipper interface {
	ZIP(ctx context.Context, w io.Writer, req export.ZipRequest) (export.ZipSummary, error)
	SearchIDs(ctx context.Context, u *inbox.User, scope []string, p dpclient.SearchParams) (ids []string, cut bool, err error)
	MaxDialogs() int
}

// Zip handles POST /inbox/zip: the attachments of many dialogs as one ZIP. The dialogs are the
// ones ticked in the list (dialog=id…, the bulk form's "Download attachments") or the first
// of a whole search (search=<the inbox's query string>). A POST with the CSRF token, so
// another site cannot make the browser fetch a person's files. Too many dialogs, or none, get
// a page that says so and leads back.
func (h *Export) Zip(c echo.Context, u *user) error {
	form, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "zip form", Err: err}
	}
	ctx := c.Request().Context()
	back := safeReturnTo(form.Get("return_to"))
	ids := inbox.UniqueIDs(form["dialog"])
	cut := false
	if raw, whole := form["search"]; whole && len(ids) == 0 {
		vals, err := url.ParseQuery(raw[0])
		if err != nil {
			return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "zip search", Err: err}
		}
		q := query.Parse(vals)
		scope, err := h.scope(ctx, u, q.Party)
		if err != nil {
			return err
		}
		q.Party = scope.Key
		back = q.URL(false)
		if params, possible := q.Params(h.now(), h.loc, 0); possible {
			if ids, cut, err = h.zipper.SearchIDs(ctx, u.in, scope.URNs, params); err != nil {
				return err
			}
		}
	}
	switch max := h.zipper.MaxDialogs(); {
	case len(ids) == 0:
		return h.zipRefused(c, u, u.lang.T("bulk.none"), back)
	case len(ids) > max:
		return h.zipRefused(c, u, u.lang.N("zip.tooMany", max, max, len(ids)), back)
	}
	req := export.ZipRequest{User: u.in, Parties: u.parties, IDs: ids}
	if cut {
		req.Cut = u.lang.N("zip.cut", len(ids), len(ids))
	}
	for _, col := range export.ManifestColumns {
		req.Header = append(req.Header, u.lang.T("zipCol."+col))
	}
	w := download(c, "application/zip", "innboks-vedlegg-"+h.now().In(h.loc).Format(time.DateOnly)+".zip")
	_, err = h.zipper.ZIP(ctx, w, req)
	return err
}

// zipRefused is the page for a ZIP that cannot be made as asked.
func (h *Export) zipRefused(c echo.Context, u *user, msg, back string) error {
	p := views.BulkResultProps{Summary: msg, BackURL: back}
	return render(c, http.StatusUnprocessableEntity, views.BulkResultPage(h.chrome(c, u, u.lang.T("zip.title")), p))
}
