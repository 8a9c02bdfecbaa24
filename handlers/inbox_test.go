package handlers

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

func newInboxHarness(t *testing.T, res func(*dpclient.SearchParams) (*dpclient.SearchResult, error)) *harness {
	t.Helper()
	h := newHarness(t)
	h.dp.search = res
	h.dp.facets = &inbox.Facets{
		Senders:  []inbox.Facet{{Value: "nav", Name: "NAV"}, {Value: "skd", Name: "Skatteetaten"}},
		Services: []inbox.Facet{{Value: "urn:altinn:resource:skattemelding", Name: "Skattemelding"}, {Value: "urn:altinn:resource:nav-sykepenger", Name: "Sykepenger"}},
	}
	inbox := h.inbox()
	inbox.now = func() time.Time { return testNow }
	return h
}

// inbox digs the Inbox handler out of the router for clock injection.
func (h *harness) inbox() *Inbox { return h.srv.inbox }

func lastSearch(t *testing.T, h *harness) dpclient.SearchParams {
	t.Helper()
	calls := h.dp.searchCalls()
	if len(calls) == 0 {
		t.Fatal("no search upstream")
	}
	return calls[len(calls)-1]
}

func TestInboxFolders(t *testing.T) {
	t.Parallel()
	notDraft := []dpclient.DialogStatus{"NotApplicable", "InProgress", "Awaiting", "RequiresAttention", "Completed"}
	tests := []struct {
		folder     string
		wantLabels []dpclient.SystemLabel
		wantStatus []dpclient.DialogStatus
	}{
		{"", []dpclient.SystemLabel{"Default"}, notDraft},
		{"inbox", []dpclient.SystemLabel{"Default"}, notDraft},
		{"drafts", []dpclient.SystemLabel{"Default"}, []dpclient.DialogStatus{"Draft"}},
		{"sent", []dpclient.SystemLabel{"Default", "Sent"}, nil},
		{"archive", []dpclient.SystemLabel{"Archive"}, nil},
		{"bin", []dpclient.SystemLabel{"Bin"}, nil},
		{"nonsense", []dpclient.SystemLabel{"Default"}, notDraft},
	}
	for _, tt := range tests {
		t.Run(tt.folder, func(t *testing.T) {
			t.Parallel()
			h := newInboxHarness(t, nil)
			rec := h.get("/inbox?folder="+tt.folder, req{})
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			p := lastSearch(t, h)
			if !slices.Equal(p.SystemLabel, tt.wantLabels) || !slices.Equal(p.Status, tt.wantStatus) {
				t.Errorf("labels %v status %v, want %v %v", p.SystemLabel, p.Status, tt.wantLabels, tt.wantStatus)
			}
			if !slices.Equal(p.Party, []string{"urn:altinn:person:identifier-no:01017012345"}) {
				t.Errorf("party %v, want the user's own", p.Party)
			}
			d := doc(t, rec)
			want := tt.folder
			if want == "" || want == "nonsense" {
				want = "inbox"
			}
			if got := byTestID(d, "folder-"+want).AttrOr("aria-current", ""); got != "page" {
				t.Errorf("folder %s not marked current", want)
			}
		})
	}
}

