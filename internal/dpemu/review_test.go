package dpemu

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
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
