package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/store"
	"github.com/innboks/innboks/internal/workspace"
)

// newWorkspaceHarness is newHarness with a workspace: the service over a store in a temporary
// folder (favourites and groups in the store, as without a Profile API), and the session of
// a person with an owner key.
func newWorkspaceHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	h.auth.sessions["s1"].Owner = string(store.OwnerKey([]byte("k"), "01017012345"))
	h.srv = New(Deps{
		Config: h.cfg, Login: h.auth.routes(), Sessions: h.auth,
		Parties: h.dp.partyService(), Search: h.dp.searchService(), Dialogs: withBulk{stubDialogs{}, &h.dp.bulk},
		Workspace: workspace.New(st, nil),
	})
	return h
}

func TestFavouritesStar(t *testing.T) {
	t.Parallel()
	h := newWorkspaceHarness(t)
	star := url.Values{"party": {altaUUID}, "on": {"1"}}

	if rec := h.do("POST", "/favourites", req{loggedIn: true, form: star}); rec.Code != http.StatusForbidden {
		t.Errorf("without CSRF: got %d, want 403", rec.Code)
	}
	rec := h.do("POST", "/favourites", req{loggedIn: true, csrf: true, form: star, headers: map[string]string{"Referer": "https://innboks.test/parties?q=a"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/parties?q=a" {
		t.Fatalf("star without JavaScript: got %d to %q, want 303 back to the page", rec.Code, rec.Header().Get("Location"))
	}
	d := doc(t, h.do("GET", "/parties", req{loggedIn: true}))
	first := byTestID(d, "party-option").Not("[data-party=all-orgs],[data-party=all-persons],[data-party=favourites]").First()
	if got := first.AttrOr("data-party", ""); got != altaUUID {
		t.Errorf("first party in the chooser: got %s, want the favourite %s", got, altaUUID)
	}
	if got := byTestID(d, "star").First().AttrOr("data-on", ""); got != "true" {
		t.Errorf("the favourite's star: data-on=%q, want true", got)
	}
	if byTestID(d, "party-results").Find(`a[data-party="favourites"]`).Length() != 1 {
		t.Error("no Favourites scope in the chooser")
	}

	rec = h.do("POST", "/favourites", req{loggedIn: true, csrf: true, htmx: true, form: url.Values{"party": {altaUUID}, "on": {"0"}}})
	if d := doc(t, rec); rec.Code != 200 || byTestID(d, "star").AttrOr("data-on", "") != "false" || d.Find("title").Length() != 0 {
		t.Errorf("unstar with htmx: got %d %.300s, want the star form, off", rec.Code, rec.Body.String())
	}
	stranger := url.Values{"party": {"00000000-0000-0000-0000-0000000000ee"}, "on": {"1"}}
	if rec := h.do("POST", "/favourites", req{loggedIn: true, csrf: true, form: stranger}); rec.Code != http.StatusNotFound {
		t.Errorf("starring a stranger: got %d, want 404", rec.Code)
	}
	// The favourites scope's list polls for changes of its parties (live updates).
	h.do("POST", "/favourites", req{loggedIn: true, csrf: true, form: star})
	since := strconv.FormatInt(time.Now().Add(-time.Minute).Unix(), 10)
	if rec := h.do("GET", "/live/changes?party=favourites&since="+since, req{loggedIn: true, htmx: true}); rec.Code >= 400 {
		t.Errorf("live changes of the favourites: got %d", rec.Code)
	}
	if rec := h.do("GET", "/live/changes?party=group%3A00000000-0000-0000-0000-000000000099&since="+since, req{loggedIn: true, htmx: true}); rec.Code < 400 {
		t.Errorf("live changes of a group that is not the person's: got %d, want a refusal", rec.Code)
	}
	// The inbox of one party shows its star.
	d = doc(t, h.do("GET", "/inbox?party="+altaUUID, req{loggedIn: true}))
	if d.Find(`[data-testid="inbox"] [data-testid="star-form"]`).Length() != 1 {
		t.Error("the inbox of one party has no star")
	}
}

func TestSettingsAppliedAtLogin(t *testing.T) {
	t.Parallel()
	h := newWorkspaceHarness(t)
	d := doc(t, h.do("GET", "/settings", req{loggedIn: true}))
	if byTestID(d, "settings-form").AttrOr("method", "") != "post" || byTestID(d, "settings-start").Find("option").Length() < 2 {
		t.Fatalf("settings page: %.500s", d.Text())
	}
	form := url.Values{"language": {"en"}, "start": {altaUUID}, "deleted": {"1"}}
	if rec := h.do("POST", "/settings", req{loggedIn: true, form: form}); rec.Code != http.StatusForbidden {
		t.Errorf("without CSRF: got %d, want 403", rec.Code)
	}
	rec := h.do("POST", "/settings", req{loggedIn: true, csrf: true, form: form})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/settings?saved=1" {
		t.Fatalf("save: got %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if d := doc(t, h.do("GET", "/settings?saved=1", req{loggedIn: true})); byTestID(d, "settings-saved").Length() != 1 {
		t.Error("no saved message")
	}
	// The next login: a fresh session of the same person lands on the start party, in English.
	h.auth.mu.Lock()
	h.auth.sessions["s1"] = &Session{ID: "s1", Owner: h.auth.sessions["s1"].Owner}
	h.auth.mu.Unlock()
	d = doc(t, h.do("GET", "/inbox", req{loggedIn: true}))
	if got := d.Find("html").AttrOr("lang", ""); got != "en" {
		t.Errorf("language after login: got %q, want en", got)
	}
	if got := byTestID(d, "party-current").Text(); !strings.Contains(got, "ALTA AUTO") {
		t.Errorf("landing party: got %q, want ALTA AUTO AS", got)
	}
	if byTestID(d, "party-show-deleted").AttrOr("checked", "none") == "none" {
		t.Error("show deleted is not applied to the chooser")
	}
	bad := url.Values{"language": {"de"}}
	if rec := h.do("POST", "/settings", req{loggedIn: true, csrf: true, form: bad}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("language de: got %d, want 422", rec.Code)
	}
}

func TestGroupsFromPastedList(t *testing.T) {
	t.Parallel()
	h := newWorkspaceHarness(t)
	pasted := url.Values{"name": {"Klienter"}, "orgnos": {"310000002\n310 000 001, 999999999"}}
	rec := h.do("POST", "/groups", req{loggedIn: true, csrf: true, form: pasted})
	d := doc(t, rec)
	if rec.Code != http.StatusUnprocessableEntity || byTestID(d, "group-unknown-entry").Text() != "999999999" {
		t.Fatalf("unknown number: got %d, unknown %q; want 422 listing 999999999", rec.Code, byTestID(d, "group-unknown-entry").Text())
	}
	if got := byTestID(d, "group-orgnos").Text(); !strings.Contains(got, "999999999") {
		t.Errorf("the pasted list is lost: %q", got)
	}
	pasted.Set("skip_unknown", "1")
	rec = h.do("POST", "/groups", req{loggedIn: true, csrf: true, form: pasted})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("make the group without it: got %d %.300s", rec.Code, rec.Body.String())
	}
	d = doc(t, h.do("GET", rec.Header().Get("Location"), req{loggedIn: true}))
	link := byTestID(d, "group-link")
	if link.Text() != "Klienter" || !strings.Contains(byTestID(d, "group-made").Text(), "Klienter") {
		t.Fatalf("group list: %q, notice %q", byTestID(d, "groups").Text(), byTestID(d, "group-made").Text())
	}
	// The notice names one of the person's groups, never words from the link.
	for _, made := range []string{"Kontoen+din+er+sperret", "Klienter", "999"} {
		if n := byTestID(doc(t, h.do("GET", "/groups?made="+made, req{loggedIn: true})), "group-made"); n.Length() != 0 {
			t.Errorf("?made=%s: notice %q, want none", made, n.Text())
		}
	}
	href := link.AttrOr("href", "")
	d = doc(t, h.do("GET", href, req{loggedIn: true}))
	if got := byTestID(d, "inbox-scope").Text(); !strings.Contains(got, "Klienter") || !strings.Contains(got, "2") {
		t.Errorf("group inbox: scope %q, want Klienter with 2 parties", got)
	}
	if len(h.dp.searchCalls()) == 0 {
		t.Error("the group inbox searched nothing")
	}
	// Ticked in the page's party search.
	d = doc(t, h.do("GET", "/groups?q=alta", req{loggedIn: true}))
	if got := byTestID(d, "group-candidate").AttrOr("value", ""); got != altaUUID {
		t.Errorf("candidates for alta: got %q, want ALTA AUTO AS", got)
	}
	picked := url.Values{"name": {"Alta"}, "party": {altaUUID}}
	if rec := h.do("POST", "/groups", req{loggedIn: true, csrf: true, form: picked}); rec.Code != http.StatusSeeOther {
		t.Errorf("a group of ticked parties: got %d", rec.Code)
	}
	long := url.Values{"name": {strings.Repeat("x", 101)}, "orgnos": {"310000002"}}
	if d := doc(t, h.do("POST", "/groups", req{loggedIn: true, csrf: true, form: long})); !strings.Contains(byTestID(d, "group-error").Text(), "100") {
		t.Errorf("long name: error %q, want the limit of 100", byTestID(d, "group-error").Text())
	}
	// Another person's session cannot open or delete the group.
	h.auth.mu.Lock()
	h.auth.sessions["s1"].Owner = string(store.OwnerKey([]byte("k"), "02028012345"))
	h.auth.mu.Unlock()
	if rec := h.do("GET", href, req{loggedIn: true}); rec.Code != http.StatusNotFound {
		t.Errorf("another person's group: got %d, want 404", rec.Code)
	}
	id := strings.TrimPrefix(href[strings.Index(href, "group%3A"):], "group%3A")
	if rec := h.do("POST", "/groups/"+id+"/delete", req{loggedIn: true, csrf: true, form: url.Values{}}); rec.Code != http.StatusNotFound {
		t.Errorf("another person deletes: got %d, want 404", rec.Code)
	}
}