func TestInboxFilters(t *testing.T) {
	t.Parallel()
	oslo, _ := time.LoadLocation("Europe/Oslo")
	tests := []struct {
		name  string
		query string
		check func(t *testing.T, p dpclient.SearchParams)
	}{
		{"search", "q=skatt", func(t *testing.T, p dpclient.SearchParams) {
			if p.Search != "skatt" {
				t.Errorf("search %q", p.Search)
			}
		}},
		{"search too short not sent", "q=sk", func(t *testing.T, p dpclient.SearchParams) {
			if p.Search != "" {
				t.Errorf("search %q sent, want none below 3 characters", p.Search)
			}
		}},
		{"sender", "org=nav", func(t *testing.T, p dpclient.SearchParams) {
			if !slices.Equal(p.Org, []string{"nav"}) {
				t.Errorf("org %v", p.Org)
			}
		}},
		{"status", "status=Completed", func(t *testing.T, p dpclient.SearchParams) {
			if !slices.Equal(p.Status, []dpclient.DialogStatus{"Completed"}) {
				t.Errorf("status %v", p.Status)
			}
		}},
		{"unread", "read=unread", func(t *testing.T, p dpclient.SearchParams) {
			if p.IsContentSeen == nil || *p.IsContentSeen {
				t.Errorf("isContentSeen %v, want false", p.IsContentSeen)
			}
		}},
		{"read", "read=read", func(t *testing.T, p dpclient.SearchParams) {
			if p.IsContentSeen == nil || !*p.IsContentSeen {
				t.Errorf("isContentSeen %v, want true", p.IsContentSeen)
			}
		}},
		{"service", "service=urn:altinn:resource:nav-sykepenger", func(t *testing.T, p dpclient.SearchParams) {
			if !slices.Equal(p.ServiceResource, []string{"urn:altinn:resource:nav-sykepenger"}) {
				t.Errorf("serviceResource %v", p.ServiceResource)
			}
		}},
		{"updated 7d", "updated=7d", func(t *testing.T, p dpclient.SearchParams) {
			if p.UpdatedAfter == nil || !p.UpdatedAfter.Equal(testNow.AddDate(0, 0, -7)) {
				t.Errorf("updatedAfter %v", p.UpdatedAfter)
			}
		}},
		{"updated today is Oslo midnight", "updated=today", func(t *testing.T, p dpclient.SearchParams) {
			want := time.Date(2026, 3, 10, 0, 0, 0, 0, oslo)
			if p.UpdatedAfter == nil || !p.UpdatedAfter.Equal(want) {
				t.Errorf("updatedAfter %v, want %v", p.UpdatedAfter, want)
			}
		}},
		{"custom range", "from=2026-01-01&to=2026-01-31", func(t *testing.T, p dpclient.SearchParams) {
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, oslo)
			if p.UpdatedAfter == nil || !p.UpdatedAfter.Equal(from) || p.UpdatedBefore == nil ||
				p.UpdatedBefore.Before(time.Date(2026, 1, 31, 23, 59, 0, 0, oslo)) || !p.UpdatedBefore.Before(time.Date(2026, 2, 1, 0, 0, 0, 0, oslo)) {
				t.Errorf("range %v – %v", p.UpdatedAfter, p.UpdatedBefore)
			}
		}},
		{"due soon", "due=soon", func(t *testing.T, p dpclient.SearchParams) {
			if p.DueAfter == nil || p.DueBefore == nil || !p.DueBefore.Equal(testNow.AddDate(0, 0, 7)) {
				t.Errorf("due %v – %v", p.DueAfter, p.DueBefore)
			}
		}},
		{"overdue", "due=overdue", func(t *testing.T, p dpclient.SearchParams) {
			if p.DueAfter != nil || p.DueBefore == nil || !p.DueBefore.Equal(testNow) {
				t.Errorf("due %v – %v", p.DueAfter, p.DueBefore)
			}
		}},
		{"sort default", "", func(t *testing.T, p dpclient.SearchParams) {
			if p.OrderBy != "updatedAt_desc" || p.Limit != pageSize {
				t.Errorf("orderBy %q limit %d", p.OrderBy, p.Limit)
			}
		}},
		{"sort created", "sort=created", func(t *testing.T, p dpclient.SearchParams) {
			if p.OrderBy != "createdAt_desc" {
				t.Errorf("orderBy %q", p.OrderBy)
			}
		}},
		{"sort due", "sort=due", func(t *testing.T, p dpclient.SearchParams) {
			if p.OrderBy != "dueAt_asc" {
				t.Errorf("orderBy %q", p.OrderBy)
			}
		}},
		{"continuation", "ct=tok123", func(t *testing.T, p dpclient.SearchParams) {
			if p.ContinuationToken != "tok123" {
				t.Errorf("continuationToken %q", p.ContinuationToken)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newInboxHarness(t, nil)
			if rec := h.get("/inbox?"+tt.query, req{}); rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			tt.check(t, lastSearch(t, h))
		})
	}
}

func TestInboxSearchTooShortExplained(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	d := doc(t, h.do("GET", "/inbox?q=ab", req{loggedIn: true, htmx: true, headers: map[string]string{"Accept-Language": "en"}}))
	if got := byTestID(d, "search-too-short").Text(); !strings.Contains(got, "at least 3 characters") {
		t.Errorf("hint %q", got)
	}
}

