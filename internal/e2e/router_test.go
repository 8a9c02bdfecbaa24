package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/testlog"
)

// loggedIn starts a stack and logs its first user in with a cookie-jar client; it returns the
// stack, the client and the URL of the user's own inbox (/inbox?party=<uuid>).
func loggedIn(t *testing.T) (*stack, *browsertest.Client, string) {
	t.Helper()
	return loggedInEnv(t, nil)
}

// loggedInEnv is loggedIn on a portal with env's configuration variables added.
func loggedInEnv(t *testing.T, env map[string]string) (*stack, *browsertest.Client, string) {
	t.Helper()
	st := startStackEnv(t, "default", env)
	pid := st.Users()[0].PID
	c, inbox := portalClient(t, st.Stack, pid)
	c.Secret = pid // from now on no portal page may carry it
	t.Cleanup(func() { testlog.AssertNoSecrets(t, st.logs.String(), c.Visits(), pid) })
	return st, c, inbox
}

// portalClient logs pid in at the portal with a cookie-jar client (the double's login_hint
// shortcut) and fails tb unless it lands on the inbox; it returns the client and the URL it
// landed on.
func portalClient(tb testing.TB, st *devstack.Stack, pid string) (*browsertest.Client, string) {
	tb.Helper()
	c := browsertest.NewClient(tb)
	p := c.Login(st.PortalURL, st.IDPortenURL, pid, "/inbox")
	if p.Resp.StatusCode != http.StatusOK || !strings.HasPrefix(p.Resp.Request.URL.Path, "/inbox") {
		tb.Fatalf("login: got %d at %s, want the inbox", p.Resp.StatusCode, p.Resp.Request.URL)
	}
	return c, ownAddress(p)
}

// ownAddress is the absolute address a page names as its own: /inbox answers the current
// party's inbox at once and names /inbox?party=… (<link rel=canonical data-replace-address>,
// which a browser puts in the address bar); any other page is at its own address already.
func ownAddress(p browsertest.Page) string {
	href, ok := p.Doc.Find(`link[rel="canonical"][data-replace-address]`).Attr("href")
	if !ok {
		return p.Resp.Request.URL.String()
	}
	u, err := p.Resp.Request.URL.Parse(href)
	if err != nil {
		return p.Resp.Request.URL.String()
	}
	return u.String()
}

// allRows follows the list's plain "show more" links and returns every dialog id listed.
func allRows(t *testing.T, st *stack, c *browsertest.Client, u string) []string {
	t.Helper()
	var ids []string
	for range 20 {
		p := c.Get(u)
		if p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", u, p.Resp.StatusCode)
		}
		p.Doc.Find(`[data-testid="dialog-row"]`).Each(func(_ int, s *goquery.Selection) {
			ids = append(ids, rowID(s))
		})
		more, ok := p.Doc.Find(`[data-testid="show-more"]`).Attr("href")
		if !ok {
			return ids
		}
		u = st.PortalURL + more
	}
	t.Fatalf("more than 20 pages at %s", u)
	return nil
}

// emuDialog is the emulator's copy of a listed dialog.
func emuDialog(t *testing.T, st *stack, id string) *dpemu.Dialog {
	t.Helper()
	d, ok := st.Emulator.Store().Dialog(uuid.MustParse(id))
	if !ok {
		t.Fatalf("dialog %s is listed but not in the emulator", id)
	}
	return d
}

// TestRouterFolders lists every folder over the real stack: each answers a full page with its
// heading and current link, every dialog sits in exactly one folder, and in the right one.
func TestRouterFolders(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	folders := []struct {
		key, heading string
		belongs      func(d *dpemu.Dialog) bool
	}{
		{"inbox", "Innboks", func(d *dpemu.Dialog) bool {
			return d.EndUserContext.Has(dpemu.LabelDefault) && d.Status != dpemu.DialogStatus("Draft")
		}},
		{"drafts", "Utkast", func(d *dpemu.Dialog) bool {
			return d.EndUserContext.Has(dpemu.LabelDefault) && d.Status == dpemu.DialogStatus("Draft")
		}},
		{"sent", "Sendt", func(d *dpemu.Dialog) bool {
			return d.EndUserContext.Has(dpemu.LabelSent)
		}},
		{"archive", "Arkiv", func(d *dpemu.Dialog) bool { return d.EndUserContext.Has(dpemu.LabelArchive) }},
		{"bin", "Papirkurv", func(d *dpemu.Dialog) bool { return d.EndUserContext.Has(dpemu.LabelBin) }},
	}
	where := map[string]string{}
	for _, f := range folders {
		u := inbox + "&folder=" + f.key
		if f.key == "inbox" {
			u = inbox
		}
		p := c.Get(u)
		if p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: got %d", f.key, p.Resp.StatusCode)
		}
		if !strings.Contains(p.Body, "<html") {
			t.Errorf("%s: a plain GET answered without <html>", f.key)
		}
		if got := squash(p.Doc.Find("#inbox-heading").Text()); got != f.heading {
			t.Errorf("%s: heading %q, want %q", f.key, got, f.heading)
		}
		if got := p.Doc.Find(`[data-testid="folder-`+f.key+`"]`).AttrOr("aria-current", ""); got != "page" {
			t.Errorf("%s: folder link aria-current=%q, want page", f.key, got)
		}
		ids := allRows(t, st, c, u)
		t.Logf("%s: %d dialogs", f.key, len(ids))
		if len(ids) == 0 {
			t.Errorf("%s: empty in the default scenario", f.key)
		}
		for _, id := range ids {
			if other, ok := where[id]; ok && f.key != "sent" && other != "sent" {
				t.Errorf("dialog %s is in both %s and %s", id, other, f.key)
			}
			if f.key != "sent" {
				where[id] = f.key
			}
			if d := emuDialog(t, st, id); !f.belongs(d) {
				t.Errorf("%s lists dialog %s with status %s and labels %v", f.key, id, d.Status, d.EndUserContext.SystemLabels)
			}
		}
	}
}

