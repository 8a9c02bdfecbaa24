package dpemu

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

func TestLabelAlgebra(t *testing.T) {
	t.Parallel()
	L := func(ls ...SystemLabel) []SystemLabel { return ls }
	tests := []struct {
		name          string
		start         []SystemLabel
		add, remove   []SystemLabel
		want          []SystemLabel
		wantLogAction []string // "set:Bin", "remove:Archive", …
	}{
		{"archive from default", L(LabelDefault), L(LabelArchive), nil, L(LabelArchive), []string{"set:Archive"}},
		{"bin replaces archive", L(LabelArchive), L(LabelBin), nil, L(LabelBin), []string{"remove:Archive", "set:Bin"}},
		{"remove bin goes to default", L(LabelBin, LabelSent), nil, L(LabelBin), L(LabelSent, LabelDefault), []string{"remove:Bin"}},
		{"remove then add in one request", L(LabelBin), L(LabelArchive), L(LabelBin), L(LabelArchive), []string{"remove:Bin", "set:Archive"}},
		{"remove absent label is a no-op", L(LabelDefault), nil, L(LabelArchive), L(LabelDefault), nil},
		{"mark as unopened", L(LabelDefault), L(LabelMarkedAsUnopened), nil, L(LabelDefault, LabelMarkedAsUnopened), []string{"set:MarkedAsUnopened"}},
		{"unmark", L(LabelArchive, LabelMarkedAsUnopened), nil, L(LabelMarkedAsUnopened), L(LabelArchive), []string{"remove:MarkedAsUnopened"}},
		{"default back from archive", L(LabelArchive), L(LabelDefault), nil, L(LabelDefault), []string{"remove:Archive"}},
		{"adding present label", L(LabelBin), L(LabelBin), nil, L(LabelBin), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := EndUserContext{SystemLabels: slices.Clone(tt.start)}
			LabelChange{Add: tt.add, Remove: tt.remove}.apply(&ctx, Actor{Type: ActorPartyRepresentative, ID: "x"}, fixedNow)
			got := slices.Clone(ctx.SystemLabels)
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("labels: got %v, want %v", ctx.SystemLabels, tt.want)
			}
			var log []string
			for _, e := range ctx.LabelLog {
				log = append(log, e.Action+":"+e.Name[len("systemlabel:"):])
			}
			if !slices.Equal(log, tt.wantLogAction) {
				t.Errorf("log: got %v, want %v", log, tt.wantLogAction)
			}
		})
	}
	if err := (LabelChange{Add: []SystemLabel{LabelSent}}).Validate(); err == nil {
		t.Error("adding Sent: got nil error")
	}
	if err := (LabelChange{Remove: []SystemLabel{LabelSent}}).Validate(); err == nil {
		t.Error("removing Sent: got nil error")
	}
}

func TestSetSystemLabelsHTTP(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.Party == kari[1] && visibleAt(d, fixedNow) && d.EndUserContext.Has(LabelDefault) && levelThreeOK(d)
	})
	path := eu + "/dialogs/" + d.ID.String() + "/context/systemlabels"
	rev := d.EndUserContext.Revision.String()

	st, h, _ := f.do(t, nil, http.MethodPut, path, tok, `{"addLabels":["Archive"]}`, map[string]string{"If-Match": rev})
	newRev := h.Get("Etag")
	if st != 204 || newRev == "" || newRev == rev {
		t.Fatalf("PUT with matching If-Match: got %d Etag %q, want 204 and a new revision", st, newRev)
	}
	st, _, b := f.do(t, nil, http.MethodPut, path, tok, `{"addLabels":["Bin"]}`, map[string]string{"If-Match": rev})
	if p := decode[problem](t, b); st != 412 || p.Title != "Precondition failed." || p.Errors != nil {
		t.Errorf("stale If-Match: got %d %+v, want 412 without errors", st, p)
	}
	for _, body := range []string{`{"addLabels":["Sent"]}`, `{"removeLabels":["Sent"]}`, `{"addLabels":["Nope"]}`, `not json`} {
		if st, _, _ := f.do(t, nil, http.MethodPut, path, tok, body, nil); st != 400 {
			t.Errorf("PUT %s: got %d, want 400", body, st)
		}
	}
	got, _ := f.e.Store().Dialog(d.ID)
	if !got.EndUserContext.Has(LabelArchive) || got.EndUserContext.Revision.String() != newRev || got.UpdatedAt != d.UpdatedAt {
		t.Errorf("stored: labels %v rev %s updatedAt %v", got.EndUserContext.SystemLabels, got.EndUserContext.Revision, got.UpdatedAt)
	}
	// A foreign dialog is 403 (no access at all), as on details.
	foreign := firstDialog(t, f, func(d *Dialog) bool { return d.Party == userParties(f, 1)[0] && visibleAt(d, fixedNow) })
	if st, _, _ := f.do(t, nil, http.MethodPut, eu+"/dialogs/"+foreign.ID.String()+"/context/systemlabels", tok, `{"addLabels":["Bin"]}`, nil); st != 403 {
		t.Errorf("foreign dialog: got %d, want 403", st)
	}
}