func TestInboxImpossibleFilterSkipsUpstream(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	d := doc(t, h.get("/inbox?status=Draft", req{}))
	if n := len(h.dp.searchCalls()); n != 0 {
		t.Errorf("%d searches for Draft in the inbox, want 0", n)
	}
	if byTestID(d, "empty-list").Length() != 1 {
		t.Error("no empty state")
	}
}

func TestInboxRows(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		res := pageOf(4)
		res.HasNextPage, res.ContinuationToken = true, "next-token"
		return res, nil
	})
	rec := h.get("/inbox?q=skatt&sort=created", req{})
	d := doc(t, rec)
	rows := byTestID(d, "dialog-row")
	if rows.Length() != 4 {
		t.Fatalf("%d rows, want 4", rows.Length())
	}
	first := rows.First()
	checks := map[string]string{
		"dialog-title":       "Skattemelding 0",
		"dialog-sender":      "Skatteetaten",
		"dialog-summary":     "Du må levere innen fristen.",
		"dialog-status":      "Krever handling",
		"dialog-attachments": "2 vedlegg",
		"dialog-updated":     "akkurat nå",
	}
	for id, want := range checks {
		if got := strings.TrimSpace(first.Find(`[data-testid="` + id + `"]`).Text()); !strings.Contains(got, want) {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if got := first.Find(`[data-testid="dialog-updated"]`).AttrOr("datetime", ""); got != "2026-03-10T12:00:00Z" {
		t.Errorf("datetime %q", got)
	}
	// The exact time is the datetime's alone; app.js makes the tooltip from it on hover.
	if _, ok := first.Find(`[data-testid="dialog-updated"]`).Attr("title"); ok {
		t.Error("the row carries its time twice (datetime and title)")
	}
	if first.Find(`[data-testid="dialog-due"]`).Length() != 1 {
		t.Error("row 0 has a due date but none is shown")
	}
	unread := rows.Eq(1)
	if unread.Find(`[data-testid="unread-marker"]`).Length() != 1 {
		t.Error("row 1 (content not seen) is not marked unread")
	}
	if rows.First().Find(`[data-testid="unread-marker"]`).Length() != 0 {
		t.Error("row 0 (seen) is marked unread")
	}
	more := byTestID(d, "show-more")
	if href := more.AttrOr("href", ""); href != "/inbox?ct=next-token&party="+selfUUID+"&q=skatt&sort=created" {
		t.Errorf("show more href %q", href)
	}
	if more.AttrOr("hx-get", "") != more.AttrOr("href", "") {
		t.Error("show more: hx-get and href differ")
	}
	if got := byTestID(d, "party-current").Text(); !strings.Contains(got, "Kari Nordmann") {
		t.Errorf("party chooser shows %q", got)
	}
	if got := h.auth.session("s1").PartyUUID; got != selfUUID {
		t.Errorf("session party %q, want own", got)
	}
	// The HTML never carries the national identity number.
	if strings.Contains(rec.Body.String(), "01017012345") {
		t.Error("page contains a national identity number")
	}
}

func TestInboxFragments(t *testing.T) {
	t.Parallel()
	res := func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		r := pageOf(2)
		r.HasNextPage, r.ContinuationToken = true, "t2"
		return r, nil
	}
	tests := []struct {
		target       string
		wantRoot     string // data-testid of the answer's root
		wantNoTestID string
	}{
		{"", "dialog-results", "inbox"},
		{"dialog-results", "dialog-results", "inbox"},
		{"inbox", "inbox", ""},
		{"list-more", "dialog-row", "dialog-results"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			t.Parallel()
			h := newInboxHarness(t, res)
			rec := h.do("GET", "/inbox?ct=t1", req{loggedIn: true, htmx: true, target: tt.target})
			d := doc(t, rec)
			// The layout's marks (a folder switch's fragment has a <title> of its own).
			if d.Find(`meta[name="htmx-config"], [data-testid="page"]`).Length() != 0 {
				t.Fatal("htmx got a full page")
			}
			if title := d.Find("title"); (tt.target == "inbox") != (title.Length() == 1) || tt.target == "inbox" && title.Text() != "Kari Nordmann – Innboks" {
				t.Errorf("answer's <title>: %d, %q; want one naming the party (the inbox folder) for a folder switch only", title.Length(), title.Text())
			}
			if byTestID(d, tt.wantRoot).Length() == 0 {
				t.Errorf("no %s in answer", tt.wantRoot)
			}
			if tt.wantNoTestID != "" && byTestID(d, tt.wantNoTestID).Length() != 0 {
				t.Errorf("answer contains %s", tt.wantNoTestID)
			}
			// Swapped-in results carry what the inbox's status says about them.
			if st, ok := d.Find("#dialog-results").Attr("data-status"); tt.wantRoot == "dialog-results" && st != "Viser 2 meldinger. Det finnes flere." || tt.wantRoot != "dialog-results" && ok {
				t.Errorf("results' data-status %q (%v), want how many only on swapped-in results", st, ok)
			}
			// ... and, out of band, the date fields' hint (the form is not swapped).
			if n := d.Find(`#inbox-date-hint[hx-swap-oob]`).Length(); (tt.wantRoot == "dialog-results") != (n == 1) {
				t.Errorf("%d out-of-band date hints, want one with swapped-in results only", n)
			}
			push := rec.Header().Get("HX-Push-Url")
			if tt.target == "list-more" && push != "" {
				t.Errorf("show more pushed %q; it must not change the URL", push)
			}
			if tt.target != "list-more" && push != "/inbox?party="+selfUUID {
				t.Errorf("HX-Push-Url %q, want the canonical URL without the cursor", push)
			}
			if tt.target == "list-more" && byTestID(d, "show-more").AttrOr("href", "") != "/inbox?ct=t2&party="+selfUUID {
				t.Errorf("next show-more %q", byTestID(d, "show-more").AttrOr("href", ""))
			}
		})
	}
}

