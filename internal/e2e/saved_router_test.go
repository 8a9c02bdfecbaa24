package e2e

import (
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/app"
	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/pgtest"
	"github.com/innboks/innboks/internal/redistest"
)

// countEvery is how long the tests' portals keep a saved search's count (production: a minute).
const countEvery = 300 * time.Millisecond

// saveSearch saves the search of the inbox page at inboxURL under name with the page's own form
// and returns the answer (the list after the redirect, or the refusal).
func saveSearch(t *testing.T, c *browsertest.Client, portal, inboxURL, name string) browsertest.Page {
	t.Helper()
	f := byTestID(c.Get(inboxURL).Doc, "save-search").Find("form")
	form := url.Values{"name": {name}}
	f.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		form.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	return c.PostForm(portal+f.AttrOr("action", ""), form)
}

// savedRows is the saved searches listed at portal, by name → id.
func savedRows(t *testing.T, c *browsertest.Client, portal string) map[string]string {
	t.Helper()
	p := c.Get(portal + "/searches")
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /searches: %d", p.Resp.StatusCode)
	}
	rows := map[string]string{}
	p.Doc.Find(`[data-testid="saved-row"]`).Each(func(_ int, s *goquery.Selection) {
		rows[strings.TrimSpace(s.Find(`[data-testid="saved-open"]`).Text())] = s.AttrOr("data-saved-id", "")
	})
	return rows
}

// savedCount is a saved search's count, as the list's htmx request or the page without
// JavaScript shows it: "0", "3", "100+", or "failed".
func savedCount(t *testing.T, c *browsertest.Client, portal, id string, htmx bool) string {
	t.Helper()
	var header []string
	if htmx {
		header = []string{"HX-Request", "true"}
	}
	p := c.Get(portal+"/searches/"+id+"/count", header...)
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("count of %s: %d", id, p.Resp.StatusCode)
	}
	el := byTestID(p.Doc, "saved-count")
	if el.AttrOr("data-failed", "") == "true" {
		return "failed"
	}
	return el.AttrOr("data-count", "?")
}