func TestBulkSetSystemLabels(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	var ids []uuid.UUID
	f.e.store.mu.RLock()
	for _, d := range f.e.store.byParty[kari[1]] {
		if visibleAt(d, fixedNow) && levelThreeOK(d) && len(ids) < 3 {
			ids = append(ids, d.ID)
		}
	}
	f.e.store.mu.RUnlock()
	foreign := firstDialog(t, f, func(d *Dialog) bool { return d.Party == userParties(f, 1)[0] && visibleAt(d, fixedNow) })
	post := func(body string) int {
		st, _, _ := f.do(t, nil, http.MethodPost, eu+"/dialogs/context/systemlabels/actions/bulkset", tok, body, nil)
		return st
	}
	revs := func() []uuid.UUID {
		var out []uuid.UUID
		for _, id := range ids {
			d, _ := f.e.Store().Dialog(id)
			out = append(out, d.EndUserContext.Revision)
		}
		return out
	}
	before := revs()
	tests := []struct {
		name string
		body string
		want int
	}{
		{"one foreign dialog fails all", fmt.Sprintf(`{"dialogs":[{"dialogId":%q},{"dialogId":%q}],"addLabels":["Bin"]}`, ids[0], foreign.ID), 404},
		{"one stale revision fails all", fmt.Sprintf(`{"dialogs":[{"dialogId":%q},{"dialogId":%q,"endUserContextRevision":%q}],"addLabels":["Bin"]}`, ids[0], ids[1], uuid.New()), 412},
		{"empty", `{"dialogs":[],"addLabels":["Bin"]}`, 400},
		{"duplicates", fmt.Sprintf(`{"dialogs":[{"dialogId":%q},{"dialogId":%q}],"addLabels":["Bin"]}`, ids[0], ids[0]), 400},
		{"sent", fmt.Sprintf(`{"dialogs":[{"dialogId":%q}],"addLabels":["Sent"]}`, ids[0]), 400},
	}
	for _, tt := range tests {
		if got := post(tt.body); got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, got, tt.want)
		}
	}
	if !slices.Equal(revs(), before) {
		t.Fatal("a failed bulk request changed some dialog")
	}
	var many string
	for i := 0; i < 101; i++ {
		if i > 0 {
			many += ","
		}
		many += fmt.Sprintf(`{"dialogId":%q}`, uuid.New())
	}
	if got := post(`{"dialogs":[` + many + `],"addLabels":["Bin"]}`); got != 400 {
		t.Errorf("101 dialogs: got %d, want 400", got)
	}
	ok := fmt.Sprintf(`{"dialogs":[{"dialogId":%q,"endUserContextRevision":%q},{"dialogId":%q},{"dialogId":%q}],"addLabels":["Bin"]}`, ids[0], before[0], ids[1], ids[2])
	if got := post(ok); got != 204 {
		t.Fatalf("valid bulk: got %d, want 204", got)
	}
	for _, id := range ids {
		d, _ := f.e.Store().Dialog(id)
		if !d.EndUserContext.Has(LabelBin) {
			t.Errorf("%s: labels %v, want Bin", id, d.EndUserContext.SystemLabels)
		}
	}
}