// TestRouterHTMXFragments: htmx requests get the fragment their target needs, never a page.
func TestRouterHTMXFragments(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	full := c.Get(inbox)
	more := full.Doc.Find(`[data-testid="show-more"]`).AttrOr("href", "")
	if more == "" {
		t.Fatal("no show-more link on the first page")
	}
	cur := inbox
	tests := []struct {
		name, url, target string
		root              string // selector the fragment must start with
		pushURL           bool
	}{
		{"folder switch", inbox + "&folder=archive", "inbox", `[data-testid="inbox"]`, true},
		{"search", inbox + "&folder=inbox&q=" + searchWord + "&status=&read=", "dialog-results", `[data-testid="dialog-results"]`, true},
		{"show more", st.PortalURL + more, "list-more", `[data-testid="dialog-row"]`, false},
		{"party search", st.PortalURL + "/parties?q=regnskap&target=%2Finbox", "party-results", `[data-testid="party-results"]`, false},
	}
	for _, tt := range tests {
		p := c.Get(tt.url, "HX-Request", "true", "HX-Target", tt.target, "HX-Current-URL", cur)
		if p.Resp.StatusCode != http.StatusOK {
			t.Errorf("%s: got %d", tt.name, p.Resp.StatusCode)
			continue
		}
		if strings.Contains(strings.ToLower(p.Body), "<html") || strings.Contains(p.Body, `data-testid="site-header"`) {
			t.Errorf("%s: htmx answer is a whole page (%d bytes)", tt.name, len(p.Body))
		}
		if p.Doc.Find(tt.root).Length() == 0 {
			t.Errorf("%s: fragment has no %s", tt.name, tt.root)
		}
		push := p.Resp.Header.Get("HX-Push-Url")
		if tt.pushURL && push == "" {
			t.Errorf("%s: no HX-Push-Url", tt.name)
		}
		if !tt.pushURL && push != "" {
			t.Errorf("%s: HX-Push-Url %q on a request that must not change the URL", tt.name, push)
		}
		if tt.pushURL && strings.Contains(push, "status=") {
			t.Errorf("%s: pushed URL %q keeps empty fields", tt.name, push)
		}
	}
	// The "show more" fragment continues the list: no row of the first page again.
	first := map[string]bool{}
	full.Doc.Find(`[data-testid="dialog-row"]`).Each(func(_ int, s *goquery.Selection) { first[rowID(s)] = true })
	p := c.Get(st.PortalURL+more, "HX-Request", "true", "HX-Target", "list-more")
	p.Doc.Find(`[data-testid="dialog-row"]`).Each(func(_ int, s *goquery.Selection) {
		if id := rowID(s); first[id] {
			t.Errorf("show-more fragment repeats dialog %s", id)
		}
	})
}

var secondsIn = regexp.MustCompile(`(\d+) sek`)