// addDialog has the emulator's service owner create a dialog for the party of dialog like,
// in the inbox, as a new message would arrive.
func addDialog(t *testing.T, st *stack, like string) uuid.UUID {
	t.Helper()
	d := emuDialog(t, st, like)
	id, err := st.Emulator.Store().CreateDialog(&dpemu.Dialog{
		Org: d.Org, ServiceResource: d.ServiceResource, ServiceResourceType: d.ServiceResourceType, Party: d.Party,
		Content: dpemu.Content{Title: dpemu.ContentValue{Value: dpemu.Text{{Value: "Ny melding i testen", LanguageCode: "nb"}}, MediaType: "text/plain"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRouterSavedSearches: save the inbox's search from its own form, see it listed with a
// count of 0, have the emulator add a dialog and see the count rise to 1 (htmx fragment and the
// page without JavaScript), open it (to the inbox with the query; the count starts again),
// rename it, refuse a taken, empty or too long name and the 201st search with clear messages,
// refuse another person and a post without the CSRF token, and delete it.
func TestRouterSavedSearches(t *testing.T) {
	t.Parallel()
	st := startStackEnv(t, "default", map[string]string{"SAVED_SEARCH_COUNT_EVERY": countEvery.String()})
	users := st.Users()
	c, inbox := portalClient(t, st.Stack, users[0].PID)
	c.Secret = users[0].PID
	portal := st.PortalURL

	p := saveSearch(t, c, portal, inbox, "Min innboks")
	if p.Resp.StatusCode != http.StatusOK || !strings.Contains(byTestID(p.Doc, "saved-notice").Text(), "lagret") {
		t.Fatalf("save: %d %q %q", p.Resp.StatusCode, byTestID(p.Doc, "saved-notice").Text(), byTestID(p.Doc, "saved-error").Text())
	}
	id := savedRows(t, c, portal)["Min innboks"]
	if id == "" {
		t.Fatalf("the saved search is not listed: %v", savedRows(t, c, portal))
	}
	if got := savedCount(t, c, portal, id, true); got != "0" {
		t.Errorf("count right after saving: %q, want 0", got)
	}
	like := allRows(t, st, c, inbox)[0]
	addDialog(t, st, like)
	time.Sleep(countEvery + 100*time.Millisecond)
	if got := savedCount(t, c, portal, id, false); got != "1" {
		t.Errorf("count after the emulator added a dialog (page without JavaScript): %q, want 1", got)
	}
	if got := savedCount(t, c, portal, id, true); got != "1" {
		t.Errorf("count after the emulator added a dialog (htmx): %q, want 1", got)
	}

	// Open: to the inbox with the saved query, and the count starts again.
	csrf := byTestID(c.Get(portal+"/searches").Doc, "saved-list").Find(`input[name="csrf"]`).AttrOr("value", "")
	op := c.PostForm(portal+"/searches/"+id+"/open", url.Values{"csrf": {csrf}})
	if op.Resp.StatusCode != http.StatusOK || op.Resp.Request.URL.String() != inbox {
		t.Errorf("open: %d at %s, want the inbox %s", op.Resp.StatusCode, op.Resp.Request.URL, inbox)
	}
	time.Sleep(countEvery + 100*time.Millisecond)
	if got := savedCount(t, c, portal, id, true); got != "0" {
		t.Errorf("count after opening: %q, want 0", got)
	}

	// Rename, and the refusals.
	if p := c.PostForm(portal+"/searches/"+id+"/rename", url.Values{"csrf": {csrf}, "name": {"Skatt"}}); p.Resp.StatusCode != http.StatusOK || savedRows(t, c, portal)["Skatt"] != id {
		t.Errorf("rename: %d, list %v", p.Resp.StatusCode, savedRows(t, c, portal))
	}
	// A refused rename keeps the name typed in its field, marked, for another try.
	long := strings.Repeat("ø", 101)
	p = c.PostForm(portal+"/searches/"+id+"/rename", url.Values{"csrf": {csrf}, "name": {long}})
	field := p.Doc.Find(`#rename-` + id)
	if invalid := field.AttrOr("aria-invalid", "") == "true"; p.Resp.StatusCode != http.StatusUnprocessableEntity || !invalid || field.AttrOr("value", "") != long {
		t.Errorf("refused rename: %d, field %q (invalid %v), want 422 keeping the typed name", p.Resp.StatusCode, field.AttrOr("value", ""), invalid)
	}
	if msg := byTestID(p.Doc, "saved-error").Text(); !strings.Contains(msg, "høyst 100 tegn") {
		t.Errorf("refused rename: message %q, want the limit", msg)
	}
	for name, want := range map[string]string{
		"skatt":                  "allerede et lagret søk med det navnet",
		"   ":                    "Gi søket et navn",
		strings.Repeat("å", 101): "høyst 100 tegn",
	} {
		p := saveSearch(t, c, portal, inbox, name)
		if msg := byTestID(p.Doc, "saved-error").Text(); p.Resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(msg, want) {
			t.Errorf("save %q: %d %q, want 422 saying %q", name, p.Resp.StatusCode, msg, want)
		}
		if name == "skatt" && byTestID(p.Doc, "save-search-name").AttrOr("value", "") != name {
			t.Errorf("a refused save does not keep the name typed for another try")
		}
	}
	for i := 1; i < 200; i++ {
		if p := saveSearch(t, c, portal, inbox, "Søk "+strconv.Itoa(i)); p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("save %d: %d %q", i, p.Resp.StatusCode, byTestID(p.Doc, "saved-error").Text())
		}
	}
	if p := saveSearch(t, c, portal, inbox, "Én for mye"); p.Resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(byTestID(p.Doc, "saved-error").Text(), "høyst 200 lagrede søk") {
		t.Errorf("the 201st saved search: %d %q", p.Resp.StatusCode, byTestID(p.Doc, "saved-error").Text())
	}

	// Another person: not found, for every way in.
	other, _ := portalClient(t, st.Stack, users[1].PID)
	ocsrf := byTestID(other.Get(portal+"/searches").Doc, "saved-searches").Find(`input[name="csrf"]`).AttrOr("value", "")
	if ocsrf == "" {
		ocsrf = byTestID(other.Get(inbox[:strings.Index(inbox, "?")]).Doc, "bulk-form").Find(`input[name="csrf"]`).AttrOr("value", "")
	}
	if got := other.Get(portal + "/searches/" + id + "/count"); got.Resp.StatusCode != http.StatusNotFound {
		t.Errorf("another person's count: %d, want 404", got.Resp.StatusCode)
	}
	for _, action := range []string{"open", "rename", "delete"} {
		if got := other.PostForm(portal+"/searches/"+id+"/"+action, url.Values{"csrf": {ocsrf}, "name": {"Mine nå"}}); got.Resp.StatusCode != http.StatusNotFound {
			t.Errorf("another person's %s: %d, want 404", action, got.Resp.StatusCode)
		}
	}
	if _, ok := savedRows(t, other, portal)["Skatt"]; ok {
		t.Error("another person lists the saved search")
	}
	// Without the CSRF token: refused.
	if got := c.PostForm(portal+"/searches/"+id+"/delete", url.Values{}); got.Resp.StatusCode != http.StatusForbidden {
		t.Errorf("delete without the CSRF token: %d, want 403", got.Resp.StatusCode)
	}
	if got := c.PostForm(portal+"/searches/"+id+"/delete", url.Values{"csrf": {csrf}}); got.Resp.StatusCode != http.StatusOK {
		t.Errorf("delete: %d", got.Resp.StatusCode)
	}
	if _, ok := savedRows(t, c, portal)["Skatt"]; ok {
		t.Error("the deleted search is still listed")
	}
}

// TestRouterSavedSearchesTwoInstances: two portals behind one PostgreSQL (the store) and one
// Redis (sessions): a person logged in at one is logged in at the other, and a saved search
// made on one is listed, counted and opened on the other, and the other way round.
func TestRouterSavedSearchesTwoInstances(t *testing.T) {
	t.Parallel()
	pg := pgtest.Run(t)
	rs := redistest.Run(t)
	key := func() string {
		b := make([]byte, 32)
		rand.Read(b)
		return base64.StdEncoding.EncodeToString(b)
	}
	env := map[string]string{
		"DATABASE_URL": pg.NewDatabase(t), "STORE_KEY": key(),
		"REDIS_URL": rs.URL(), "SESSION_ENCRYPTION_KEYS": key(),
		"SAVED_SEARCH_COUNT_EVERY": countEvery.String(),
	}
	st := startStackEnv(t, "default", env)

	// The second instance: the same configuration, its own listener. The test's client sends
	// the first instance's cookies to it (cookies do not carry the port).
	env2 := map[string]string{
		"PUBLIC_URL": st.PortalURL, "IDPORTEN_ISSUER": st.IDPortenURL, "IDPORTEN_CLIENT_ID": devstack.ClientID,
		"IDPORTEN_CLIENT_SECRET": "not-used-by-this-instance", "DIALOGPORTEN_URL": st.Emulator.DialogportenURL(),
		"ALTINN_PLATFORM_URL": st.EmulatorURL, "DATA_DIR": t.TempDir(),
	}
	for k, v := range env {
		env2[k] = v
	}
	cfg, err := app.Load(func(k string) string { return env2[k] })
	if err != nil {
		t.Fatal(err)
	}
	b, err := app.New(t.Context(), cfg, slog.New(slog.NewJSONHandler(st.logs, nil)).With("instance", "B"), app.Options{LocalUpstreams: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	srvB := httptest.NewServer(b.Handler)
	t.Cleanup(srvB.Close)
	portalA, portalB := st.PortalURL, srvB.URL

	user := st.Users()[0]
	c, inbox := portalClient(t, st.Stack, user.PID)
	c.Secret = user.PID
	if p := saveSearch(t, c, portalA, inbox, "Laget på A"); p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("save on A: %d", p.Resp.StatusCode)
	}
	rowsB := savedRows(t, c, portalB)
	id := rowsB["Laget på A"]
	if id == "" {
		t.Fatalf("the search saved on A is not listed on B: %v", rowsB)
	}
	if got := savedCount(t, c, portalB, id, true); got != "0" {
		t.Errorf("count on B: %q, want 0", got)
	}
	inboxB := portalB + strings.TrimPrefix(inbox, portalA)
	if p := saveSearch(t, c, portalB, inboxB, "Laget på B"); p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("save on B: %d %q", p.Resp.StatusCode, byTestID(p.Doc, "saved-error").Text())
	}
	if rowsA := savedRows(t, c, portalA); rowsA["Laget på B"] == "" || len(rowsA) != 2 {
		t.Errorf("A lists %v, want both searches", rowsA)
	}
}

// TestRouterSavedSearchCountsCost is issue 12's figure for counts: 20 saved searches (one
// party and all organisations, each folder, with and without filters) counted as the list page
// asks, one by one: one upstream search each (a search over all organisations asks one per
// batch of 100 parties), and none more within the minute however often the list is shown.
func TestRouterSavedSearchCountsCost(t *testing.T) {
	t.Parallel()
	st := startStack(t, "default")
	user := st.Users()[0]
	c, inbox := portalClient(t, st.Stack, user.PID)
	c.Secret = user.PID
	own := strings.TrimPrefix(inbox, st.PortalURL+"/inbox")
	var queries []string
	for _, party := range []string{own, "?party=all-orgs"} {
		for _, extra := range []string{"", "&folder=archive", "&folder=bin", "&folder=sent", "&folder=drafts", "&read=unread", "&status=Completed", "&due=has", "&sort=created", "&q=skatt"} {
			queries = append(queries, party+extra)
		}
	}
	for i, q := range queries {
		if p := saveSearch(t, c, st.PortalURL, st.PortalURL+"/inbox"+q, "Søk "+strconv.Itoa(i)); p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("save %s: %d", q, p.Resp.StatusCode)
		}
	}
	rows := savedRows(t, c, st.PortalURL)
	if len(rows) != 20 {
		t.Fatalf("%d saved searches listed, want 20", len(rows))
	}
	searches := func() int {
		n := 0
		for _, call := range st.upstream.snapshot() {
			if strings.HasSuffix(call, "/api/v1/enduser/dialogs") {
				n++
			}
		}
		return n
	}
	st.upstream.reset()
	start := time.Now()
	for _, id := range rows {
		if got := savedCount(t, c, st.PortalURL, id, true); got == "failed" || got == "?" {
			t.Errorf("count of %s: %s", id, got)
		}
	}
	took := time.Since(start)
	first := searches()
	if first < 20 || first > 20+10*5 { // all-orgs in the default scenario: a handful of batches at most
		t.Errorf("20 counts made %d upstream searches, want one per saved search (and batch)", first)
	}
	for range 3 {
		for _, id := range rows {
			savedCount(t, c, st.PortalURL, id, true)
		}
	}
	if again := searches() - first; again != 0 {
		t.Errorf("showing the counts 3 times more within the minute made %d more upstream searches, want 0", again)
	}
	t.Logf("20 saved searches counted in %v with %d upstream searches; 60 more counts: 0", took.Round(time.Millisecond), first)
}
