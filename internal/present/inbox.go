package present

import (
	"cmp"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// RelTime is a short relative time ("3 h ago"); the exact time is in the <time> element.
func RelTime(lang i18n.Lang, t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		days := int(-d.Hours()/24) + 1
		return lang.N("time.future", days, days)
	case d < time.Minute:
		return lang.T("time.justNow")
	case d < time.Hour:
		return lang.F("time.minutes", int(d.Minutes()))
	case d < 24*time.Hour:
		return lang.F("time.hours", int(d.Hours()))
	case d < 48*time.Hour:
		return lang.T("time.yesterday")
	}
	return lang.F("time.days", int(d.Hours()/24))
}

// Filters builds the filter form's choices and names the active filters.
func Filters(lang i18n.Lang, q query.Query, f *inbox.Facets) views.InboxFilters {
	out := views.InboxFilters{
		Party: q.Party, Folder: q.Folder, Query: q.Q, QueryTooShort: q.SearchTooShort(), DateInvalid: q.BadDate,
		From: q.From, To: q.To, ClearURL: query.Query{Party: q.Party, Folder: q.Folder}.URL(false),
	}
	opt := func(value, label, current string) views.Option {
		return views.Option{Value: value, Label: label, Selected: value == current}
	}
	active := func(label, value string) { out.Active = append(out.Active, label+": "+value) }

	out.Senders = []views.Option{opt("", lang.T("filter.any"), q.Org)}
	known := false
	for _, s := range f.Senders {
		out.Senders = append(out.Senders, opt(s.Value, s.Name, q.Org))
		known = known || s.Value == q.Org
	}
	if q.Org != "" {
		if !known {
			out.Senders = append(out.Senders, opt(q.Org, f.SenderName(q.Org), q.Org))
		}
		active(lang.T("filter.sender"), f.SenderName(q.Org))
	}

	out.Statuses = []views.Option{opt("", lang.T("filter.any"), q.Status)}
	for _, s := range query.StatusValues[1:] {
		out.Statuses = append(out.Statuses, opt(string(s), lang.T("status."+string(s)), q.Status))
	}
	if q.Status != "" {
		active(lang.T("filter.status"), lang.T("status."+q.Status))
	}

	readLabels := map[string]string{"": lang.T("filter.readAny"), "unread": lang.T("filter.unread"), "read": lang.T("filter.readOnly")}
	for _, v := range query.ReadValues {
		out.Read = append(out.Read, opt(v, readLabels[v], q.Read))
	}
	if q.Read != "" {
		active(lang.T("filter.read"), readLabels[q.Read])
	}

	out.Services = []views.Option{opt("", lang.T("filter.any"), q.Service)}
	svcName := q.Service
	for _, s := range f.Services {
		out.Services = append(out.Services, opt(s.Value, s.Name, q.Service))
		if s.Value == q.Service {
			svcName = s.Name
		}
	}
	if q.Service != "" {
		if svcName == q.Service {
			out.Services = append(out.Services, opt(q.Service, q.Service, q.Service))
		}
		active(lang.T("filter.service"), svcName)
	}

	updLabels := map[string]string{"": lang.T("period.any"), "today": lang.T("period.today"), "7d": lang.T("period.7d"),
		"30d": lang.T("period.30d"), "12m": lang.T("period.12m"), "custom": lang.T("period.custom")}
	for _, v := range query.UpdatedValues {
		out.Updated = append(out.Updated, opt(v, updLabels[v], q.Updated))
	}
	// A bad custom range is not applied (query.Query.BadDate), so it is not named as a filter
	// the list is narrowed by; the form says what is wrong with it instead.
	if q.Updated != "" && !q.BadDate {
		label := updLabels[q.Updated]
		if q.Updated == "custom" {
			label = q.From + "–" + q.To
		}
		active(lang.T("filter.updated"), label)
	}

	dueLabels := map[string]string{"": lang.T("filter.dueAny"), "soon": lang.T("filter.dueSoon"),
		"overdue": lang.T("filter.dueOverdue"), "has": lang.T("filter.dueHas")}
	for _, v := range query.DueValues {
		out.Due = append(out.Due, opt(v, dueLabels[v], q.Due))
	}
	if q.Due != "" {
		active(lang.T("filter.due"), dueLabels[q.Due])
	}

	sortLabels := map[string]string{"updated": lang.T("sort.updated"), "created": lang.T("sort.created"), "due": lang.T("sort.due")}
	for _, v := range query.SortValues {
		out.Sort = append(out.Sort, opt(v, sortLabels[v], q.Sort))
	}
	if q.Q != "" && !out.QueryTooShort {
		active(lang.T("search.label"), lang.F("search.quoted", q.Q))
	}
	return out
}

// BulkOptions are the bulk actions that make sense in a folder.
func BulkOptions(lang i18n.Lang, folder string) []views.Option {
	keys := inbox.LabelMoves(folder)
	opts := make([]views.Option, 0, len(keys))
	for _, k := range keys {
		opts = append(opts, views.Option{Value: k, Label: lang.T("bulk." + k)})
	}
	return opts
}

// StatusText is a dialog status as the list and the dialog page show it; "" for none.
func StatusText(lang i18n.Lang, s dpclient.DialogStatus) string {
	if s == "" || s == dpclient.DialogStatusNotApplicable {
		return ""
	}
	return lang.T("status." + string(s))
}

// FolderLinks are the folder navigation for the current party (filters reset on a switch).
func FolderLinks(q query.Query) []views.FolderLink {
	links := make([]views.FolderLink, 0, len(query.Folders))
	for _, k := range query.Folders {
		fq := query.Query{Party: q.Party, Folder: k, Sort: q.Sort}
		links = append(links, views.FolderLink{Key: k, Href: fq.URL(false), Current: k == q.Folder})
	}
	return links
}

// DialogRow maps a search item to a list row in lang; several lists name each row's party
// (from ix), f names the senders of dialogs that name none.
func DialogRow(lang i18n.Lang, ix *inbox.PartyIndex, d dpclient.SearchDialog, f *inbox.Facets, several bool, now time.Time, loc *time.Location) views.DialogRowProps {
	l := string(lang)
	r := views.DialogRowProps{
		ID: d.ID, StatusKey: string(d.Status),
		Updated: d.UpdatedAt.In(loc), UpdatedRelative: RelTime(lang, d.UpdatedAt, now),
		Unread: !d.IsContentSeen,
	}
	if inbox.ValidID(d.ID) {
		// An id that is no UUID would make a link Innboks cannot open: listed, not linked.
		r.Href = "/dialogs/" + d.ID
	}
	r.Status = StatusText(lang, d.Status)
	if c := d.Content; c != nil {
		// Shown as text (escaped); bidirectional overrides could make it read otherwise.
		r.Title = richtext.Text(c.Title.Best(l))
		r.Summary = richtext.Text(c.Summary.Best(l))
		r.Sender = richtext.Text(c.SenderName.Best(l))
		r.ExtendedStatus = richtext.Text(c.ExtendedStatus.Best(l))
	}
	if r.Sender == "" {
		r.Sender = f.SenderName(d.Org) // only when the dialog names none: a scan of the senders
	}
	r.Title = cmp.Or(r.Title, d.ServiceResource)
	if d.DueAt != nil {
		due := d.DueAt.In(loc)
		r.Due = &due
		r.Overdue = d.DueAt.Before(now)
	}
	if d.GuiAttachmentCount != nil {
		r.Attachments = *d.GuiAttachmentCount
	}
	if several {
		if p, ok := ix.ByURN(d.Party); ok {
			r.Party = p.Name
		}
	}
	return r
}