// TestRouterUpstreamBusy: Dialogporten answering 503 (maintenance, Retry-After as a date) or
// 429 (Retry-After in seconds) gives a friendly page with the wait and a retry link, or for
// htmx the message fragment; after the fault the retry link works.
func TestRouterUpstreamBusy(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	tests := []struct {
		name   string
		fault  dpemu.Fault
		status int
		wait   [2]int // seconds shown, inclusive range
	}{
		{"503", dpemu.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 30 * time.Second}, http.StatusServiceUnavailable, [2]int{28, 31}},
		{"429", dpemu.Fault{Status: http.StatusTooManyRequests, RetryAfter: 7 * time.Second}, http.StatusTooManyRequests, [2]int{7, 7}},
	}
	for _, tt := range tests {
		st.Emulator.SetFault(tt.fault)
		u := inbox + "&q=" + url.QueryEscape(tt.name+"-fault") // a search nothing has cached
		p := c.Get(u)
		if p.Resp.StatusCode != tt.status {
			t.Errorf("%s: got %d, want %d", tt.name, p.Resp.StatusCode, tt.status)
		}
		e := p.Doc.Find(`[data-testid="error"]`)
		if got := e.AttrOr("data-kind", ""); got != "busy" {
			t.Errorf("%s: error kind %q, want busy", tt.name, got)
		}
		msg := squash(p.Doc.Find(`[data-testid="error-message"]`).Text())
		m := secondsIn.FindStringSubmatch(msg)
		if m == nil {
			t.Errorf("%s: message %q does not say how long to wait", tt.name, msg)
		} else if n, _ := strconv.Atoi(m[1]); n < tt.wait[0] || n > tt.wait[1] {
			t.Errorf("%s: message says wait %d s, want %d–%d", tt.name, n, tt.wait[0], tt.wait[1])
		}
		if ra := p.Resp.Header.Get("Retry-After"); ra == "" {
			t.Errorf("%s: no Retry-After on the error page", tt.name)
		}
		retry, ok := p.Doc.Find(`[data-testid="error-retry"]`).Attr("href")
		if !ok {
			t.Errorf("%s: no retry link", tt.name)
		}
		if !strings.Contains(p.Body, "<html") {
			t.Errorf("%s: the error page is not a whole page", tt.name)
		}

		hx := c.Get(u, "HX-Request", "true", "HX-Target", "dialog-results", "HX-Current-URL", u)
		if strings.Contains(hx.Body, "<html") || hx.Doc.Find(`[data-testid="error"]`).Length() != 1 {
			t.Errorf("%s: htmx request got %d bytes without exactly one error fragment", tt.name, len(hx.Body))
		}
		if got := hx.Resp.Header.Get("HX-Retarget"); got == "" {
			t.Errorf("%s: htmx error answer has no HX-Retarget", tt.name)
		}

		st.Emulator.SetFault(dpemu.Fault{})
		if ok {
			r := c.Get(st.PortalURL + retry)
			if r.Resp.StatusCode != http.StatusOK || r.Doc.Find(`[data-testid="dialog-results"]`).Length() == 0 {
				t.Errorf("%s: retry link %s after the fault: got %d without the list", tt.name, retry, r.Resp.StatusCode)
			}
		}
	}
}

// TestRouterUpstreamCallsPerView counts the portal's calls to Dialogporten per inbox view: one
// search per list, parties and filter choices from the cache.
func TestRouterUpstreamCallsPerView(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	const search = "GET /dialogporten/api/v1/enduser/dialogs"
	tests := []struct {
		name   string
		url    string
		header []string
	}{
		{"inbox again", inbox, nil},
		{"folder", inbox + "&folder=archive", nil},
		{"search (htmx)", inbox + "&q=" + searchWord, []string{"HX-Request", "true", "HX-Target", "dialog-results"}},
		{"folder (htmx)", inbox + "&folder=bin", []string{"HX-Request", "true", "HX-Target", "inbox"}},
	}
	c.Get(inbox) // warm: the first view after login may fetch parties and filter choices
	for _, tt := range tests {
		st.upstream.reset()
		p := c.Get(tt.url, tt.header...)
		if p.Resp.StatusCode != http.StatusOK {
			t.Errorf("%s: got %d", tt.name, p.Resp.StatusCode)
		}
		calls := st.upstream.snapshot()
		if got := slices.Index(calls, search); got < 0 || len(calls) != 1 {
			t.Errorf("%s: %d upstream calls (%s), want exactly one search", tt.name, len(calls), summary(calls))
		}
	}
	// The party chooser searches the cached party list: no upstream call.
	st.upstream.reset()
	c.Get(st.PortalURL+"/parties?q=regnskap&target=%2Finbox", "HX-Request", "true", "HX-Target", "party-results")
	if calls := st.upstream.snapshot(); len(calls) != 0 {
		t.Errorf("party search: upstream calls %s, want none", summary(calls))
	}
	// Show more: one search with the continuation token.
	more := c.Get(inbox).Doc.Find(`[data-testid="show-more"]`).AttrOr("href", "")
	st.upstream.reset()
	c.Get(st.PortalURL+more, "HX-Request", "true", "HX-Target", "list-more")
	if calls := st.upstream.snapshot(); len(calls) != 1 || calls[0] != search {
		t.Errorf("show more: upstream calls %s, want exactly one search", summary(calls))
	}
}
