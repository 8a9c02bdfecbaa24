package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/devstack"
)

// testLog sends the portal's warnings to the test log.
type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// client is a cookie-keeping browser without JavaScript.
type client struct {
	t  *testing.T
	c  *http.Client
	st *devstack.Stack
}

func startStack(t *testing.T) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	logger := slog.New(slog.NewJSONHandler(&testLog{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := devstack.Start(ctx, devstack.Options{Logger: logger})
	if err != nil {
		t.Fatalf("start stack: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
	})
	jar, _ := cookiejar.New(nil)
	return &client{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second}, st: st}
}

func (c *client) do(req *http.Request) (*http.Response, *goquery.Document) {
	c.t.Helper()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	d, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, d
}

func (c *client) get(path string, htmx bool) (*http.Response, *goquery.Document) {
	c.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = c.st.PortalURL + path
	}
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if htmx {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "dialog-results")
	}
	return c.do(req)
}

func (c *client) post(path string, form url.Values, htmx bool) (*http.Response, *goquery.Document) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.st.PortalURL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	return c.do(req)
}

// login runs the code flow through the ID-porten double with its login_hint shortcut.
func (c *client) login(pid string) {
	c.t.Helper()
	noFollow := *c.c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(c.st.PortalURL + "/login?return_to=%2Finbox")
	if err != nil {
		c.t.Fatal(err)
	}
	resp.Body.Close()
	resp, _ = c.get(resp.Header.Get("Location")+"&login_hint="+url.QueryEscape(pid), false)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/inbox") {
		c.t.Fatalf("login ended at %d %s", resp.StatusCode, resp.Request.URL)
	}
}

func tid(d *goquery.Document, id string) *goquery.Selection {
	return d.Find(`[data-testid="` + id + `"]`)
}

