package present

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views/i18n"
)

const (
	selfUUID = "5c1b7c4e-0b7e-4c39-9a44-7f6f3c1f8a01"
	orgUUID  = "0b4f8a9e-62c4-4d7e-8f2c-1d9e8b7a6c02"
	org2UUID = "7e2d1c3b-4a5f-4e6d-9c8b-2a1f0e9d8c03"
)

func testIndex() *inbox.PartyIndex {
	return inbox.NewPartyIndex(&dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{Party: "urn:altinn:person:identifier-no:14838500820", PartyUUID: selfUUID, Name: "NORDMANN KARI", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true},
		{Party: "urn:altinn:organization:identifier-no:310000001", PartyUUID: orgUUID, Name: "FJELL OG FJORD AS", PartyType: dpclient.PartyTypeOrganization},
		{Party: "urn:altinn:organization:identifier-no:310000002", PartyUUID: org2UUID, Name: "BAKERI AS", PartyType: dpclient.PartyTypeOrganization},
	}})
}

func TestSeenByCountsOthersOnceAndLeavesOutTheServiceOwner(t *testing.T) {
	log := []dpclient.SeenLog{
		{ID: "1", IsCurrentEndUser: true, SeenBy: dpclient.Actor{ActorID: "me"}},
		{ID: "2", SeenBy: dpclient.Actor{ActorID: "urn:altinn:person:identifier-no:1", ActorName: "Zeta"}},
		{ID: "3", SeenBy: dpclient.Actor{ActorID: "urn:altinn:person:identifier-no:1", ActorName: "Zeta"}},
		{ID: "4", SeenBy: dpclient.Actor{ActorName: "Alfa"}},
		{ID: "5", IsViaServiceOwner: true, SeenBy: dpclient.Actor{ActorName: "Etaten"}},
	}
	summary, names := seenBy(i18n.EN, log)
	if summary != "Seen by you and 2 others" {
		t.Errorf("summary %q", summary)
	}
	if len(names) != 3 || names[0] != "You" || names[1] != "Alfa" || slices.Contains(names, "Etaten") {
		t.Errorf("names %q: want You first, then the others by name, without the service owner", names)
	}
	if s, n := seenBy(i18n.EN, nil); s != "" || n != nil {
		t.Errorf("nobody has seen it: %q %q", s, n)
	}
}

func TestBulkRowsSayWhatFailedAndCountTheRest(t *testing.T) {
	ids := []string{"a", "b", "c"}
	failed := map[string]error{"b": inbox.ErrBulkBudget}
	rows, summary, note := BulkRows(i18n.EN, ids, failed)
	if summary != "2 of 3 messages were updated." || note != "" {
		t.Errorf("summary %q, note %q", summary, note)
	}
	if len(rows) != 3 || !rows[0].OK || rows[1].OK || rows[1].ID != "b" || rows[1].Text == rows[0].Text {
		t.Errorf("rows %+v", rows)
	}
	many := make([]string, 250)
	for i := range many {
		many[i] = string(rune('a' + i%26))
	}
	if _, _, note := BulkRows(i18n.EN, many, nil); note == "" {
		t.Error("250 dialogs take three batches: the note should say so")
	}
}

