package handlers

import (
	"context"
	"io"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/web"
)

// ResultsExporter is what the CSV export needs of the service layer (*export.Results).
type ResultsExporter interface {
	CSV(ctx context.Context, w io.Writer, req export.ResultsRequest) (export.Summary, error)
}

// SenderNames names service owners for dialogs that name none (*inbox.Search).
type SenderNames interface {
	Facets(ctx context.Context, u *inbox.User, scope string, parties []string) (*inbox.Facets, error)
}

// Export hands a person their inbox to take away: a search's results as CSV, many dialogs'
// attachments as one ZIP (export_zip.go).
type Export struct {
	base
	results ResultsExporter
	senders SenderNames
	zipper  AttachmentZipper
	loc     *time.Location
	now     func() time.Time
}

// NewExport returns the export handler.
func NewExport(b base, results ResultsExporter, senders SenderNames, zipper AttachmentZipper) *Export {
	return &Export{base: b, results: results, senders: senders, zipper: zipper, loc: inbox.NorwegianTime(), now: time.Now}
}

// exportWindow is how long an export's response may take to write: 10,000 rows from hundreds
// of batches take longer than a page may (cmd/web's WriteTimeout).
const exportWindow = 10 * time.Minute

// download is the response that becomes the file typ named name with its first byte.
func download(c echo.Context, typ, name string) *web.Download {
	return &web.Download{W: c.Response(), Type: typ, Name: name, Window: exportWindow}
}

// CSV handles GET /inbox/export.csv?<the inbox's query>: every result of the search the inbox
// shows (all pages, every scope), up to export.MaxRows, as a CSV file. A link, so it works
// without JavaScript; it changes nothing, so it needs no CSRF token.
func (h *Export) CSV(c echo.Context, u *user) error {
	ctx := c.Request().Context()
	q := query.Parse(c.QueryParams())
	scope, err := h.scope(ctx, u, q.Party)
	if err != nil {
		return err
	}
	q.Party = scope.Key
	parties := scope.URNs
	req := export.ResultsRequest{
		User: u.in, Parties: u.parties, Scope: parties, Folder: q.Folder,
		Labels: present.ResultsLabels(u.lang),
	}
	if f, ferr := h.senders.Facets(ctx, u.in, q.Party, parties); ferr == nil {
		req.Senders = f // without them a dialog that names no sender shows its code
	}
	params, possible := q.Params(h.now(), h.loc, 0)
	if !possible {
		req.Scope = nil // the filters cannot match: the header alone
	}
	req.Params = params
	w := download(c, "text/csv; charset=utf-8", "innboks-"+h.now().In(h.loc).Format(time.DateOnly)+".csv")
	_, err = h.results.CSV(ctx, w, req)
	return err
}