// TestRouterInboxJourney walks the inbox over the real stack (emulator, ID-porten double,
// portal) without JavaScript: log in, list, search, filter, page, archive, switch language.
func TestRouterInboxJourney(t *testing.T) {
	c := startStack(t)
	users := c.st.Users()
	if len(users) == 0 {
		t.Fatal("no test users")
	}
	c.login(users[0].PID)

	resp, d := c.get("/inbox", false)
	if resp.StatusCode != 200 {
		t.Fatalf("inbox: %d", resp.StatusCode)
	}
	party := resp.Request.URL.Query().Get("party")
	if party == "" {
		t.Fatalf("inbox URL %s does not name the party", resp.Request.URL)
	}
	rows := tid(d, "dialog-row")
	if rows.Length() == 0 {
		t.Fatalf("the default scenario's inbox is empty: %s", strings.Join(strings.Fields(d.Find("main").Text()), " "))
	}
	t.Logf("inbox: %d rows for party %s", rows.Length(), party)

	// Search with a word from the first title, as the search box does (GET form).
	title := strings.Fields(tid(d, "dialog-title").First().Text())
	if len(title) > 0 && len([]rune(title[0])) >= 3 {
		q := url.Values{"party": {party}, "q": {title[0]}}
		resp, sd := c.get("/inbox?"+q.Encode(), false)
		if resp.StatusCode != 200 || tid(sd, "dialog-row").Length() == 0 {
			t.Errorf("search %q: status %d, %d rows", title[0], resp.StatusCode, tid(sd, "dialog-row").Length())
		}
	}

	// Every filter and sort is accepted upstream.
	for _, f := range []string{"read=unread", "read=read", "updated=30d", "updated=12m", "due=has", "due=soon", "sort=created", "sort=due",
		"status=Completed", "from=2020-01-01&to=2030-12-31", "folder=drafts", "folder=sent", "folder=archive", "folder=bin"} {
		resp, fd := c.get("/inbox?party="+url.QueryEscape(party)+"&"+f, false)
		if resp.StatusCode != 200 || tid(fd, "error").Length() != 0 {
			t.Errorf("%s: status %d %s", f, resp.StatusCode, strings.TrimSpace(tid(fd, "error-message").Text()))
		}
	}

	// The sender and service filters offer what the user may use; choosing a sender narrows
	// the list to that sender.
	senders := tid(d, "filter-sender").Find("option")
	if senders.Length() < 2 || tid(d, "filter-service").Find("option").Length() < 2 {
		t.Errorf("filter choices: %d senders, %d services", senders.Length(), tid(d, "filter-service").Find("option").Length())
	} else {
		org, name := senders.Eq(1).AttrOr("value", ""), senders.Eq(1).Text()
		_, od := c.get("/inbox?party="+url.QueryEscape(party)+"&org="+url.QueryEscape(org), false)
		if tid(od, "empty-list").Length() == 0 && tid(od, "dialog-row").Length() == 0 {
			t.Errorf("sender %s: neither rows nor an empty state", org)
		}
		if tid(od, "empty-list").Length() > 0 && !strings.Contains(tid(od, "empty-list").Text(), name) {
			t.Errorf("empty state does not name the sender %q: %q", name, tid(od, "empty-list").Text())
		}
	}

	// htmx fragment.
	resp, fd := c.get("/inbox?party="+url.QueryEscape(party)+"&q=ab", true)
	if resp.StatusCode != 200 || tid(fd, "search-too-short").Length() != 1 || fd.Find("title").Length() != 0 {
		t.Errorf("htmx short search: status %d", resp.StatusCode)
	}

	// Show more follows the continuation token when there is one.
	if more := tid(d, "show-more").AttrOr("href", ""); more != "" {
		resp, md := c.get(more, false)
		if resp.StatusCode != 200 || tid(md, "dialog-row").Length() == 0 {
			t.Errorf("show more: %d, %d rows", resp.StatusCode, tid(md, "dialog-row").Length())
		}
		first := tid(d, "dialog-row").First().AttrOr("data-dialog-id", "")
		if tid(md, "dialog-row").First().AttrOr("data-dialog-id", "") == first {
			t.Error("show more repeated the first page")
		}
	}

	// Archive the first five rows with the bulk form, then find exactly those reported done in
	// the archive. (Some dialogs may refuse, e.g. a higher security level: their rows say so.)
	form := url.Values{"action": {"archive"}, "party": {party}, "return_to": {resp.Request.URL.RequestURI()}}
	form.Set("csrf", tid(d, "bulk-form").Find(`input[name="csrf"]`).AttrOr("value", ""))
	var ids []string
	rows.Slice(0, min(5, rows.Length())).Each(func(_ int, s *goquery.Selection) {
		ids = append(ids, s.AttrOr("data-dialog-id", ""))
	})
	form["dialog"] = ids
	resp, bd := c.post("/inbox/bulk", form, false)
	if resp.StatusCode != 200 {
		t.Fatalf("bulk: %d %s", resp.StatusCode, strings.TrimSpace(tid(bd, "error-message").Text()))
	}
	ok := map[string]bool{}
	tid(bd, "bulk-result-row").Each(func(_ int, s *goquery.Selection) {
		ok[s.AttrOr("data-dialog-id", "")] = s.AttrOr("data-ok", "") == "true"
	})
	if len(ok) != len(ids) {
		t.Fatalf("bulk reported %d rows, want %d", len(ok), len(ids))
	}
	done := 0
	_, ad := c.get("/inbox?folder=archive&party="+url.QueryEscape(party), false)
	for _, id := range ids {
		inArchive := ad.Find(`[data-dialog-id="`+id+`"]`).Length() > 0
		if ok[id] != inArchive {
			t.Errorf("dialog %s: reported ok=%v, in archive=%v", id, ok[id], inArchive)
		}
		if ok[id] {
			done++
		}
	}
	if done == 0 {
		t.Errorf("none of %d dialogs could be archived: %s", len(ids), tid(bd, "bulk-summary").Text())
	}

	// Switch language; Dialogporten answers in it too.
	lang := url.Values{"set": {"en"}, "return_to": {"/inbox"}, "csrf": {form.Get("csrf")}}
	resp, ed := c.post("/lang", lang, false)
	if resp.StatusCode != 200 || ed.Find("html").AttrOr("lang", "") != "en" {
		t.Errorf("after switching to English: %d lang=%q", resp.StatusCode, ed.Find("html").AttrOr("lang", ""))
	}
	if got := tid(ed, "folder-inbox").Text(); got != "Inbox" {
		t.Errorf("folder name %q, want Inbox", got)
	}

	// The party chooser lists and filters parties.
	_, pd := c.get("/parties?q=", false)
	if tid(pd, "party-option").Length() == 0 {
		t.Error("party chooser lists no parties")
	}
}
