// Package query is the inbox's search as its URL carries it: party, folder, free text,
// filters, sorting and the page cursor. Parse reads any URL safely (unknown values fall back to
// defaults, a bad date is kept and explained), URL writes the canonical address, and Params
// says the same search in Dialogporten's terms (dpclient.SearchParams). Pages, saved searches,
// exports and the live banner all share this one reading of an inbox address.
package query

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/innboks/innboks/dpclient"
)

// Folders are the folders in navigation order.
var Folders = []string{"inbox", "drafts", "sent", "archive", "bin"}

// MinSearchLen is Dialogporten's minimum free-text length.
const MinSearchLen = 3

// Query is a search as it stands in the inbox's URL: party, folder, search, filters, sorting
// and the page cursor. Unknown values fall back to defaults, so any URL is safe. It is what a
// person searches for, in the words of the inbox; Params says it in Dialogporten's.
type Query struct {
	Party   string // partyUuid, all-orgs, all-persons; "" → the session's or own
	Folder  string // inbox, drafts, sent, archive, bin
	Q       string
	Org     string // service-owner code
	Status  string // a DialogStatus, "" for any
	Read    string // "", "unread", "read"
	Service string // service resource URN
	Updated string // "", today, 7d, 30d, 12m, custom
	From    string // YYYY-MM-DD (custom)
	To      string
	Due     string // "", soon, overdue, has
	Sort    string // updated (default), created, due
	Cursor  string // continuation token(s), "ct"
	// BadDate: the custom range had a date that is not YYYY-MM-DD, or "from" after "to". The
	// range is then not applied, and the page says why (bad input is explained, not dropped
	// silently).
	BadDate bool
}

// The values each filter takes, the default first.
var (
	ReadValues    = []string{"", "unread", "read"}
	UpdatedValues = []string{"", "today", "7d", "30d", "12m", "custom"}
	DueValues     = []string{"", "soon", "overdue", "has"}
	SortValues    = []string{"updated", "created", "due"}
	StatusValues  = []dpclient.DialogStatus{
		dpclient.DialogStatusNotApplicable, dpclient.DialogStatusInProgress, dpclient.DialogStatusDraft,
		dpclient.DialogStatusAwaiting, dpclient.DialogStatusRequiresAttention, dpclient.DialogStatusCompleted,
	}
)

func oneOf(v string, allowed []string) string {
	if slices.Contains(allowed, v) {
		return v
	}
	return allowed[0]
}

// Parse reads a Query from the inbox URL's parameters.
func Parse(v url.Values) Query {
	q := Query{
		Party:   strings.TrimSpace(v.Get("party")),
		Folder:  oneOf(v.Get("folder"), Folders),
		Q:       strings.TrimSpace(v.Get("q")),
		Org:     strings.TrimSpace(v.Get("org")),
		Read:    oneOf(v.Get("read"), ReadValues),
		Service: serviceURN(v.Get("service")),
		Updated: oneOf(v.Get("updated"), UpdatedValues),
		From:    validDate(v.Get("from")),
		To:      validDate(v.Get("to")),
		Due:     oneOf(v.Get("due"), DueValues),
		Sort:    oneOf(v.Get("sort"), SortValues),
		Cursor:  v.Get("ct"),
	}
	if s := dpclient.DialogStatus(v.Get("status")); slices.Contains(StatusValues, s) {
		q.Status = string(s)
	}
	rawFrom, rawTo := strings.TrimSpace(v.Get("from")), strings.TrimSpace(v.Get("to"))
	if q.Updated == "" && (rawFrom != "" || rawTo != "") {
		q.Updated = "custom"
	}
	if q.Updated != "custom" {
		q.From, q.To = "", ""
	} else {
		q.BadDate = (rawFrom != "" && q.From == "") || (rawTo != "" && q.To == "") ||
			(q.From != "" && q.To != "" && q.From > q.To)
		if q.BadDate {
			// Keep what was typed (in the URL and the form), so nothing is lost while it is fixed.
			q.From, q.To = Clip(rawFrom, 32), Clip(rawTo, 32)
		}
	}
	q.Q = Clip(strings.TrimSpace(strings.Map(noControl, q.Q)), 200)
	return q
}

// serviceURN is s when it names a service resource as Dialogporten's search takes one
// (urn:altinn:resource:<id>), else "": like an unknown folder or status, a filter the form could
// not have sent is left out rather than failing the whole search upstream.
func serviceURN(s string) string {
	s = strings.TrimSpace(s)
	id, ok := strings.CutPrefix(s, "urn:altinn:resource:")
	if !ok || id == "" || len(s) > 255 || strings.ContainsFunc(id, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return ""
	}
	return s
}

// noControl drops control characters (a NUL from an edited address, a tab or line break from a
// paste) from search text: they match nothing and have no place in the page's search field.
func noControl(r rune) rune {
	if unicode.IsControl(r) {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return -1
	}
	return r
}

