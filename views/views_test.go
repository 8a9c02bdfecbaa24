package views

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/innboks/innboks/static"
	"github.com/innboks/innboks/views/i18n"
)

func renderDoc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	d, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func tid(d *goquery.Document, id string) *goquery.Selection {
	return d.Find(`[data-testid="` + id + `"]`)
}

func TestLayout(t *testing.T) {
	t.Parallel()
	c := Chrome{Lang: i18n.EN, Title: "Inbox", CSRF: "tok", ReturnTo: "/inbox?x=1", UserName: "KARI NORDMANN"}
	d := renderDoc(t, FrontPage(c))
	if got := d.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("lang %q", got)
	}
	if got := d.Find("title").Text(); got != "Inbox – Inbox" {
		t.Errorf("title %q", got)
	}
	if got := d.Find("body").AttrOr("hx-headers", ""); got != `{"X-CSRF-Token":"tok"}` {
		t.Errorf("hx-headers %q", got)
	}
	if got := tid(d, "current-user").Text(); !strings.Contains(got, "KARI NORDMANN") {
		t.Errorf("user %q", got)
	}
	sw := tid(d, "language-switch")
	if sw.AttrOr("method", "") != "post" || sw.Find(`input[name="return_to"]`).AttrOr("value", "") != "/inbox?x=1" {
		t.Error("language switch is not a POST form returning here")
	}
	if n := sw.Find("button").Length(); n != 3 {
		t.Errorf("%d language buttons, want 3", n)
	}
	if tid(d, "lang-en").AttrOr("aria-current", "") != "true" || tid(d, "lang-nb").AttrOr("aria-current", "") != "" {
		t.Error("current language not marked")
	}
	if tid(d, "logout-form").Find(`input[name="csrf"]`).AttrOr("value", "") != "tok" {
		t.Error("logout form lacks the CSRF token")
	}
	// One stylesheet and one script, the bundles (static.StyleBundle, static.ScriptBundle).
	for sel, want := range map[string]string{`link[rel="stylesheet"]`: static.Path(static.StyleBundle), `script`: static.Path(static.ScriptBundle)} {
		if got := d.Find(sel); got.Length() != 1 || got.AttrOr("href", got.AttrOr("src", "")) != want {
			t.Errorf("%d %s, want one: %s", got.Length(), sel, want)
		}
	}
	anon := renderDoc(t, FrontPage(Chrome{Lang: i18n.NB}))
	if tid(anon, "logout-form").Length() != 0 || tid(anon, "current-user").Length() != 0 {
		t.Error("anonymous page shows user or logout")
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p        ErrorProps
		wantText string
		wantLink string
	}{
		{ErrorProps{Kind: ErrBusy, RetryAfter: 30, RetryURL: "/inbox"}, "Prøv igjen om 30 sekunder", "error-retry"},
		{ErrorProps{Kind: ErrBusy, RetryURL: "/inbox"}, "travel eller utilgjengelig akkurat nå", "error-retry"},
		{ErrorProps{Kind: ErrUnauthorized, LoginURL: "/login?return_to=%2F"}, "Logg inn på nytt", "error-login"},
		{ErrorProps{Kind: ErrAuthLevel, StepUpURL: "/login/step-up"}, "høyere sikkerhetsnivå", "error-step-up"},
		{ErrorProps{}, "Vi klarte ikke", "error-home"},
	}
	for _, tt := range tests {
		d := renderDoc(t, ErrorMessage(i18n.NB, tt.p))
		if got := tid(d, "error").Text(); !strings.Contains(got, tt.wantText) {
			t.Errorf("%s: text %q, want %q", tt.p.Kind, strings.Join(strings.Fields(got), " "), tt.wantText)
		}
		if tid(d, tt.wantLink).Length() != 1 {
			t.Errorf("%s: no %s", tt.p.Kind, tt.wantLink)
		}
		if tid(d, "error").AttrOr("role", "") != "alert" {
			t.Errorf("%s: not role=alert", tt.p.Kind)
		}
	}
}

