package export

import (
	"cmp"
	"context"
	"io"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/richtext"
)

// MaxRows is the most rows a results export has; a search with more is cut, and the file's last
// line says so.
const MaxRows = 10_000

// Searcher is what the results export needs of the search (*inbox.Search).
type Searcher interface {
	Each(ctx context.Context, u *inbox.User, parties []string, p dpclient.SearchParams, yield func(dpclient.SearchDialog) bool) error
}

// Columns are the results export's columns, in order; a ResultsLabels.Header names them.
var Columns = []string{"partyName", "partyNumber", "sender", "title", "status", "created", "updated", "due", "folder", "link"}

// ResultsLabels are the words of a results export in the user's language.
type ResultsLabels struct {
	// Header names Columns, one to one.
	Header []string
	// Status names a dialog status ("" for none).
	Status func(dpclient.DialogStatus) string
	// Folder names a folder (query.Folders).
	Folder func(string) string
	// Cut is the last line of a cut export (it has MaxRows rows and more matched).
	Cut string
}

// ResultsRequest is one search to export.
type ResultsRequest struct {
	User *inbox.User
	// Parties names each dialog's party (name and organisation number).
	Parties *inbox.PartyIndex
	// Scope is the party URNs searched; Params the search (its Limit is the export's own).
	Scope  []string
	Params dpclient.SearchParams
	// Folder is the inbox folder searched.
	Folder string
	// Senders names a service owner when a dialog names none (nil: its code is shown).
	Senders *inbox.Facets
	Labels  ResultsLabels
}

// Summary is what an export wrote.
type Summary struct {
	Rows int  // data rows, without the header and the cut line
	Cut  bool // more matched than MaxRows
}

// Results writes a search's results as CSV.
type Results struct {
	search Searcher
	base   string // the portal's public URL, for the links
	max    int
	loc    *time.Location
}

// NewResults returns the results export over search; links to dialogs start with publicURL.
func NewResults(search Searcher, publicURL string) *Results {
	return &Results{search: search, base: strings.TrimRight(publicURL, "/"), max: MaxRows, loc: inbox.NorwegianTime()}
}

// CSV streams every result of req's search to w, up to MaxRows rows: the byte order mark and the
// header are written with the first row (or at the end of an empty search), so a search that
// fails at once has written nothing and the caller can still answer with an error page. Rows
// are written as Dialogporten answers, a page at a time: memory does not grow with the rows.
func (r *Results) CSV(ctx context.Context, w io.Writer, req ResultsRequest) (Summary, error) {
	var sum Summary
	var t *table
	start := func() error {
		if t != nil {
			return nil
		}
		var err error
		if t, err = newTable(w); err != nil {
			return err
		}
		return t.write(req.Labels.Header...)
	}
	p := req.Params
	p.Limit = pageLimit(len(req.Scope), r.max)
	lang := req.User.Lang
	var werr error
	err := r.search.Each(ctx, req.User, req.Scope, p, func(d dpclient.SearchDialog) bool {
		if sum.Rows == r.max {
			sum.Cut = true
			return false
		}
		if werr = start(); werr != nil {
			return false
		}
		if werr = t.write(r.row(d, req, lang)...); werr != nil {
			return false
		}
		sum.Rows++
		return true
	})
	if err != nil {
		return sum, err
	}
	if werr != nil {
		return sum, werr
	}
	if err := start(); err != nil {
		return sum, err
	}
	if sum.Cut {
		if err := t.write(req.Labels.Cut); err != nil {
			return sum, err
		}
	}
	return sum, t.flush()
}

// pageLimit is how many rows one upstream search asks: as many as Dialogporten gives (1000)
// for one batch; with several, fewer per batch, since the merge may hold a page of each
// (about 5,000 rows in all, 50 a batch at the least).
func pageLimit(parties, most int) int {
	batches := max(1, (parties+inbox.MaxPartiesPerSearch-1)/inbox.MaxPartiesPerSearch)
	return min(most+1, 1000, max(50, 5_000/batches))
}

// row is one dialog's cells, in Columns' order.
func (r *Results) row(d dpclient.SearchDialog, req ResultsRequest, lang string) []string {
	var party, number string
	if p, ok := req.Parties.ByURN(d.Party); ok {
		// OrgNo is empty for a person: a national identity number never goes into a file.
		party, number = p.Name, p.OrgNo
	}
	var title, sender string
	if c := d.Content; c != nil {
		title = richtext.Text(c.Title.Best(lang))
		sender = richtext.Text(c.SenderName.Best(lang))
	}
	if sender == "" {
		sender = req.Senders.SenderName(d.Org) // the code, upper-cased, when unknown
	}
	due := ""
	if d.DueAt != nil {
		due = r.stamp(*d.DueAt)
	}
	link := ""
	if inbox.ValidID(d.ID) {
		link = r.base + "/dialogs/" + d.ID
	}
	status := ""
	if req.Labels.Status != nil {
		status = req.Labels.Status(d.Status)
	}
	folder := folderOf(d, req.Folder)
	if req.Labels.Folder != nil {
		folder = req.Labels.Folder(folder)
	}
	return []string{party, number, sender, cmp.Or(title, d.ServiceResource), status,
		r.stamp(d.CreatedAt), r.stamp(d.UpdatedAt), due, folder, link}
}

// stamp is a time as a spreadsheet reads it, in Norwegian time.
func (r *Results) stamp(t time.Time) string { return t.In(r.loc).Format("2006-01-02 15:04") }

// folderOf is the folder a dialog is filed in: bin and archive by their labels, a draft by its
// status, the searched folder otherwise (a sent dialog is in both the inbox and "sent").
func folderOf(d dpclient.SearchDialog, searched string) string {
	switch {
	case d.EndUserContext.Has(dpclient.SystemLabelBin):
		return "bin"
	case d.EndUserContext.Has(dpclient.SystemLabelArchive):
		return "archive"
	case d.Status == dpclient.DialogStatusDraft:
		return "drafts"
	case searched == "sent":
		return "sent"
	}
	return "inbox"
}