func TestInboxEmptyNamesFilters(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	d := doc(t, h.get("/inbox?org=nav&read=unread&q=lønn", req{headers: map[string]string{"Accept-Language": "en"}}))
	got := byTestID(d, "empty-list").Text()
	for _, want := range []string{"No messages match", "Sender: NAV", "Read/unread: Unread", "“lønn”"} {
		if !strings.Contains(got, want) {
			t.Errorf("empty state %q lacks %q", strings.Join(strings.Fields(got), " "), want)
		}
	}
	if byTestID(d, "filter-sender").Find(`option[selected]`).AttrOr("value", "") != "nav" {
		t.Error("sender filter does not show the choice")
	}
}

func TestInboxParty(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	h.do("GET", "/inbox?party="+altaUUID, req{loggedIn: true})
	if got := lastSearch(t, h).Party; !slices.Equal(got, []string{"urn:altinn:organization:identifier-no:310000002"}) {
		t.Errorf("party %v", got)
	}
	if got := h.auth.session("s1").PartyUUID; got != altaUUID {
		t.Errorf("session party %q, want Alta", got)
	}
	// The session remembers it for the next visit without ?party=: answered at once (no
	// redirect), the page names its own address with the party, for the address bar.
	rec := h.do("GET", "/inbox?folder=archive", req{loggedIn: true})
	if rec.Code != 200 {
		t.Fatalf("/inbox without a party: got %d, want the inbox at once (200)", rec.Code)
	}
	canon := doc(t, rec).Find(`link[rel="canonical"][data-replace-address]`)
	if got := canon.AttrOr("href", ""); got != "/inbox?folder=archive&party="+altaUUID {
		t.Errorf("the page names %q as its address, want the remembered party in it", got)
	}
	if got := lastSearch(t, h).Party; !slices.Equal(got, []string{"urn:altinn:organization:identifier-no:310000002"}) {
		t.Errorf("/inbox without a party searched %v, want the remembered party", got)
	}
	if d := doc(t, h.get("/inbox?folder=archive&party="+altaUUID, req{})); d.Find(`link[data-replace-address]`).Length() != 0 {
		t.Error("a page at its own address asks for the address bar to change")
	}
	h.get("/inbox", req{})
	if got := lastSearch(t, h).Party; !slices.Equal(got, []string{"urn:altinn:organization:identifier-no:310000002"}) {
		t.Errorf("remembered party %v", got)
	}
	// A party the user cannot act for falls back to the remembered one.
	h.get("/inbox?party=11111111-2222-3333-4444-555555555555", req{})
	if got := lastSearch(t, h).Party; !slices.Equal(got, []string{"urn:altinn:organization:identifier-no:310000002"}) {
		t.Errorf("unknown party searched %v", got)
	}
}

