package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
)

// byTestID selects the elements of d with data-testid id.
func byTestID(d *goquery.Document, id string) *goquery.Selection {
	return d.Find(`[data-testid="` + id + `"]`)
}

// rowID is the dialog id of an inbox row: its checkbox's value, the row's one copy of it.
func rowID(row *goquery.Selection) string {
	return row.Find(`[data-testid="dialog-select"]`).AttrOr("value", "")
}

// TestRouterInboxJourney walks the inbox over the real stack (emulator, ID-porten double,
// portal) without JavaScript: log in, list, search, filter, page, archive, switch language.
func TestRouterInboxJourney(t *testing.T) {
	t.Parallel()
	st, c, _ := loggedIn(t)
	get := func(path string, header ...string) (*http.Response, *goquery.Document) {
		t.Helper()
		p := c.Get(st.PortalURL+path, header...)
		return p.Resp, p.Doc
	}

	resp, d := get("/inbox")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("inbox: %d", resp.StatusCode)
	}
	// Answered at /inbox at once (no redirect), the page names its own address with the party.
	if resp.Request.URL.Path != "/inbox" || resp.Request.URL.RawQuery != "" {
		t.Errorf("/inbox was redirected to %s, want it answered at once", resp.Request.URL)
	}
	own, err := url.Parse(ownAddress(browsertest.Page{Resp: resp, Doc: d}))
	if err != nil {
		t.Fatal(err)
	}
	inboxURI := own.RequestURI()
	party := own.Query().Get("party")
	if party == "" {
		t.Fatalf("the inbox at /inbox names %s as its address, without the party", own)
	}
	rows := byTestID(d, "dialog-row")
	if rows.Length() == 0 {
		t.Fatalf("the default scenario's inbox is empty: %s", squash(d.Find("main").Text()))
	}
	t.Logf("inbox: %d rows for party %s", rows.Length(), party)

	// Search with a word from the first title, as the search box does (GET form).
	title := strings.Fields(byTestID(d, "dialog-title").First().Text())
	if len(title) > 0 && len([]rune(title[0])) >= 3 {
		q := url.Values{"party": {party}, "q": {title[0]}}
		resp, sd := get("/inbox?" + q.Encode())
		if resp.StatusCode != http.StatusOK || byTestID(sd, "dialog-row").Length() == 0 {
			t.Errorf("search %q: status %d, %d rows", title[0], resp.StatusCode, byTestID(sd, "dialog-row").Length())
		}
	}

	// Every filter and sort is accepted upstream.
	for _, f := range []string{"read=unread", "read=read", "updated=30d", "updated=12m", "due=has", "due=soon", "sort=created", "sort=due",
		"status=Completed", "from=2020-01-01&to=2030-12-31", "folder=drafts", "folder=sent", "folder=archive", "folder=bin"} {
		resp, fd := get("/inbox?party=" + url.QueryEscape(party) + "&" + f)
		if resp.StatusCode != http.StatusOK || byTestID(fd, "error").Length() != 0 {
			t.Errorf("%s: status %d %s", f, resp.StatusCode, strings.TrimSpace(byTestID(fd, "error-message").Text()))
		}
	}

	// The sender and service filters offer what the user may use; choosing a sender narrows
	// the list to that sender.
	senders := byTestID(d, "filter-sender").Find("option")
	if services := byTestID(d, "filter-service").Find("option"); senders.Length() < 2 || services.Length() < 2 {
		t.Errorf("filter choices: %d senders, %d services", senders.Length(), services.Length())
	} else {
		org, name := senders.Eq(1).AttrOr("value", ""), senders.Eq(1).Text()
		_, od := get("/inbox?party=" + url.QueryEscape(party) + "&org=" + url.QueryEscape(org))
		if byTestID(od, "empty-list").Length() == 0 && byTestID(od, "dialog-row").Length() == 0 {
			t.Errorf("sender %s: neither rows nor an empty state", org)
		}
		if byTestID(od, "empty-list").Length() > 0 && !strings.Contains(byTestID(od, "empty-list").Text(), name) {
			t.Errorf("empty state does not name the sender %q: %q", name, byTestID(od, "empty-list").Text())
		}
	}

	// htmx fragment.
	resp, fd := get("/inbox?party="+url.QueryEscape(party)+"&q=ab", "HX-Request", "true", "HX-Target", "dialog-results")
	if resp.StatusCode != http.StatusOK || byTestID(fd, "search-too-short").Length() != 1 || fd.Find("title").Length() != 0 {
		t.Errorf("htmx short search: status %d", resp.StatusCode)
	}

	// Show more follows the continuation token when there is one.
	if more := byTestID(d, "show-more").AttrOr("href", ""); more != "" {
		resp, md := get(more)
		if resp.StatusCode != http.StatusOK || byTestID(md, "dialog-row").Length() == 0 {
			t.Errorf("show more: %d, %d rows", resp.StatusCode, byTestID(md, "dialog-row").Length())
		}
		first := rowID(byTestID(d, "dialog-row").First())
		if rowID(byTestID(md, "dialog-row").First()) == first {
			t.Error("show more repeated the first page")
		}
	}

	// Archive the first five rows with the bulk form, then find exactly those reported done in
	// the archive. (Some dialogs may refuse, e.g. a higher security level: their rows say so.)
	form := url.Values{"action": {"archive"}, "party": {party}, "return_to": {inboxURI}}
	form.Set("csrf", byTestID(d, "bulk-form").Find(`input[name="csrf"]`).AttrOr("value", ""))
	var ids []string
	rows.Slice(0, min(5, rows.Length())).Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, rowID(s))
	})
	form["dialog"] = ids
	bp := c.PostForm(st.PortalURL+"/inbox/bulk", form)
	if bp.Resp.StatusCode != http.StatusOK {
		t.Fatalf("bulk: %d %s", bp.Resp.StatusCode, strings.TrimSpace(byTestID(bp.Doc, "error-message").Text()))
	}
	ok := map[string]bool{}
	byTestID(bp.Doc, "bulk-result-row").Each(func(_ int, s *goquery.Selection) {
		ok[s.AttrOr("data-dialog-id", "")] = s.AttrOr("data-ok", "") == "true"
	})
	if len(ok) != len(ids) {
		t.Fatalf("bulk reported %d rows, want %d", len(ok), len(ids))
	}
	done := 0
	_, ad := get("/inbox?folder=archive&party=" + url.QueryEscape(party))
	for _, id := range ids {
		inArchive := ad.Find(selectOf(id)).Length() > 0
		if ok[id] != inArchive {
			t.Errorf("dialog %s: reported ok=%v, in archive=%v", id, ok[id], inArchive)
		}
		if ok[id] {
			done++
		}
	}
	if done == 0 {
		t.Errorf("none of %d dialogs could be archived: %s", len(ids), byTestID(bp.Doc, "bulk-summary").Text())
	}

	// Switch language; Dialogporten answers in it too.
	lang := url.Values{"set": {"en"}, "return_to": {"/inbox"}, "csrf": {form.Get("csrf")}}
	ep := c.PostForm(st.PortalURL+"/lang", lang)
	if ep.Resp.StatusCode != http.StatusOK || ep.Doc.Find("html").AttrOr("lang", "") != "en" {
		t.Errorf("after switching to English: %d lang=%q", ep.Resp.StatusCode, ep.Doc.Find("html").AttrOr("lang", ""))
	}
	if got := byTestID(ep.Doc, "folder-inbox").Text(); got != "Inbox" {
		t.Errorf("folder name %q, want Inbox", got)
	}

	// The party chooser lists and filters parties.
	if _, pd := get("/parties?q="); byTestID(pd, "party-option").Length() == 0 {
		t.Error("party chooser lists no parties")
	}
}