// TestErrorPageHeading: the page's heading and title say what happened where the kind knows
// more than that something went wrong: a step-up login is not a failure.
func TestErrorPageHeading(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		kind ErrorKind
		want string
	}{
		{ErrAuthLevel, "Høyere sikkerhetsnivå trengs"},
		{ErrNotFound, "Fant ikke siden"},
		{ErrCSRF, "Send skjemaet på nytt"},
		{ErrInternal, "Noe gikk galt"},
		{"", "Noe gikk galt"},
	} {
		p := ErrorProps{Kind: tt.kind}
		d := renderDoc(t, ErrorPage(Chrome{Lang: i18n.NB, Title: p.Heading(i18n.NB)}, p))
		if got := tid(d, "error-heading").Text(); got != tt.want {
			t.Errorf("%q: heading %q, want %q", tt.kind, got, tt.want)
		}
		if got := d.Find("title").Text(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%q: title %q, want it to start with %q", tt.kind, got, tt.want)
		}
	}
}

func TestDialogRow(t *testing.T) {
	t.Parallel()
	upd := time.Date(2026, 3, 10, 11, 0, 0, 0, time.UTC)
	due := upd.Add(72 * time.Hour)
	r := DialogRowProps{ID: "d1", Href: "/dialogs/d1", Sender: "NAV", Title: "Vedtak <om> sykepenger", Summary: "Les vedtaket",
		Status: "Fullført", StatusKey: "Completed", ExtendedStatus: "Innvilget", Updated: upd, UpdatedRelative: "1 t",
		Due: &due, Attachments: 3, Unread: true, Party: "ALTA AUTO AS"}
	var buf bytes.Buffer
	_ = DialogRow(i18n.NB, r).Render(context.Background(), &buf)
	if !strings.Contains(buf.String(), "Vedtak &lt;om&gt; sykepenger") {
		t.Error("title not escaped")
	}
	d, _ := goquery.NewDocumentFromReader(&buf)
	if tid(d, "unread-marker").Length() != 1 {
		t.Error("unread row without its unread marker")
	}
	want := map[string]string{"dialog-sender": "NAV", "dialog-party": "For ALTA AUTO AS", "dialog-status": "Fullført",
		"dialog-extended-status": "Innvilget", "dialog-attachments": "3 vedlegg", "dialog-due": "Frist 13.03.2026"}
	for id, w := range want {
		if got := strings.Join(strings.Fields(tid(d, id).Text()), " "); !strings.Contains(got, w) {
			t.Errorf("%s = %q, want %q", id, got, w)
		}
	}
	if tid(d, "dialog-select").AttrOr("value", "") != "d1" {
		t.Error("checkbox value")
	}
	if got := tid(d, "dialog-select").AttrOr("aria-label", ""); got != "Velg: Vedtak <om> sykepenger" {
		t.Errorf("checkbox label %q, want the title", got)
	}
}

// TestBulkResultTarget: each result of a bulk action lands in its own row's side column, the
// row found by its checkbox's value (the row carries no other copy of the dialog id).
func TestBulkResultTarget(t *testing.T) {
	t.Parallel()
	p := benchInbox()
	page := renderDoc(t, Inbox(p))
	res := renderDoc(t, BulkResult(BulkResultProps{Summary: "2", Rows: []BulkRowResult{{ID: p.Rows[3].ID, OK: true, Text: "Arkivert"}, {ID: p.Rows[7].ID, Text: "Feilet"}}}))
	oob := res.Find("[hx-swap-oob]")
	if oob.Length() != 2 {
		t.Fatalf("%d out-of-band results, want 2", oob.Length())
	}
	for i, want := range []string{p.Rows[3].ID, p.Rows[7].ID} {
		swap, sel, _ := strings.Cut(oob.Eq(i).AttrOr("hx-swap-oob", ""), ":")
		target := page.Find(sel)
		if swap != "beforeend" || target.Length() != 1 || !target.Is("div") {
			t.Fatalf("result %d: %s into %q finds %d elements, want beforeend into one row's side column", i, swap, sel, target.Length())
		}
		if got := target.Closest(`[data-testid="dialog-row"]`).Find(`[data-testid="dialog-select"]`).AttrOr("value", ""); got != want {
			t.Errorf("result %d lands in the row of %s, want %s", i, got, want)
		}
	}
}