// A bad custom date range is explained on the page and not applied; the rest of the search
// (here the folder and the sender) still is.
func TestInboxBadDateRangeExplained(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query string
		wantBad     bool
	}{
		{"not a date", "from=garbage&to=2020-13-45", true},
		{"from after to", "from=2026-11-20&to=2026-11-01", true},
		{"one bad end", "updated=custom&from=2026-11-01&to=yesterday", true},
		{"valid", "from=2026-11-01&to=2026-11-20", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newInboxHarness(t, nil)
			d := doc(t, h.get("/inbox?folder=archive&org=skd&"+tt.query, req{headers: map[string]string{"Accept-Language": "en"}}))
			got := byTestID(d, "date-invalid").Length() == 1
			if got != tt.wantBad {
				t.Fatalf("date-invalid shown: got %v, want %v", got, tt.wantBad)
			}
			if tt.wantBad {
				if msg := byTestID(d, "date-invalid").Text(); !strings.Contains(msg, "not been applied") {
					t.Errorf("message %q does not say the filter is not applied", msg)
				}
				// "true": an empty aria-invalid is not invalid (WAI-ARIA), nor styled so.
				if got := byTestID(d, "filter-from").AttrOr("aria-invalid", ""); got != "true" {
					t.Errorf("the from field's aria-invalid %q, want true", got)
				}
				if _, open := byTestID(d, "filters").Attr("open"); !open {
					t.Error("the filter box is closed, hiding the field that needs fixing")
				}
				if el := byTestID(d, "empty-list"); strings.Contains(el.Text(), "Updated") {
					t.Errorf("the empty list names the range it did not apply: %q", el.Text())
				}
			}
			// With htmx only the results are swapped: the date fields' hint comes out of band.
			hd := doc(t, h.get("/inbox?folder=archive&org=skd&"+tt.query, req{htmx: true, target: "dialog-results"}))
			if got := hd.Find(`#inbox-date-hint[hx-swap-oob] [data-testid="date-invalid"]`).Length() == 1; got != tt.wantBad {
				t.Errorf("htmx: date-invalid in the out-of-band hint: got %v, want %v", got, tt.wantBad)
			}
			p := lastSearch(t, h)
			if gotRange := p.UpdatedAfter != nil || p.UpdatedBefore != nil; gotRange == tt.wantBad {
				t.Errorf("date range sent upstream: %v, want %v", gotRange, !tt.wantBad)
			}
			if !slices.Equal(p.Org, []string{"skd"}) || !slices.Contains(p.SystemLabel, dpclient.SystemLabel("Archive")) {
				t.Errorf("the rest of the search was lost: org %v, labels %v", p.Org, p.SystemLabel)
			}
		})
	}
	// A bad range alone narrows nothing, yet the filter box opens on the field to fix.
	d := doc(t, newInboxHarness(t, nil).get("/inbox?from=garbage", req{}))
	if _, open := byTestID(d, "filters").Attr("open"); !open || byTestID(d, "date-invalid").Length() == 0 {
		t.Errorf("bad range alone: filter box open %v, date-invalid shown %v; want both", open, byTestID(d, "date-invalid").Length() == 1)
	}
}

// A link naming a party the user may not act for is refused with the access page, not quietly
// answered with another party's inbox.
func TestInboxUnknownPartyRefused(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	resp := h.do("GET", "/inbox?party=00000000-0000-4000-8000-000000000000", req{loggedIn: true})
	if resp.Code != 403 {
		t.Fatalf("got %d, want 403", resp.Code)
	}
	if n := len(h.dp.searchCalls()); n != 0 {
		t.Errorf("%d searches for a party the user may not act for, want 0", n)
	}
}

