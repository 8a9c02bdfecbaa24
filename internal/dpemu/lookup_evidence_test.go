package dpemu

import (
	"net/url"
	"strings"
	"testing"
)

// The default scenario gives Kari Nordmann dialogs through each kind of grant the emulator
// models, and the lookup says which.
func TestLookupEvidenceCoversEachGrantType(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	kari := f.e.Users()[0]
	tok := f.userToken(t, 0, nil)
	// One visible dialog per party Kari acts for.
	var ids []string
	seen := map[string]bool{}
	f.e.store.mu.RLock()
	for _, d := range f.e.store.dialogs {
		if d.DeletedAt == nil && visibleAt(d, fixedNow) && !seen[d.Party] {
			seen[d.Party] = true
			ids = append(ids, d.ID.String())
		}
	}
	f.e.store.mu.RUnlock()
	got := map[string]int{}
	for _, id := range ids {
		status, _, body := f.do(t, f.srv.Client(), "GET", "/dialogporten/api/v1/enduser/dialoglookup?instanceRef="+url.QueryEscape("urn:altinn:dialog-id:"+id), tok, "", nil)
		if status != 200 {
			continue // a party Kari may not act for
		}
		lk := decode[struct {
			AuthorizationEvidence wEvidence `json:"authorizationEvidence"`
		}](t, body)
		ev := lk.AuthorizationEvidence
		if len(ev.Evidence) == 0 {
			t.Errorf("dialog %s: no evidence", id)
		}
		for _, it := range ev.Evidence {
			got[it.GrantType]++
			flag := map[string]bool{GrantRole: ev.ViaRole, GrantAccessPackage: ev.ViaAccessPackage, GrantResourceDelegation: ev.ViaResourceDelegation}[it.GrantType]
			if !flag || it.Subject == "" || len(it.Name) == 0 {
				t.Errorf("dialog %s: evidence %+v does not match its flags %+v", id, it, ev)
			}
		}
		if ev.CurrentAuthenticationLevel != 3 {
			t.Errorf("got level %d, want 3", ev.CurrentAuthenticationLevel)
		}
	}
	for _, g := range []string{GrantRole, GrantAccessPackage, GrantResourceDelegation} {
		if got[g] == 0 {
			t.Errorf("%s: no dialog of %s comes through it (got %v)", g, kari.Name, got)
		}
	}
}

func TestDefaultScenarioHasTheLiveUpdateDialog(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	kari := f.e.Users()[0]
	f.e.store.mu.RLock()
	defer f.e.store.mu.RUnlock()
	n := 0
	for _, d := range f.e.store.dialogs {
		if d.Content.Title.Value.Get("nb") != LiveUpdateTitle {
			continue
		}
		n++
		if d.Party != strings.ToLower("urn:altinn:person:identifier-no:"+kari.PID) {
			t.Errorf("got party %s, want Kari Nordmann herself", d.Party)
		}
		if len(d.GuiActions) == 0 || !strings.HasSuffix(d.GuiActions[0].URL, "/actions/process-later") || d.GuiActions[0].Priority != PriorityPrimary {
			t.Errorf("got GUI actions %+v, want process-later first and primary", d.GuiActions)
		}
		primaries := 0
		for _, a := range d.GuiActions {
			if a.Priority == PriorityPrimary {
				primaries++
			}
		}
		if primaries != 1 {
			t.Errorf("got %d primary actions, want 1", primaries)
		}
	}
	if n != 1 {
		t.Fatalf("got %d dialogs titled %q, want 1", n, LiveUpdateTitle)
	}
}
