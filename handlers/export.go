package handlers

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
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
	scopes  ScopeService
	loc     *time.Location
	now     func() time.Time
}

// NewExport returns the export handler.
func NewExport(b base, results ResultsExporter, senders SenderNames, zipper AttachmentZipper, scopes ScopeService) *Export {
	return &Export{base: b, results: results, senders: senders, zipper: zipper, scopes: scopes, loc: inbox.NorwegianTime(), now: time.Now}
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
func (h *Export) CSV(c echo.Context) error {
	u, q, parties, err := h.search(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
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

// search is the user and the inbox search a request names, with the parties it covers.
func (h *Export) search(c echo.Context) (*user, query.Query, []string, error) {
	u, err := h.userFrom(c)
	if err != nil {
		return nil, query.Query{}, nil, err
	}
	q := query.Parse(c.QueryParams())
	choice, parties, err := searchScope(c.Request().Context(), &h.base, h.scopes, u, q.Party)
	q.Party = choice
	return u, q, parties, err
}

// searchScope is what a search's party key searches, resolved as the inbox resolves it (a
// party, all organisations or persons, the favourites, one of the person's groups): the choice
// ("" picks the session's) and the party URNs in the scope's order. A party the user may not
// act for is refused, a group that is not theirs is not found, as on the inbox.
func searchScope(ctx context.Context, b *base, scopes ScopeService, u *user, party string) (string, []string, error) {
	choice := b.choice(ctx, u, party)
	switch {
	case party != "" && party != choice && workspace.IsScope(party):
		return choice, nil, &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's"}
	case party != "" && party != choice:
		return choice, nil, echo.NewHTTPError(http.StatusForbidden, "party not among the user's parties")
	case !workspace.IsScope(choice):
		return choice, u.parties.Scope(choice), nil
	}
	s, err := scopes.Scope(ctx, u.who, u.parties, choice)
	if workspace.IsNotFound(err) {
		return choice, nil, &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's", Err: err}
	}
	return choice, s.URNs, err
}
