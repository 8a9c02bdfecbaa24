package present

import (
	"cmp"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/savedsearch"
	"github.com/innboks/innboks/internal/store"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// PartyNames are the names of the parties (URNs, first seen first) whose dialogs changed, for
// the banner of a group's list ("all organisations"); none for one party's list, whose name
// the page shows already. A URN the user's party list lacks is left out.
func PartyNames(ix *inbox.PartyIndex, urns []string, group bool) []string {
	if !group {
		return nil
	}
	var names []string
	for _, urn := range urns {
		if p, ok := ix.ByURN(urn); ok && p.Name != "" && !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	return names
}

// DialogParties are the distinct parties of a search's dialogs, first seen first.
func DialogParties(items []dpclient.SearchDialog) []string {
	var out []string
	for _, d := range items {
		if d.Party != "" && !slices.Contains(out, d.Party) {
			out = append(out, d.Party)
		}
	}
	return out
}

// BulkReason is a short, translated reason a batch failed.
func BulkReason(lang i18n.Lang, err error) string {
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

// GroupRefusal is the person's words for a refused change of a group or preference; ok is
// false for an error that is no refusal (an outage: the error page).
func GroupRefusal(lang i18n.Lang, err error) (string, bool) {
	var le *workspace.LimitError
	switch {
	case errors.As(err, &le):
		switch le.Limit {
		case "name":
			return lang.F("limit.name", le.Max), true
		case "groups":
			return lang.F("limit.groups", le.Max), true
		case "group parties":
			return lang.F("limit.groupParties", le.Max), true
		}
		return lang.F("limit.other", le.Max), true
	case errors.Is(err, workspace.ErrUnknownEntries):
		return "", true // the list of entries says it
	case errors.Is(err, workspace.ErrEmptyGroup):
		return lang.T("groups.empty"), true
	case errors.Is(err, workspace.ErrNameTaken):
		return lang.T("groups.nameTaken"), true
	case errors.Is(err, workspace.ErrInvalid):
		return lang.T("groups.nameEmpty"), true
	}
	return "", false
}

// SavedSearchRefusal is the message for a change the store refused (its limits, a name taken or empty);
// ok is false for any other error.
func SavedSearchRefusal(lang i18n.Lang, err error) (string, bool) {
	var le *store.LimitError
	switch {
	case err == nil:
		return "", false
	case errors.As(err, &le) && le.Limit == "name":
		return lang.F("saved.nameTooLong", le.Max), true
	case errors.As(err, &le) && le.Limit == "saved searches":
		return lang.F("saved.tooMany", le.Max), true
	case errors.As(err, &le):
		return lang.T("saved.tooLarge"), true
	case errors.Is(err, store.ErrNameTaken):
		return lang.T("saved.nameTaken"), true
	case errors.Is(err, store.ErrInvalid):
		return lang.T("saved.nameInvalid"), true
	}
	return "", false
}

// SearchSummary says what a saved search searches, in lang; groups are the person's groups by
// scope key.
func SearchSummary(lang i18n.Lang, ix *inbox.PartyIndex, q query.Query, groups map[string]workspace.Group) string {
	scope := ScopeName(lang, ix, q.Party, groups[q.Party].Name)
	parts := []string{scope, lang.T("folder." + q.Folder)}
	parts = append(parts, Filters(lang, q, &inbox.Facets{}).Active...)
	return strings.Join(parts, " · ")
}

// ScopeName names whom a list is for, in lang: a party, all organisations or persons, the
// favourites, or a group (group is its name; "" for a group no longer the person's).
func ScopeName(lang i18n.Lang, ix *inbox.PartyIndex, key, group string) string {
	switch {
	case key == workspace.Favourites:
		return lang.T("saved.favourites")
	case group != "":
		return lang.F("saved.group", group)
	case workspace.IsScope(key):
		return lang.T("saved.groupGone")
	}
	return PartyOption(lang, ix, key, "").Name
}

// InboxTitle is the inbox's page title (before the site's name): whom it is for, and the folder
// unless it is the inbox, so tabs for several parties tell themselves apart and "Innboks" is not
// said twice.
func InboxTitle(lang i18n.Lang, folder, scope string) string {
	if folder == "inbox" || folder == "" {
		return scope
	}
	return lang.T("folder."+folder) + " · " + scope
}

// ResultsLabels are the export's words in lang.
func ResultsLabels(lang i18n.Lang) export.ResultsLabels {
	l := export.ResultsLabels{
		Status: func(s dpclient.DialogStatus) string { return StatusText(lang, s) },
		Folder: func(f string) string { return lang.T("folder." + f) },
		Cut:    lang.F("export.cut", export.MaxRows),
	}
	for _, col := range export.Columns {
		l.Header = append(l.Header, lang.T("exportCol."+col))
	}
	return l
}

// Languages are the settings page's language choices: automatic, then each language in its
// own name; current is the stored preference.
func Languages(lang i18n.Lang, current string) []views.Option {
	opts := []views.Option{{Value: "", Label: lang.T("settings.langAuto"), Selected: current == ""}}
	for _, l := range i18n.All() {
		opts = append(opts, views.Option{Value: string(l), Label: l.Name(), Selected: current == string(l)})
	}
	return opts
}

// StartOptions are the parties to open at login: yourself, the inbox groups, the stored
// choice itself, the favourites and the groups kept in Innboks's store (the preference names
// those by id); current is the stored choice.
func StartOptions(lang i18n.Lang, ix *inbox.PartyIndex, current string, favs []string, groups []workspace.Group) []views.Option {
	opts := []views.Option{{Value: "", Label: lang.T("settings.startSelf")}}
	add := func(key, label string) {
		if !slices.ContainsFunc(opts, func(o views.Option) bool { return o.Value == key }) {
			opts = append(opts, views.Option{Value: key, Label: label})
		}
	}
	for _, g := range []string{inbox.AllOrgs, inbox.AllPersons} {
		if len(ix.Group(g)) >= 2 {
			add(g, PartyOption(lang, ix, g, "").Name)
		}
	}
	if p, ok := ix.Get(current); ok {
		add(p.UUID, p.Name)
	}
	for _, f := range favs {
		if p, ok := ix.Get(f); ok && !p.NoAccess {
			add(p.UUID, p.Name)
		}
	}
	for _, g := range groups {
		if workspace.StartableGroup(g.ID) {
			add(workspace.GroupPrefix+g.ID, lang.F("groups.scope", g.Name, g.Size))
		}
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}

// SavedSearchRows are the saved searches as the list shows them: what each searches, when it
// was last opened (in loc), where its count loads from; invalid names the row whose rename was
// refused.
func SavedSearchRows(lang i18n.Lang, ix *inbox.PartyIndex, list []savedsearch.Saved, groups []workspace.Group, loc *time.Location, invalid, typed string) []views.SavedSearchRow {
	byKey := make(map[string]workspace.Group, len(groups))
	for _, g := range groups {
		byKey[workspace.GroupPrefix+g.ID] = g
	}
	rows := make([]views.SavedSearchRow, 0, len(list))
	for _, sv := range list {
		opened := lang.T("saved.neverOpened")
		if !sv.OpenedAt.IsZero() {
			opened = lang.F("saved.opened", sv.OpenedAt.In(loc).Format("02.01.2006 15:04"))
		}
		row := views.SavedSearchRow{
			ID: sv.ID, Name: sv.Name, Summary: SearchSummary(lang, ix, sv.Query, byKey), Opened: opened,
			CountURL: "/searches/" + sv.ID + "/count", NameInvalid: sv.ID == invalid, Rename: sv.Name,
		}
		if row.NameInvalid {
			row.Rename = query.Clip(typed, 400)
		}
		rows = append(rows, row)
	}
	return rows
}

// GroupRows are the person's groups, each with the inbox it is the scope of.
func GroupRows(groups []workspace.Group) []views.GroupRow {
	rows := make([]views.GroupRow, 0, len(groups))
	for _, g := range groups {
		rows = append(rows, views.GroupRow{ID: g.ID, Name: g.Name, Size: g.Size, InboxURL: query.Query{Party: workspace.GroupPrefix + g.ID}.URL(false)})
	}
	return rows
}

// GroupCandidates are the parties to tick into a new group: first those ticked already (picked,
// found in ix, ticked), so a group can be built from several searches, then the ones the search
// found (hits), each once and only those the person can act for.
func GroupCandidates(lang i18n.Lang, ix *inbox.PartyIndex, hits []inbox.Party, picked []string) []views.GroupCandidate {
	var out []views.GroupCandidate
	seen := map[string]bool{}
	add := func(p inbox.Party, checked bool) {
		if p.NoAccess || seen[p.UUID] {
			return
		}
		seen[p.UUID] = true
		o := OptionOf(lang, p, "")
		out = append(out, views.GroupCandidate{Key: o.Key, Name: o.Name, Meta: o.Meta, Checked: checked})
	}
	for _, key := range picked {
		if ix == nil {
			break
		}
		if p, ok := ix.Get(key); ok {
			add(p, true)
		}
	}
	for _, hit := range hits {
		add(hit, false)
	}
	return out
}

// SavedNotice is the saved searches list's notice after a change (?done=saved|renamed|deleted).
func SavedNotice(lang i18n.Lang, done string) string {
	switch done {
	case "saved", "renamed", "deleted":
		return lang.T("saved.done" + strings.ToUpper(done[:1]) + done[1:])
	}
	return ""
}

// BulkRows are a bulk change's results per dialog (failed holds the dialogs whose batch
// failed), the summary, and a note when it took several batches.
func BulkRows(lang i18n.Lang, ids []string, failed map[string]error) (rows []views.BulkRowResult, summary, batchNote string) {
	done := 0
	for _, id := range ids {
		r := views.BulkRowResult{ID: id, OK: failed[id] == nil}
		if r.OK {
			done++
			r.Text = lang.T("bulk.ok")
		} else {
			r.Text = lang.F("bulk.failedReason", BulkReason(lang, failed[id]))
		}
		rows = append(rows, r)
	}
	if batches := (len(ids) + inbox.MaxPartiesPerSearch - 1) / inbox.MaxPartiesPerSearch; batches > 1 {
		batchNote = lang.F("bulk.batches", batches)
	}
	return rows, lang.N("bulk.done", len(ids), done, len(ids)), batchNote
}

// ScopeStar is the star on the list of one party (nil for a group of parties or a workspace
// scope, or without the favourites at hand: favErr).
func ScopeStar(lang i18n.Lang, csrf string, ix *inbox.PartyIndex, key string, favs []string, favErr error) *views.StarProps {
	p, ok := ix.Get(key)
	if !ok || favErr != nil || inbox.IsGroup(key) || workspace.IsScope(key) {
		return nil
	}
	return &views.StarProps{Lang: lang, CSRF: csrf, Party: p.UUID, Name: p.Name, On: slices.Contains(favs, p.UUID)}
}

// LoggedInChrome marks ch as a logged-in page, with the user's name when ix (nil: not at hand)
// has the user's own party.
func LoggedInChrome(ch views.Chrome, ix *inbox.PartyIndex) views.Chrome {
	ch.LoggedIn = true
	if ix != nil {
		if self, ok := ix.Self(); ok {
			ch.UserName = self.Name
		}
	}
	return ch
}

// ScopeLines name a workspace scope (the favourites or a group) above its list, and say what
// of it cannot be searched.
func ScopeLines(lang i18n.Lang, s workspace.Scope) (scope, note string) {
	n := len(s.URNs)
	scope = lang.N("scope.favourites", n, n)
	if s.Key != workspace.Favourites {
		scope = lang.N("scope.group", n, s.Name, n)
	}
	switch {
	case len(s.URNs) == 0:
		note = lang.T("scope.empty")
	case s.Missing > 0:
		note = lang.N("scope.missing", s.Missing, s.Missing)
	}
	return scope, note
}

// Grants say why the user may see a dialog: each role, access package or delegation of the
// lookup's evidence, by name in lang (else its subject).
func Grants(lang i18n.Lang, ev dpclient.AuthorizationEvidence) []views.AccessGrant {
	var out []views.AccessGrant
	for _, e := range ev.Evidence {
		out = append(out, views.AccessGrant{Kind: string(e.GrantType), Name: cmp.Or(e.Name.Best(string(lang)), e.Subject)})
	}
	return out
}

// Live are the LiveProps for a page: the inbox of party (choice) at listURL, or one dialog of
// party (the UUID of the dialog's party, so that its stream follows that party alone); a
// stream when streaming, else (lists only) the polling fallback from now. The URLs carry no
// token and no national identity number: a party UUID or group, the list's own URL and a
// dialog id.
func Live(party, listURL, dialogID string, streaming bool, now time.Time) views.LiveProps {
	q := url.Values{}
	if dialogID != "" {
		q.Set("dialog", dialogID)
		if party != "" {
			q.Set("party", party)
		}
	} else {
		q.Set("party", party)
		q.Set("list", listURL)
	}
	switch {
	case streaming:
		return views.LiveProps{Stream: "/live?" + q.Encode()}
	case dialogID != "":
		return views.LiveProps{} // polling is for the list only: one search per poll
	}
	q.Set("since", strconv.FormatInt(now.Unix(), 10))
	return views.LiveProps{Poll: "/live/changes?" + q.Encode()}
}