// TestCountsOfOneAreSingular: one party, one message, one day are said in the singular
// ("1 aktører" and "1 parties" were wrong); two in the plural.
func TestCountsOfOneAreSingular(t *testing.T) {
	t.Parallel()
	one := []string{"urn:altinn:organization:identifier-no:310000001"}
	two := append(slices.Clone(one), "urn:altinn:organization:identifier-no:310000002")
	tests := []struct {
		lang        i18n.Lang
		scope       workspace.Scope
		want, wantN string
	}{
		{i18n.NB, workspace.Scope{Key: workspace.Favourites, URNs: one, Missing: 1}, "Søker i favorittene dine (1 aktør).", "1 av aktørene kan du ikke lenger representere; den er ikke med i søket."},
		{i18n.NN, workspace.Scope{Key: workspace.Favourites, URNs: one}, "Søkjer i favorittane dine (1 aktør).", ""},
		{i18n.EN, workspace.Scope{Key: "17", Name: "Bygg", URNs: one, Missing: 1}, "Searching the group Bygg (1 party).", "1 of the parties is no longer one you can act for; it is left out of the search."},
		{i18n.NN, workspace.Scope{Key: "17", Name: "Bygg", URNs: one}, "Søkjer i gruppa Bygg (1 aktør).", ""},
		{i18n.EN, workspace.Scope{Key: "17", Name: "Bygg", URNs: two, Missing: 2}, "Searching the group Bygg (2 parties).", "2 of the parties are no longer ones you can act for; they are left out of the search."},
	}
	for _, tt := range tests {
		if scope, note := ScopeLines(tt.lang, tt.scope); scope != tt.want || note != tt.wantN {
			t.Errorf("ScopeLines(%s, %d parties, %d missing) = %q, %q; want %q, %q", tt.lang, len(tt.scope.URNs), tt.scope.Missing, scope, note, tt.want, tt.wantN)
		}
	}
	if _, summary, _ := BulkRows(i18n.EN, []string{"a"}, nil); summary != "1 of 1 message was updated." {
		t.Errorf("one dialog changed: %q", summary)
	}
	if _, summary, _ := BulkRows(i18n.NB, []string{"a"}, nil); summary != "1 av 1 melding ble oppdatert." {
		t.Errorf("one dialog changed: %q", summary)
	}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if got := RelTime(i18n.NB, now.Add(5*time.Hour), now); got != "om 1 dag" {
		t.Errorf("five hours ahead: %q, want om 1 dag", got)
	}
	if got := RelTime(i18n.EN, now.Add(30*time.Hour), now); got != "in 2 days" {
		t.Errorf("30 hours ahead: %q, want in 2 days", got)
	}
}

// TestSearchTextInTheLanguagesQuotes: the searched words are quoted as the language quotes,
// «» in Norwegian ("“skattemelding”" was English), “” in English.
func TestSearchTextInTheLanguagesQuotes(t *testing.T) {
	t.Parallel()
	for lang, want := range map[i18n.Lang]string{
		i18n.NB: "Søk i meldinger: «skattemelding»",
		i18n.NN: "Søk i meldingar: «skattemelding»",
		i18n.EN: "Search messages: “skattemelding”",
	} {
		if got := Filters(lang, query.Query{Q: "skattemelding"}, &inbox.Facets{}).Active; !slices.Contains(got, want) {
			t.Errorf("%s: active filters %q, want %q among them", lang, got, want)
		}
		if got := SearchSummary(lang, testIndex(), query.Query{Q: "skattemelding"}, nil); !strings.Contains(got, want) {
			t.Errorf("%s: saved search summary %q, want %q in it", lang, got, want)
		}
	}
}

