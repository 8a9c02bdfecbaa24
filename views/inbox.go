package views

import (
	"strings"
	"time"

	"github.com/innboks/innboks/views/i18n"
)

// Option is one choice of a select or checkbox group.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

// FolderLink is one folder in the navigation.
type FolderLink struct {
	Key     string // inbox, drafts, sent, archive, bin
	Href    string
	Current bool
}

// InboxFilters is the search and filter form's state, exactly as in the URL.
type InboxFilters struct {
	Party         string // partyUuid or all-orgs / all-persons
	Folder        string
	Query         string
	QueryTooShort bool // 1–2 characters: shown, explained, not sent upstream
	Senders       []Option
	Statuses      []Option
	Read          []Option
	Services      []Option
	Updated       []Option
	From, To      string // custom updated range, YYYY-MM-DD
	DateInvalid   bool   // the custom range was not valid and is not applied
	Restarted     bool   // the address's place in the list (ct) was refused; the list starts at the top
	Due           []Option
	Sort          []Option
	Active        []string // the active filters, named, for the empty state
	ClearURL      string   // the folder without search or filters, for the same party
}

// DialogRowProps is one dialog in the list.
type DialogRowProps struct {
	ID              string
	Href            string // the dialog's page
	Sender          string
	Title           string
	Summary         string
	Status          string // translated; "" when none to show
	StatusKey       string // the upstream status, for data attributes and colour
	ExtendedStatus  string
	Updated         time.Time
	UpdatedRelative string // "3 h ago", translated
	Due             *time.Time
	Overdue         bool
	Attachments     int
	Unread          bool
	Party           string // the party's name, when several parties are shown
}

// InboxProps is the whole inbox: navigation, filters, list, paging and bulk actions.
type InboxProps struct {
	Lang    i18n.Lang
	CSRF    string
	Folders []FolderLink
	Filters InboxFilters
	Rows    []DialogRowProps
	// MoreURL is the next page (continuation token in the URL); empty on the last page.
	MoreURL string
	// BatchNote says the search was split into batches of 100 parties; empty when not.
	BatchNote string
	// Title is the page's title before the site's name (present.InboxTitle): whom the list is
	// for, and the folder; a folder switch by htmx sets it too.
	Title string
	// ToolsOOB: the results fragment (an htmx search) brings the search's tools along, out of
	// band, to their place beside the heading, so saving and downloading follow the search.
	ToolsOOB bool
	// ListURL is this list's URL (for htmx pushes and the bulk form's way back).
	ListURL string
	// Bulk is the folder's bulk actions.
	Bulk []Option
	// Live is where new and changed dialogs are announced (a stream or a poll; empty: none).
	Live LiveProps
	// Export is the results' downloads (CSV, ZIP); empty when there are none to offer.
	Export ExportProps
	// Save is the form that saves this search; empty when saving is not offered.
	Save SaveSearchProps
	// Star is the shown party's star; nil for a group of parties.
	Star *StarProps
	// Announce asks the results to carry what the inbox's status says about them
	// (resultsStatus): set when htmx swaps them in after a search or filter, not on a page.
	Announce bool
	// Scope names a favourites or group scope ("Favourites (12)"); ScopeNote says what of it
	// cannot be searched. Empty otherwise.
	Scope, ScopeNote string
}

// ExportProps are the downloads of a search's results.
type ExportProps struct {
	// CSVURL is the CSV export of the search (the inbox's query); "" offers no downloads.
	CSVURL string
	// MaxRows is the most rows a CSV has.
	MaxRows int
	// Search is the inbox's query string, for the ZIP of the whole search.
	Search string
	// ZipMax is the most dialogs one ZIP holds.
	ZipMax int
}

func (f InboxFilters) activeText() string { return strings.Join(f.Active, ", ") }

// resultsStatus is what the inbox's status says when a search or filter has swapped the
// results in: why the search is not applied as asked (the hint's warnings, which are no live
// region), then how many messages the list shows, or the empty list's text.
func (p InboxProps) resultsStatus() string {
	var say []string
	if p.Filters.QueryTooShort {
		say = append(say, p.Lang.T("search.tooShort"))
	}
	if p.Filters.DateInvalid {
		say = append(say, p.Lang.T("filter.dateInvalid"))
	}
	if p.Filters.Restarted {
		say = append(say, p.Lang.T("list.restarted"))
	}
	switch n := len(p.Rows); {
	case n == 0 && len(p.Filters.Active) > 0:
		say = append(say, p.Lang.F("list.emptyFilters", p.Filters.activeText()))
	case n == 0:
		say = append(say, p.Lang.T("list.empty"))
	case p.MoreURL != "":
		say = append(say, p.Lang.N("list.foundMore", n, n))
	default:
		say = append(say, p.Lang.N("list.found", n, n))
	}
	return strings.Join(say, " ")
}

// datetime formats t for <time datetime>.
func datetime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// exact formats t for people, in Norwegian time.
func exact(t time.Time) string { return t.Format("02.01.2006 15:04") }

func day(t time.Time) string { return t.Format("02.01.2006") }

// BulkRowResult is one dialog's outcome of a bulk action.
type BulkRowResult struct {
	ID    string
	Title string
	OK    bool
	Text  string // translated
}

// BulkResultProps is the outcome of a bulk action.
type BulkResultProps struct {
	Summary   string
	BatchNote string
	Rows      []BulkRowResult
	BackURL   string
}

// resultTarget is the hx-swap-oob of a bulk result: appended to the side column (the row's one
// <div>) of the row whose checkbox carries dialog id. Ids are UUIDs; one with a quote or
// backslash (never seen) is escaped for the CSS string.
func resultTarget(id string) string {
	id = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(id)
	return `beforeend:#dialog-list input[value="` + id + `"] ~ div`
}

func statusColor(status string) string {
	switch status {
	case "RequiresAttention":
		return "danger"
	case "Completed":
		return "success"
	case "Draft", "InProgress":
		return "info"
	}
	return "neutral"
}