// TestSelectAllNeedsJavaScript: "select all shown" works only through app.js, so it comes
// hidden (field, box and label), for app.js to show; the rows' own boxes are there either way.
func TestSelectAllNeedsJavaScript(t *testing.T) {
	t.Parallel()
	p := InboxProps{Lang: i18n.NB, Filters: InboxFilters{Folder: "inbox"}, Rows: []DialogRowProps{{ID: "a", Title: "A"}}}
	d := renderDoc(t, DialogResults(p))
	box := tid(d, "select-all")
	if box.Length() != 1 {
		t.Fatalf("%d select-all boxes, want 1", box.Length())
	}
	if _, ok := box.Attr("data-select-all"); !ok {
		t.Error("the select-all box lacks data-select-all (app.js finds it by that)")
	}
	field := box.Parent()
	if _, hidden := field.Attr("hidden"); !hidden || field.Find(`label[for="select-all"]`).Length() != 1 {
		t.Errorf("select-all field %q: want it hidden, with its label inside", field.AttrOr("class", ""))
	}
	if tid(d, "dialog-select").Length() != 1 {
		t.Error("the row's own checkbox is missing")
	}
}

// TestResultsToolsBesideTheHeading: saving and downloading the search come right after the
// inbox's heading, before the search and the list, in the markup as on every screen (a
// disclosure on the heading's line on a phone, so the first dialog stays above the fold): focus
// order is the visual order (WCAG 1.3.2, 2.4.3). A search by htmx brings them along out of band,
// and only then.
func TestResultsToolsBesideTheHeading(t *testing.T) {
	t.Parallel()
	p := InboxProps{Lang: i18n.NB, CSRF: "tok", Filters: InboxFilters{Folder: "inbox"}, Rows: []DialogRowProps{{ID: "a", Title: "A"}},
		MoreURL: "/inbox?ct=x", Export: ExportProps{CSVURL: "/inbox/export.csv?q=x"}, Save: SaveSearchProps{Lang: i18n.NB, CSRF: "tok", Search: "q=x"}}
	d := renderDoc(t, Inbox(p))
	var order []string
	d.Find("#inbox-heading, [data-testid]").Each(func(_ int, s *goquery.Selection) {
		switch id := s.AttrOr("data-testid", s.AttrOr("id", "")); id {
		case "inbox-heading", "results-menu", "saved-searches-link", "export-csv", "inbox-search-form", "bulk-bar", "dialog-row", "show-more":
			order = append(order, id)
		}
	})
	want := []string{"inbox-heading", "results-menu", "saved-searches-link", "export-csv", "inbox-search-form", "bulk-bar", "dialog-row", "show-more"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("the inbox in the order %v, want %v", order, want)
	}
	if n := d.Find("#results-tools").Length(); n != 1 {
		t.Errorf("%d results tools on the page, want 1", n)
	}
	if n := renderDoc(t, DialogResults(p)).Find("#results-tools").Length(); n != 0 {
		t.Errorf("a results fragment without ToolsOOB carries %d tools, want none", n)
	}
	p.ToolsOOB = true
	oob := renderDoc(t, DialogResults(p)).Find("#results-tools")
	if oob.AttrOr("hx-swap-oob", "") != "true" || oob.Find(`[data-testid="export-csv"]`).AttrOr("href", "") != "/inbox/export.csv?q=x" {
		t.Errorf("the htmx results fragment does not bring the search's tools out of band: %v", oob.Nodes)
	}
}

// TestCountsOfOneAreSingular: a group of one party is "1 aktør" ("1 aktører" and "1 parties"
// were wrong), one unknown entry is one, one new dialog is "1 ny", and a ZIP limit of one
// (ZIP_MAX_DIALOGS=1) is "the first message".
func TestCountsOfOneAreSingular(t *testing.T) {
	t.Parallel()
	groups := func(lang i18n.Lang, unknown ...string) *goquery.Document {
		return renderDoc(t, GroupsPage(Chrome{Lang: lang}, GroupsProps{Lang: lang,
			Groups: []GroupRow{{ID: "1", Name: "Bygg", Size: 1}, {ID: "2", Name: "Fisk", Size: 3}}, Form: GroupForm{Unknown: unknown}}))
	}
	for lang, want := range map[i18n.Lang][2]string{i18n.NB: {"1 aktør", "3 aktører"}, i18n.NN: {"1 aktør", "3 aktørar"}, i18n.EN: {"1 party", "3 parties"}} {
		d := groups(lang, "999999999")
		var got []string
		tid(d, "group").Find(".party-meta").Each(func(_ int, s *goquery.Selection) { got = append(got, s.Text()) })
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("%s: group sizes %q, want %q", lang, got, want)
		}
		if lang == i18n.EN {
			if got := tid(d, "group-unknown").Find("p").Text(); !strings.HasPrefix(got, "1 of the entries is not a party") {
				t.Errorf("one unknown entry: %q", got)
			}
		}
	}
	if got := tid(renderDoc(t, NewCount(NewCountProps{Lang: i18n.NB, N: 1})), "saved-count").Text(); got != "1 ny eller endret" {
		t.Errorf("one new: %q", got)
	}
	p := InboxProps{Lang: i18n.EN, Filters: InboxFilters{Folder: "inbox"}, Rows: []DialogRowProps{{ID: "a", Title: "A"}},
		Export: ExportProps{CSVURL: "/inbox/export.csv", MaxRows: 10000, ZipMax: 1}}
	if got := renderDoc(t, Inbox(p)).Find("#zip-search-hint").Text(); got != "The attachments of the first message" {
		t.Errorf("a ZIP of at most one: %q", got)
	}
}