// TestPartiesFirst (issue 10): Enter in the chooser's box before its results have come is one
// request. GET /parties/first acts for the first party the search lists and answers with that
// party's inbox at once, its address pushed (HX-Push-Url) and named (the canonical link).
// Nothing typed or nothing listed: the chooser page with the search, the party unchanged. A
// link from another site asks first, as /inbox?party= does.
func TestPartiesFirst(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true})
	want := byTestID(doc(t, h.do("GET", "/parties?q=alta", req{loggedIn: true, htmx: true})), "party-option").First()
	key, href := want.AttrOr("data-party", ""), want.AttrOr("href", "")
	if key == "" || key == selfUUID {
		t.Fatalf("the chooser search for alta lists %q first; the test needs another party", key)
	}

	rec := h.do("GET", "/parties/first?q=alta&target=%2Finbox", req{loggedIn: true, headers: map[string]string{"Sec-Fetch-Site": "same-origin"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want the inbox (200)", rec.Code)
	}
	if got := rec.Header().Get("HX-Push-Url"); got != href {
		t.Errorf("HX-Push-Url %q, want the first option's address %q", got, href)
	}
	d := doc(t, rec)
	if got := d.Find(`link[rel="canonical"][data-replace-address]`).AttrOr("href", ""); got != href {
		t.Errorf("the page names %q as its address, want %q", got, href)
	}
	if got := h.auth.session("s1").PartyUUID; got != key {
		t.Errorf("session party %q, want the first match %q", got, key)
	}
	if got := lastSearch(t, h).Party; !slices.Equal(got, []string{"urn:altinn:organization:identifier-no:310000002"}) {
		t.Errorf("the answer searched %v, want Alta's dialogs", got)
	}
	if byTestID(d, "dialog-results").Length() != 1 {
		t.Error("the answer is no inbox page")
	}

	for _, q := range []string{"zzzz", "", "%20%20"} {
		h.do("GET", "/inbox?party="+selfUUID, req{loggedIn: true})
		rec := h.do("GET", "/parties/first?q="+q, req{loggedIn: true})
		d := doc(t, rec)
		if rec.Code != http.StatusOK || byTestID(d, "party-search-form").Length() != 1 || byTestID(d, "dialog-results").Length() != 0 {
			t.Errorf("q=%q: status %d, want the chooser page", q, rec.Code)
		}
		if got := rec.Header().Get("HX-Push-Url"); !strings.HasPrefix(got, "/parties?q=") {
			t.Errorf("q=%q: HX-Push-Url %q, want the chooser page's address", q, got)
		}
		if got := h.auth.session("s1").PartyUUID; got != selfUUID {
			t.Errorf("q=%q: the party changed to %q", q, got)
		}
	}

	rec = h.do("GET", "/parties/first?q=alta", req{loggedIn: true, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}})
	if byTestID(doc(t, rec), "confirm").Length() != 1 || h.auth.session("s1").PartyUUID != selfUUID {
		t.Errorf("a cross-site link: status %d, party %q; want the confirmation and no switch", rec.Code, h.auth.session("s1").PartyUUID)
	}
}

// TestInboxRefusedCursorStartsAtTheTop: a "show more" address Dialogporten refuses (stale, edited
// or made for another order) shows the list from the top with the filters kept and a note saying
// so; appending to a list by htmx stays an error, as rows from the top would repeat.
func TestInboxRefusedCursorStartsAtTheTop(t *testing.T) {
	t.Parallel()
	h := newInboxHarness(t, nil)
	h.dp.search = func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		if p.ContinuationToken != "" {
			return nil, &dpclient.Error{StatusCode: http.StatusBadRequest}
		}
		return &dpclient.SearchResult{}, nil
	}
	rec := h.get("/inbox?party="+selfUUID+"&q=skatt&sort=created&ct=stale", req{headers: map[string]string{"Accept-Language": "en"}})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200", rec.Code)
	}
	d := doc(t, rec)
	if got := byTestID(d, "list-restarted").Text(); !strings.Contains(got, "from the top") {
		t.Errorf("note %q, want that the list starts from the top", got)
	}
	calls := h.dp.searchCalls()
	if len(calls) != 2 || calls[1].ContinuationToken != "" || calls[1].Search != calls[0].Search || calls[1].OrderBy != calls[0].OrderBy {
		t.Errorf("searches %d; want the refused one, then the same search from the top", len(calls))
	}
	more := h.get("/inbox?party="+selfUUID+"&ct=stale", req{htmx: true, target: "list-more"})
	if more.Code == http.StatusOK || strings.Contains(more.Body.String(), "list-restarted") {
		t.Errorf("htmx show more with a refused cursor: %d, want an error, not the list from the top", more.Code)
	}
	// Another refusal is not a cursor's: it is an error as before.
	h.dp.search = func(*dpclient.SearchParams) (*dpclient.SearchResult, error) {
		return nil, &dpclient.Error{StatusCode: http.StatusBadRequest}
	}
	if rec := h.get("/inbox?party="+selfUUID+"&q=skatt", req{}); rec.Code == http.StatusOK {
		t.Errorf("a refused search without a cursor answered 200")
	}
}
