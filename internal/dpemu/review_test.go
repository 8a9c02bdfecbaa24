package dpemu

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestActivityDescriptionOmittedWhenNull checks §2 "nulls omitted" for an activity's nullable
// description (only Information activities carry one): the list, the single activity, the
// details and the search item's latestActivity leave the member out instead of sending [].
func TestActivityDescriptionOmittedWhenNull(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.Party == kari[0] && visibleAt(d, fixedNow) && levelThreeOK(d)
	})
	a, err := f.e.Store().AddActivity(d.ID, Activity{Type: ActivityDialogOpened, PerformedBy: Actor{Type: ActorServiceOwner}})
	if err != nil {
		t.Fatal(err)
	}
	id := a.ID.String()
	find := func(acts []map[string]json.RawMessage) map[string]json.RawMessage {
		i := slices.IndexFunc(acts, func(m map[string]json.RawMessage) bool { return string(m["id"]) == `"`+id+`"` })
		if i < 0 {
			t.Fatalf("activity %s not in %d activities", id, len(acts))
		}
		return acts[i]
	}
	tests := []struct {
		name string
		path string
		pick func(b []byte) map[string]json.RawMessage
	}{
		{"list", "/dialogs/" + d.ID.String() + "/activities", func(b []byte) map[string]json.RawMessage {
			return find(decode[[]map[string]json.RawMessage](t, b))
		}},
		{"one", "/dialogs/" + d.ID.String() + "/activities/" + id, func(b []byte) map[string]json.RawMessage {
			return decode[map[string]json.RawMessage](t, b)
		}},
		{"details", "/dialogs/" + d.ID.String(), func(b []byte) map[string]json.RawMessage {
			return find(decode[struct {
				Activities []map[string]json.RawMessage `json:"activities"`
			}](t, b).Activities)
		}},
		{"search latestActivity", "/dialogs?party=" + kari[0] + "&limit=1000", func(b []byte) map[string]json.RawMessage {
			page := decode[struct {
				Items []struct {
					ID             string                     `json:"id"`
					LatestActivity map[string]json.RawMessage `json:"latestActivity"`
				} `json:"items"`
			}](t, b)
			for _, it := range page.Items {
				if it.ID == d.ID.String() {
					return it.LatestActivity
				}
			}
			t.Fatalf("dialog %s not found by search", d.ID)
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, _, b := f.do(t, nil, http.MethodGet, eu+tt.path, tok, "", nil)
			if st != 200 {
				t.Fatalf("got %d, want 200 (%s)", st, truncate(b))
			}
			act := tt.pick(b)
			if desc, ok := act["description"]; ok {
				t.Errorf("description: got %s, want the member omitted", desc)
			}
			if string(act["type"]) != `"DialogOpened"` {
				t.Errorf("type: got %s, want \"DialogOpened\"", act["type"])
			}
		})
	}
}