// TestInboxPageIsBuiltFromFragments: the page contains exactly the fragments htmx swaps.
func TestInboxPageIsBuiltFromFragments(t *testing.T) {
	t.Parallel()
	p := InboxProps{Lang: i18n.NB, CSRF: "tok", Filters: InboxFilters{Folder: "inbox", Party: "p1"},
		Folders: []FolderLink{{Key: "inbox", Href: "/inbox", Current: true}, {Key: "bin", Href: "/inbox?folder=bin"}},
		Rows:    []DialogRowProps{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}, MoreURL: "/inbox?ct=x",
		Bulk: []Option{{Value: "archive", Label: "Arkiver"}}}
	page := renderDoc(t, InboxPage(Chrome{Lang: i18n.NB}, p))
	frag := renderDoc(t, DialogResults(p))
	pageHTML, _ := goquery.OuterHtml(page.Find("#dialog-results"))
	fragHTML, _ := goquery.OuterHtml(frag.Find("#dialog-results"))
	if pageHTML == "" || pageHTML != fragHTML {
		t.Error("the page's results differ from the results fragment")
	}
	// The inbox's status stays while htmx swaps the results (or it would not be announced).
	if st := tid(page, "inbox-status"); st.AttrOr("role", "") != "status" || st.Closest("#dialog-results").Length() != 0 || !strings.Contains(st.AttrOr("data-more", ""), "%d") {
		t.Error("the inbox's status must be a role=status outside #dialog-results, with data-more for app.js")
	}
	if tid(page, "bulk-form").Find(`input[name="csrf"]`).AttrOr("value", "") != "tok" {
		t.Error("bulk form lacks CSRF token")
	}
	if tid(page, "bulk-archive").AttrOr("name", "") != "action" {
		t.Error("bulk button")
	}
	form := tid(page, "inbox-search-form")
	if form.AttrOr("method", "") != "get" || form.AttrOr("hx-push-url", "") != "true" {
		t.Error("search form must be GET with hx-push-url")
	}
	if tid(page, "folder-bin").AttrOr("href", "") != "/inbox?folder=bin" {
		t.Error("folder link")
	}
	empty := renderDoc(t, DialogResults(InboxProps{Lang: i18n.EN, Filters: InboxFilters{Folder: "inbox", Active: []string{"Sender: NAV"}}}))
	if got := tid(empty, "empty-list").Text(); !strings.Contains(got, "No messages match the filters: Sender: NAV") {
		t.Errorf("empty %q", got)
	}
}

// TestInboxFragmentTitle: a folder switch's fragment leads with the page's title for the folder
// (htmx puts a fragment's top-level <title> in document.title), then the inbox as the page has it.
func TestInboxFragmentTitle(t *testing.T) {
	t.Parallel()
	p := InboxProps{Lang: i18n.NB, Filters: InboxFilters{Folder: "archive", Party: "p1"}, Title: "Arkiv",
		Folders: []FolderLink{{Key: "inbox", Href: "/inbox"}, {Key: "archive", Href: "/inbox?folder=archive", Current: true}}}
	var buf bytes.Buffer
	if err := InboxFragment(p).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if want := "<title>Arkiv – Innboks</title>"; !strings.HasPrefix(buf.String(), want) {
		t.Errorf("fragment starts %.60q, want %q", buf.String(), want)
	}
	page := renderDoc(t, InboxPage(Chrome{Lang: i18n.NB, Title: "Arkiv"}, p))
	if got := page.Find("title").Text(); got != "Arkiv – Innboks" {
		t.Errorf("the page's title %q, want the fragment's", got)
	}
	pageHTML, _ := goquery.OuterHtml(page.Find("#inbox"))
	fragHTML, _ := goquery.OuterHtml(renderDoc(t, InboxFragment(p)).Find("#inbox"))
	if pageHTML == "" || pageHTML != fragHTML {
		t.Error("the page's inbox differs from the folder switch's fragment")
	}
}