func TestStartOptionsListEachPartyOnceAndSelectTheStoredOne(t *testing.T) {
	ix := testIndex()
	groups := []workspace.Group{{ID: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", Name: "Kunder", Size: 2}, {ID: "17", Name: "Not startable", Size: 1}}
	opts := StartOptions(i18n.NB, ix, orgUUID, []string{orgUUID, org2UUID, "not-a-party"}, groups)
	var values []string
	selected := ""
	for _, o := range opts {
		values = append(values, o.Value)
		if o.Selected {
			selected = o.Value
		}
	}
	if selected != orgUUID {
		t.Errorf("selected %q, want the stored choice %q", selected, orgUUID)
	}
	want := []string{"", inbox.AllOrgs, orgUUID, org2UUID, workspace.GroupPrefix + "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}
	if !slices.Equal(values, want) {
		t.Errorf("options %q, want %q (no duplicates, no unknown party)", values, want)
	}
}

func TestLivePropsCarryNoIdentityAndPollOnlyLists(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	stream := Live(orgUUID, "/inbox?party="+orgUUID, "", true, now)
	if !strings.HasPrefix(stream.Stream, "/live?") || stream.Poll != "" {
		t.Fatalf("streaming list: %+v", stream)
	}
	poll := Live(orgUUID, "/inbox?party="+orgUUID, "", false, now)
	u, err := url.Parse(poll.Poll)
	if err != nil || u.Path != "/live/changes" || u.Query().Get("since") != "1700000000" || u.Query().Get("party") != orgUUID {
		t.Errorf("polling list: %q", poll.Poll)
	}
	if d := Live(orgUUID, "", "4f1c2b3a-0000-4000-8000-000000000001", false, now); d.Poll != "" || d.Stream != "" {
		t.Errorf("a dialog page without a stream polls nothing: %+v", d)
	}
	for _, s := range []string{stream.Stream, poll.Poll} {
		if strings.Contains(s, "14838500820") {
			t.Errorf("identity number in %q", s)
		}
	}
}

func TestDialogRowLinksOnlyUUIDsAndNamesThePartyInGroups(t *testing.T) {
	ix := testIndex()
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	d := dpclient.SearchDialog{ID: "../../inbox/bulk", Party: "urn:altinn:organization:identifier-no:310000001",
		Status: dpclient.DialogStatusInProgress, UpdatedAt: now.Add(-3 * time.Hour), ServiceResource: "urn:altinn:resource:x"}
	r := DialogRow(i18n.EN, ix, d, &inbox.Facets{}, true, now, time.UTC)
	if r.Href != "" {
		t.Errorf("an id that is no UUID must not become a link: %q", r.Href)
	}
	if r.Party != "FJELL OG FJORD AS" || r.Title != "urn:altinn:resource:x" || r.UpdatedRelative != "3 h ago" {
		t.Errorf("row %+v", r)
	}
	d.ID = "0194f1c2-2b3a-7000-8000-000000000001"
	if r := DialogRow(i18n.EN, ix, d, &inbox.Facets{}, false, now, time.UTC); r.Href != "/dialogs/"+d.ID || r.Party != "" {
		t.Errorf("one party's row: href %q, party %q", r.Href, r.Party)
	}
}

func TestRefusalsAreWordsOnlyForRefusals(t *testing.T) {
	if _, ok := GroupRefusal(i18n.EN, errors.New("store down")); ok {
		t.Error("an outage is no refusal: it must reach the error page")
	}
	if msg, ok := GroupRefusal(i18n.EN, workspace.ErrNameTaken); !ok || msg == "" {
		t.Errorf("a taken name: %q %v", msg, ok)
	}
	if _, ok := SavedSearchRefusal(i18n.EN, nil); ok {
		t.Error("no error, no refusal")
	}
	if SavedNotice(i18n.EN, "renamed") != "The search is renamed." || SavedNotice(i18n.EN, "<script>") != "" {
		t.Error("notices: only the known ones")
	}
}

// TestInboxTitleNamesWhomAndTheFolder: the inbox's title names whom it is for (tabs for several
// parties tell themselves apart), the folder unless it is the inbox (no "Innboks – Innboks").
func TestInboxTitleNamesWhomAndTheFolder(t *testing.T) {
	t.Parallel()
	ix := testIndex()
	for _, tt := range []struct{ folder, key, group, want string }{
		{"inbox", orgUUID, "", "FJELL OG FJORD AS"},
		{"archive", orgUUID, "", "Arkiv · FJELL OG FJORD AS"},
		{"inbox", workspace.Favourites, "", "Favorittene dine"},
		{"bin", workspace.GroupPrefix + "7", "Klienter", "Papirkurv · Gruppen Klienter"},
	} {
		got := InboxTitle(i18n.NB, tt.folder, ScopeName(i18n.NB, ix, tt.key, tt.group))
		if got != tt.want {
			t.Errorf("%s, %s: %q, want %q", tt.folder, tt.key, got, tt.want)
		}
	}
}