// TestProblemInstanceIsServicePath checks §10: instance is the path the service sees,
// /api/v1/…, without the APIM prefix /dialogporten of the public URL.
func TestProblemInstanceIsServicePath(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	const unknown = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee"
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"details 404", http.MethodGet, eu + "/dialogs/" + unknown, "", 404},
		{"search 400", http.MethodGet, eu + "/dialogs?limit=0", "", 400},
		{"labels 400", http.MethodPut, eu + "/dialogs/" + unknown + "/context/systemlabels", `{"addLabels":["Sent"]}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _, b := f.do(t, nil, tt.method, tt.path, tok, tt.body, nil)
			if st != tt.want {
				t.Fatalf("got %d, want %d (%s)", st, tt.want, truncate(b))
			}
			p := decode[problem](t, b)
			path, _, _ := strings.Cut(strings.TrimPrefix(tt.path, "/dialogporten"), "?")
			if p.Instance != path {
				t.Errorf("instance: got %q, want %q", p.Instance, path)
			}
		})
	}
}

// TestSentLabelFromPartyTransmissions checks §7.3: the Sent label comes with every
// Submission or Correction transmission the dialog receives, whichever store call brings it.
func TestSentLabelFromPartyTransmissions(t *testing.T) {
	t.Parallel()
	party := orgPrefix + syntheticOrgNumber(3)
	sender := Actor{Type: ActorPartyRepresentative, ID: party}
	tx := func(typ TransmissionType) Transmission {
		return Transmission{Type: typ, Title: plain(tr("t", "t", "t")), Sender: sender}
	}
	tests := []struct {
		name     string
		create   []Transmission // transmissions the dialog is created with
		update   []Transmission // transmissions a later UpdateDialog adds
		wantSent bool
	}{
		{"created with a submission", []Transmission{tx(TransmissionSubmission)}, nil, true},
		{"created with information only", []Transmission{tx(TransmissionInformation)}, nil, false},
		{"update adds a correction", nil, []Transmission{tx(TransmissionCorrection)}, true},
		{"update adds a decision", nil, []Transmission{tx(TransmissionDecision)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := NewStore(func() time.Time { return fixedNow }, 7)
			id, err := st.CreateDialog(&Dialog{ServiceResource: "urn:altinn:resource:x", Party: party,
				Content: Content{Title: plain(tr("a", "b", "c"))}, Transmissions: tt.create})
			if err != nil {
				t.Fatal(err)
			}
			if tt.update != nil {
				if err := st.UpdateDialog(id, func(d *Dialog) error {
					d.Transmissions = append(d.Transmissions, tt.update...)
					return nil
				}); err != nil {
					t.Fatal(err)
				}
			}
			d, _ := st.Dialog(id)
			if got := d.EndUserContext.Has(LabelSent); got != tt.wantSent {
				t.Errorf("Sent: got %v, want %v (labels %v)", got, tt.wantSent, d.EndUserContext.SystemLabels)
			}
		})
	}
}

// TestSearchWireConventions pins §2 and §9 rules the other search tests do not reach:
// parameter names match case-insensitively, party filters are lower-cased, the token is
// key_value pairs with 7-digit UTC timestamps, and an empty page echoes the incoming token.
func TestSearchWireConventions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	me := userParties(f, 0)[0]
	// A token from before every seeded dialog in ascending order: nothing follows it.
	late := "createdat_2999-01-01T00:00:00.0000000Z,id_0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee"
	tokenRE := regexp.MustCompile(`^contentupdatedat_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z,id_[0-9a-f-]{36}$`)
	tests := []struct {
		name      string
		query     string
		wantItems int // -1: some
		wantToken func(*string) string
	}{
		{"lower-case names", "party=" + url.QueryEscape(me) + "&limit=2", 2, nil},
		{"mixed-case names", "PARTY=" + url.QueryEscape(me) + "&Limit=2", 2, nil},
		{"upper-case party URN", "party=" + url.QueryEscape(strings.ToUpper(me)) + "&limit=2", 2, nil},
		{"token format", "party=" + url.QueryEscape(me) + "&limit=1", 1, func(tok *string) string {
			if tok == nil || !tokenRE.MatchString(*tok) {
				return "want contentupdatedat_<7-digit UTC>,id_<uuid>"
			}
			return ""
		}},
		{"empty page echoes the token", "party=" + url.QueryEscape(me) + "&orderBy=createdAt_asc&continuationToken=" + url.QueryEscape(late), 0, func(tok *string) string {
			if tok == nil || *tok != late {
				return "want the incoming token echoed"
			}
			return ""
		}},
		{"empty page without a token has none", "party=" + url.QueryEscape(me) + "&search=zzzqqq", 0, func(tok *string) string {
			if tok != nil {
				return "want no token"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?"+tt.query, tok, "", nil)
			if st != 200 {
				t.Fatalf("got %d, want 200 (%s)", st, truncate(b))
			}
			p := decode[searchPage](t, b)
			if len(p.Items) != tt.wantItems {
				t.Errorf("items: got %d, want %d", len(p.Items), tt.wantItems)
			}
			for _, it := range p.Items {
				if it.Party != me {
					t.Errorf("party: got %q, want %q", it.Party, me)
				}
			}
			if tt.wantToken != nil {
				if msg := tt.wantToken(p.ContinuationToken); msg != "" {
					got := "<nil>"
					if p.ContinuationToken != nil {
						got = *p.ContinuationToken
					}
					t.Errorf("continuationToken: got %q, %s", got, msg)
				}
			}
		})
	}
}

// TestSearchFilterCaseMatchesStoredDialog checks that the lower-casing of serviceResource and
// org filters (§2: URNs are case-insensitive) still finds a dialog whose stored values are not
// lower case: a filter copied from a dialog's own fields must find it.
func TestSearchFilterCaseMatchesStoredDialog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	me := userParties(f, 0)[0]
	const res, org = "urn:altinn:resource:Mixed-Case-Resource", "TTD"
	id, err := f.e.Store().CreateDialog(&Dialog{Org: org, ServiceResource: res, Party: me,
		Content: Content{Title: plain(tr("Blanda", "Blanda", "Mixed"))}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, query string }{
		{"party only", "party=" + url.QueryEscape(me)},
		{"resource as stored", "serviceResource=" + url.QueryEscape(res)},
		{"resource lower case", "serviceResource=" + url.QueryEscape(strings.ToLower(res))},
		{"org as stored", "party=" + url.QueryEscape(me) + "&org=" + org},
		{"org lower case", "party=" + url.QueryEscape(me) + "&org=" + strings.ToLower(org)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?limit=1000&"+tt.query, tok, "", nil)
			if st != 200 {
				t.Fatalf("got %d, want 200 (%s)", st, truncate(b))
			}
			p := decode[searchPage](t, b)
			found := false
			for _, it := range p.Items {
				found = found || it.ID == id.String()
			}
			if !found {
				t.Errorf("got %d items without %s, want the dialog found", len(p.Items), id)
			}
		})
	}
}

// TestSubResourcesNeedReadAccess checks §4.3/§4.4: activities and transmissions answer 404
// when the caller lacks read access to the dialog's main resource, even with list access
// (which still opens the details, with everything flagged unauthorized, §4.2).
func TestSubResourcesNeedReadAccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	c := &caller{principal: principal{PID: f.e.Users()[0].PID}, access: f.e.accessFor(principal{PID: f.e.Users()[0].PID})}
	listOnly := firstDialog(t, f, func(d *Dialog) bool {
		return visibleAt(d, fixedNow) && levelThreeOK(d) && c.canList(d) && !c.can(d.Party, d.ServiceResource, "read") &&
			len(d.Activities) > 0 && len(d.Transmissions) > 0
	})
	readable := firstDialog(t, f, func(d *Dialog) bool {
		return visibleAt(d, fixedNow) && levelThreeOK(d) && c.can(d.Party, d.ServiceResource, "read") &&
			len(d.Activities) > 0 && len(d.Transmissions) > 0
	})
	tests := []struct {
		name string
		path string
		want int
	}{
		{"list-only details", "/dialogs/" + listOnly.ID.String(), 200},
		{"list-only activities", "/dialogs/" + listOnly.ID.String() + "/activities", 404},
		{"list-only activity", "/dialogs/" + listOnly.ID.String() + "/activities/" + listOnly.Activities[0].ID.String(), 404},
		{"list-only transmissions", "/dialogs/" + listOnly.ID.String() + "/transmissions", 404},
		{"list-only transmission", "/dialogs/" + listOnly.ID.String() + "/transmissions/" + listOnly.Transmissions[0].ID.String(), 404},
		{"readable activities", "/dialogs/" + readable.ID.String() + "/activities", 200},
		{"readable transmissions", "/dialogs/" + readable.ID.String() + "/transmissions", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, _, b := f.do(t, nil, http.MethodGet, eu+tt.path, tok, "", nil)
			if st != tt.want {
				t.Fatalf("got %d, want %d (%s)", st, tt.want, truncate(b))
			}
			if st == 404 {
				if p := decode[problem](t, b); p.Title != "Resource not found." || p.Errors["DialogEntity"] == nil {
					t.Errorf("problem: got %+v, want the DialogEntity not-found problem", p)
				}
			}
		})
	}
}

// TestSearchPartyURNValidation checks §2/§4.1: every party filter must be a valid party URN,
// including a non-empty e-mail or user name after the self-identified prefixes.
func TestSearchPartyURNValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	tests := []struct {
		party string
		want  int
	}{
		{"urn:altinn:person:idporten-email:kari@example.com", 200},
		{"urn:altinn:person:legacy-selfidentified:kari", 200},
		{orgPrefix + syntheticOrgNumber(5), 200},
		{"urn:altinn:person:idporten-email:", 400},
		{"urn:altinn:person:legacy-selfidentified:", 400},
		{"urn:altinn:person:identifier-ephemeral:0123456789", 400},
		{"urn:altinn:systemuser:uuid:0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", 400},
	}
	for _, tt := range tests {
		t.Run(tt.party, func(t *testing.T) {
			t.Parallel()
			st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?party="+url.QueryEscape(tt.party), tok, "", nil)
			if st != tt.want {
				t.Fatalf("got %d, want %d (%s)", st, tt.want, truncate(b))
			}
			if st == 400 {
				if p := decode[problem](t, b); p.Errors["Party"] == nil {
					t.Errorf("errors: got %v, want a Party message", p.Errors)
				}
			}
		})
	}
}

// TestPlaceholdersOnActionsAndTransmissions checks the §7.6 rules the seeded data does not
// reach: API action endpoints of an unheld action, navigational actions and attachments of a
// transmission behind an unheld authorizationAttribute (unauthorized), and expired
// navigational actions and attachments of an authorized transmission (expired); the same on
// the transmission endpoints (§4.4).
func TestPlaceholdersOnActionsAndTransmissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	bygg := userParties(f, 0)[2] // Kari holds read, write and delete there, nothing else
	past, future := fixedNow.Add(-time.Hour), fixedNow.Add(time.Hour)
	title := tr("t", "t", "t")
	ep := func(url string) ApiActionEndpoint { return ApiActionEndpoint{URL: url, HTTPMethod: "GET"} }
	att := func(url string, exp *time.Time) Attachment {
		return Attachment{DisplayName: title, URLs: []AttachmentURL{{URL: url, ConsumerType: ConsumerGui}}, ExpiresAt: exp}
	}
	id, err := f.e.Store().CreateDialog(&Dialog{Org: "ttd", ServiceResource: "urn:altinn:resource:review-placeholders", Party: bygg,
		Content: Content{Title: plain(title)},
		ApiActions: []ApiAction{
			{Action: "write", Endpoints: []ApiActionEndpoint{ep("https://so.test/api/write")}},
			{Action: "sign", Endpoints: []ApiActionEndpoint{ep("https://so.test/api/sign"), ep("https://so.test/api/sign/v2")}},
		},
		Transmissions: []Transmission{
			{Type: TransmissionInformation, Title: plain(title), Sender: serviceOwnerActor,
				NavigationalActions: []NavigationalAction{{Title: title, URL: "https://so.test/nav/live", ExpiresAt: &future},
					{Title: title, URL: "https://so.test/nav/old", ExpiresAt: &past}},
				Attachments: []Attachment{att("https://so.test/att/live", nil), att("https://so.test/att/old", &past)}},
			{Type: TransmissionInformation, Title: plain(title), Sender: serviceOwnerActor, AuthorizationAttribute: "urn:altinn:subresource:secret",
				NavigationalActions: []NavigationalAction{{Title: title, URL: "https://so.test/nav/secret"}},
				Attachments:         []Attachment{att("https://so.test/att/secret", nil)}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	type wireTx struct {
		AuthorizationAttribute string `json:"authorizationAttribute"`
		IsAuthorized           bool   `json:"isAuthorized"`
		NavigationalActions    []struct {
			URL string `json:"url"`
		} `json:"navigationalActions"`
		Attachments []struct {
			URLs []struct {
				URL string `json:"url"`
			} `json:"urls"`
		} `json:"attachments"`
	}
	type wireDetails struct {
		ApiActions []struct {
			Action       string `json:"action"`
			IsAuthorized bool   `json:"isAuthorized"`
			Endpoints    []struct {
				URL string `json:"url"`
			} `json:"endpoints"`
		} `json:"apiActions"`
		Transmissions []wireTx `json:"transmissions"`
	}
	st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+id.String(), tok, "", nil)
	if st != 200 {
		t.Fatalf("details: got %d (%s)", st, truncate(b))
	}
	details := decode[wireDetails](t, b)
	st, _, b = f.do(t, nil, http.MethodGet, eu+"/dialogs/"+id.String()+"/transmissions", tok, "", nil)
	if st != 200 {
		t.Fatalf("transmissions: got %d (%s)", st, truncate(b))
	}
	listed := decode[[]wireTx](t, b)

	var got []string
	for _, a := range details.ApiActions {
		for _, e := range a.Endpoints {
			got = append(got, fmt.Sprintf("api %s %v %s", a.Action, a.IsAuthorized, e.URL))
		}
	}
	txs := func(where string, list []wireTx) {
		for _, tx := range list {
			for _, n := range tx.NavigationalActions {
				got = append(got, fmt.Sprintf("%s nav %q %v %s", where, tx.AuthorizationAttribute, tx.IsAuthorized, n.URL))
			}
			for _, a := range tx.Attachments {
				got = append(got, fmt.Sprintf("%s att %q %v %s", where, tx.AuthorizationAttribute, tx.IsAuthorized, a.URLs[0].URL))
			}
		}
	}
	txs("details", details.Transmissions)
	txs("list", listed)
	var want []string
	want = append(want, "api write true https://so.test/api/write", "api sign false "+URNUnauthorized, "api sign false "+URNUnauthorized)
	for _, where := range []string{"details", "list"} {
		want = append(want,
			where+` nav "" true https://so.test/nav/live`, where+` nav "" true `+URNExpired,
			where+` att "" true https://so.test/att/live`, where+` att "" true `+URNExpired,
			where+` nav "urn:altinn:subresource:secret" false `+URNUnauthorized,
			where+` att "urn:altinn:subresource:secret" false `+URNUnauthorized)
	}
	slices.Sort(got) // both transmissions share createdAt, so their order is the ids'
	slices.Sort(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDeprecatedEmbedMediaTypesMapped checks §7.10: the deprecated front-channel embed input
// types are stored under the new names, so only those appear in output, whichever store call
// brings the content.
func TestDeprecatedEmbedMediaTypesMapped(t *testing.T) {
	t.Parallel()
	const oldMD, oldHTML = "application/vnd.dialogporten.frontchannelembed+json;type=markdown", "application/vnd.dialogporten.frontchannelembed+json;type=html"
	party := orgPrefix + syntheticOrgNumber(4)
	embed := func(mt string) *ContentValue {
		return &ContentValue{MediaType: mt, Value: tr("https://so.test/e", "https://so.test/e", "https://so.test/e")}
	}
	tx := func(mt string) Transmission {
		return Transmission{Type: TransmissionInformation, Title: plain(tr("t", "t", "t")), Sender: serviceOwnerActor, ContentReference: embed(mt)}
	}
	tests := []struct {
		name   string
		create func(st *Store) (uuid.UUID, error)
		then   func(st *Store, id uuid.UUID) error
	}{
		{"created", func(st *Store) (uuid.UUID, error) {
			return st.CreateDialog(&Dialog{ServiceResource: "urn:altinn:resource:x", Party: party,
				Content: Content{Title: plain(tr("a", "b", "c")), MainContentReference: embed(oldMD)}, Transmissions: []Transmission{tx(oldHTML)}})
		}, nil},
		{"updated and added", func(st *Store) (uuid.UUID, error) {
			return st.CreateDialog(&Dialog{ServiceResource: "urn:altinn:resource:x", Party: party, Content: Content{Title: plain(tr("a", "b", "c"))}})
		}, func(st *Store, id uuid.UUID) error {
			if err := st.UpdateDialog(id, func(d *Dialog) error { d.Content.MainContentReference = embed(oldMD); return nil }); err != nil {
				return err
			}
			_, err := st.AddTransmission(id, tx(oldHTML))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := NewStore(func() time.Time { return fixedNow }, 7)
			id, err := tt.create(st)
			if err != nil {
				t.Fatal(err)
			}
			if tt.then != nil {
				if err := tt.then(st, id); err != nil {
					t.Fatal(err)
				}
			}
			d, _ := st.Dialog(id)
			if got := d.Content.MainContentReference.MediaType; got != MediaEmbedMarkdown {
				t.Errorf("mainContentReference: got %q, want %q", got, MediaEmbedMarkdown)
			}
			if got := d.Transmissions[0].ContentReference.MediaType; got != MediaEmbedHTML {
				t.Errorf("transmission contentReference: got %q, want %q", got, MediaEmbedHTML)
			}
		})
	}
}