// TestResultsStatus: what the inbox's status says after a search or filter: the warnings the
// hint shows, then how many, in the list's own words when it is empty.
func TestResultsStatus(t *testing.T) {
	t.Parallel()
	rows := func(n int) []DialogRowProps { return make([]DialogRowProps, n) }
	tests := []struct {
		name string
		p    InboxProps
		want string
	}{
		{"none", InboxProps{}, "Ingen meldinger her."},
		{"none filtered", InboxProps{Filters: InboxFilters{Active: []string{"Status: Fullført"}}}, "Ingen meldinger passer filtrene: Status: Fullført."},
		{"one", InboxProps{Rows: rows(1)}, "1 melding."},
		{"some", InboxProps{Rows: rows(12)}, "12 meldinger."},
		{"more", InboxProps{Rows: rows(50), MoreURL: "/inbox?ct=x"}, "Viser 50 meldinger. Det finnes flere."},
		{"one and more", InboxProps{Rows: rows(1), MoreURL: "/inbox?ct=x"}, "Viser 1 melding. Det finnes flere."},
		{"too short", InboxProps{Rows: rows(3), Filters: InboxFilters{QueryTooShort: true}}, "Skriv minst 3 tegn for å søke. Søket er ikke brukt ennå. 3 meldinger."},
		{"bad dates", InboxProps{Filters: InboxFilters{DateInvalid: true}}, i18n.NB.T("filter.dateInvalid") + " Ingen meldinger her."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.p.Lang, tt.p.Announce = i18n.NB, true
			if got := tt.p.resultsStatus(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			d := renderDoc(t, DialogResults(tt.p))
			if got := d.Find("#dialog-results").AttrOr("data-status", ""); got != tt.want {
				t.Errorf("data-status %q, want %q", got, tt.want)
			}
			if n := d.Find(`[role="status"] [data-testid="dialog-row"], [aria-live] [data-testid="dialog-row"], [data-testid="empty-list"][role]`).Length(); n != 0 {
				t.Errorf("%d rows or empty notes in a live region, want none: the status says it once", n)
			}
		})
	}
}

func TestPartyChooser(t *testing.T) {
	t.Parallel()
	p := PartyChooserProps{Lang: i18n.NB, Current: PartyOption{Key: "p1", Name: "KARI"}, Target: "/inbox", Total: 40,
		Results: []PartyOption{{Key: "p1", Name: "KARI", Current: true}, {Key: "p2", Name: "BAKERI AVD", SubUnit: true}, {Key: "p3", Name: "MOR", Disabled: true}},
		Groups:  []PartyOption{{Key: "all-orgs", Name: "Alle virksomheter (3)"}}}
	d := renderDoc(t, PartyChooser(p))
	in := tid(d, "party-search")
	if in.AttrOr("hx-get", "") != "/parties" || in.AttrOr("hx-target", "") != "#party-results" || in.AttrOr("name", "") != "q" {
		t.Error("search box htmx attributes")
	}
	if tid(d, "party-search-form").AttrOr("action", "") != "/parties" {
		t.Error("no plain form")
	}
	opts := tid(d, "party-option")
	if opts.Length() != 3 || opts.First().AttrOr("href", "") != "/inbox?party=all-orgs" {
		t.Errorf("%d options", opts.Length())
	}
	if opts.Eq(1).AttrOr("aria-current", "") != "true" {
		t.Error("current not marked")
	}
	if tid(d, "party-option-disabled").Length() != 1 {
		t.Error("parent without access should not be a link")
	}
	if got := tid(d, "party-more").Text(); got != "Viser 3 av 40. Skriv mer for å avgrense." {
		t.Errorf("more %q", got)
	}
}
