package dpemu

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
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