// Clip cuts s to at most n bytes on a rune boundary.
func Clip(s string, n int) string {
	for len(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func validDate(s string) string {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return ""
	}
	return s
}

// values is the canonical URL query: defaults left out, the cursor only when asked.
func (q Query) values(withCursor bool) url.Values {
	v := url.Values{}
	set := func(k, val, def string) {
		if val != "" && val != def {
			v.Set(k, val)
		}
	}
	set("party", q.Party, "")
	set("folder", q.Folder, "inbox")
	set("q", q.Q, "")
	set("org", q.Org, "")
	set("status", q.Status, "")
	set("read", q.Read, "")
	set("service", q.Service, "")
	set("updated", q.Updated, "")
	set("from", q.From, "")
	set("to", q.To, "")
	set("due", q.Due, "")
	set("sort", q.Sort, "updated")
	if withCursor {
		set("ct", q.Cursor, "")
	}
	return v
}

// URL is /inbox with the canonical query.
func (q Query) URL(withCursor bool) string {
	if enc := q.values(withCursor).Encode(); enc != "" {
		return "/inbox?" + enc
	}
	return "/inbox"
}

// SearchTooShort reports a search text that is present but below Dialogporten's minimum.
func (q Query) SearchTooShort() bool {
	n := utf8.RuneCountInString(q.Q)
	return n > 0 && n < MinSearchLen
}

// folderFilter maps a folder to system labels and statuses (ENDUSER-API.md §7.3): Default, Bin
// and Archive exclude each other; Sent is a flag on dialogs the party submitted to; drafts are
// the Draft status, so the inbox is the Default label without drafts.
func folderFilter(folder string) (labels []dpclient.SystemLabel, statuses []dpclient.DialogStatus) {
	notDraft := slices.DeleteFunc(slices.Clone(StatusValues), func(s dpclient.DialogStatus) bool {
		return s == dpclient.DialogStatusDraft
	})
	switch folder {
	case "drafts":
		return []dpclient.SystemLabel{dpclient.SystemLabelDefault}, []dpclient.DialogStatus{dpclient.DialogStatusDraft}
	case "sent":
		return []dpclient.SystemLabel{dpclient.SystemLabelDefault, dpclient.SystemLabelSent}, nil
	case "archive":
		return []dpclient.SystemLabel{dpclient.SystemLabelArchive}, nil
	case "bin":
		return []dpclient.SystemLabel{dpclient.SystemLabelBin}, nil
	}
	return []dpclient.SystemLabel{dpclient.SystemLabelDefault}, notDraft
}

// Params turns the query into Dialogporten search parameters (without parties), dates in loc.
// ok is false when the filters cannot match anything (e.g. status Draft in the inbox).
func (q Query) Params(now time.Time, loc *time.Location, limit int) (p dpclient.SearchParams, ok bool) {
	labels, statuses := folderFilter(q.Folder)
	p.SystemLabel = labels
	p.Limit = limit
	p.ContinuationToken = ""
	if q.Status != "" {
		s := dpclient.DialogStatus(q.Status)
		if statuses != nil && !slices.Contains(statuses, s) {
			return p, false
		}
		statuses = []dpclient.DialogStatus{s}
	}
	p.Status = statuses
	if q.Org != "" {
		p.Org = []string{q.Org}
	}
	if q.Service != "" {
		p.ServiceResource = []string{q.Service}
	}
	switch q.Read {
	case "unread":
		p.IsContentSeen = ptr(false)
	case "read":
		p.IsContentSeen = ptr(true)
	}
	if n := utf8.RuneCountInString(q.Q); n >= MinSearchLen {
		p.Search = q.Q
	}
	local := now.In(loc)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	switch q.Updated {
	case "today":
		p.UpdatedAfter = ptr(midnight)
	case "7d":
		p.UpdatedAfter = ptr(now.AddDate(0, 0, -7))
	case "30d":
		p.UpdatedAfter = ptr(now.AddDate(0, 0, -30))
	case "12m":
		p.UpdatedAfter = ptr(now.AddDate(0, -12, 0))
	case "custom":
		if q.BadDate {
			break // explained on the page; the rest of the search still applies
		}
		if t, err := time.ParseInLocation(time.DateOnly, q.From, loc); err == nil {
			p.UpdatedAfter = ptr(t)
		}
		if t, err := time.ParseInLocation(time.DateOnly, q.To, loc); err == nil {
			p.UpdatedBefore = ptr(t.AddDate(0, 0, 1).Add(-time.Millisecond)) // the whole "to" day
		}
	}
	switch q.Due {
	case "soon":
		p.DueAfter, p.DueBefore = ptr(now), ptr(now.AddDate(0, 0, 7))
	case "overdue":
		p.DueBefore = ptr(now)
	case "has":
		p.DueAfter = ptr(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	switch q.Sort {
	case "created":
		p.OrderBy = "createdAt_desc"
	case "due":
		p.OrderBy = "dueAt_asc"
	default:
		p.OrderBy = "updatedAt_desc"
	}
	return p, true
}

func ptr[T any](v T) *T { return &v }