func TestStoreMutations(t *testing.T) {
	t.Parallel()
	clock := fixedNow
	st := NewStore(func() time.Time { return clock }, 7)
	var changes []Change
	st.OnChange(func(c Change) { changes = append(changes, c) })
	party := orgPrefix + syntheticOrgNumber(1)
	id, err := st.CreateDialog(&Dialog{ServiceResource: "urn:altinn:resource:x", Party: party, Content: Content{Title: plain(tr("a", "b", "c"))}})
	if err != nil {
		t.Fatal(err)
	}
	if id.Version() != 7 {
		t.Errorf("id version: got %d, want 7", id.Version())
	}
	d0, _ := st.Dialog(id)

	clock = clock.Add(time.Minute)
	a, err := st.AddActivity(id, Activity{Type: ActivityInformation, PerformedBy: serviceOwnerActor})
	if err != nil {
		t.Fatal(err)
	}
	d1, _ := st.Dialog(id)
	if !d1.UpdatedAt.Equal(clock) || !d1.ContentUpdatedAt.Equal(d0.ContentUpdatedAt) || d1.Revision == d0.Revision {
		t.Errorf("after activity: updatedAt %v contentUpdatedAt %v; want only updatedAt bumped and a new revision", d1.UpdatedAt, d1.ContentUpdatedAt)
	}

	clock = clock.Add(time.Minute)
	tx, err := st.AddTransmission(id, Transmission{Type: TransmissionSubmission, Title: plain(tr("x", "y", "z")), Sender: Actor{Type: ActorPartyRepresentative, ID: party}})
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := st.Dialog(id)
	if !d2.ContentUpdatedAt.Equal(clock) || !d2.EndUserContext.Has(LabelSent) {
		t.Errorf("after submission: contentUpdatedAt %v labels %v; want bumped and Sent", d2.ContentUpdatedAt, d2.EndUserContext.SystemLabels)
	}

	clock = clock.Add(time.Minute)
	if err := st.UpdateDialog(id, func(d *Dialog) error { d.ExternalReference = "ref"; return nil }); err != nil {
		t.Fatal(err)
	}
	d3, _ := st.Dialog(id)
	if !d3.ContentUpdatedAt.Equal(d2.ContentUpdatedAt) || !d3.UpdatedAt.Equal(clock) {
		t.Errorf("non-content update moved contentUpdatedAt to %v", d3.ContentUpdatedAt)
	}
	clock = clock.Add(time.Minute)
	if err := st.UpdateDialog(id, func(d *Dialog) error { d.Content.Title = plain(tr("new", "ny", "new")); return nil }); err != nil {
		t.Fatal(err)
	}
	d4, _ := st.Dialog(id)
	if !d4.ContentUpdatedAt.Equal(clock) {
		t.Errorf("content update: contentUpdatedAt %v, want %v", d4.ContentUpdatedAt, clock)
	}
	if err := st.SetStatus(id, StatusCompleted, "DONE"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteDialog(id); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AddTransmission(id, Transmission{Type: TransmissionInformation, Title: plain(tr("i", "i", "i"))}); err == nil {
		t.Error("transmission on deleted dialog: got nil error")
	}
	if err := st.RestoreDialog(id); err != nil {
		t.Fatal(err)
	}
	var kinds []ChangeKind
	for _, c := range changes {
		kinds = append(kinds, c.Kind)
	}
	want := []ChangeKind{ChangeDialogCreated, ChangeDialogUpdated, ChangeActivityCreated, ChangeDialogUpdated, ChangeTransmissionCreated,
		ChangeDialogUpdated, ChangeDialogUpdated, ChangeDialogUpdated, ChangeDialogDeleted, ChangeDialogRestored}
	if !slices.Equal(kinds, want) {
		t.Errorf("changes: got %v, want %v", kinds, want)
	}
	if c := changes[2]; c.ActivityID != a.ID || c.ActivityType != ActivityInformation {
		t.Errorf("activity change: got %+v", c)
	}
	if c := changes[4]; c.TransmissionID != tx.ID || c.SenderType != ActorPartyRepresentative {
		t.Errorf("transmission change: got %+v", c)
	}
	if _, ok := st.DialogByLabel("missing"); ok {
		t.Error("DialogByLabel of a missing label: got ok")
	}
}

func TestScenarioDeterministic(t *testing.T) {
	t.Parallel()
	build := func() []*User {
		st := NewStore(func() time.Time { return fixedNow }, 3)
		if _, err := BuildScenario(st, ScenarioOptions{Name: "default", Seed: 3, BaseURL: "http://e", Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
		first := st.byParty[personPrefix+st.Users()[0].PID][0]
		if first.ID.Version() != 7 {
			t.Errorf("dialog id version %d, want 7", first.ID.Version())
		}
		return append(st.Users(), &User{Name: first.ID.String()})
	}
	a, b := build(), build()
	for i := range a {
		if a[i].PID != b[i].PID || a[i].Name != b[i].Name {
			t.Errorf("user %d differs between builds: %s/%s vs %s/%s", i, a[i].PID, a[i].Name, b[i].PID, b[i].Name)
		}
	}
	for _, u := range a[:len(a)-1] {
		if !ident.ValidPID(u.PID) {
			t.Errorf("user %s: invalid pid", u.Name)
		}
	}
	if _, err := BuildScenario(NewStore(nil, 1), ScenarioOptions{Name: "nope", BaseURL: "http://e"}); err == nil {
		t.Error("unknown scenario: got nil error")
	}
}
