package dpemu

import (
	"testing"
	"time"
)

// TestMassiveScenario: the massive user may act for 100,000 distinct parties (persons,
// organisations, sub-units under their parents), some with dialogs.
func TestMassiveScenario(t *testing.T) {
	t.Parallel()
	st := NewStore(func() time.Time { return fixedNow }, 1)
	start := time.Now()
	sc, err := BuildScenario(st, ScenarioOptions{Name: "massive", Seed: 1, BaseURL: "http://e", Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("massive scenario built in %s", time.Since(start))
	users := sc.Users()
	if len(users) != 1 {
		t.Fatalf("%d users, want 1", len(users))
	}
	u, _ := st.User(users[0].PID)
	seen := map[string]bool{}
	kinds := map[PartyType]int{}
	subs := 0
	for _, a := range u.Access {
		p, ok := st.Party(a.Party)
		if !ok || seen[a.Party] {
			t.Fatalf("access to %q: known %v, twice %v", a.Party, ok, seen[a.Party])
		}
		seen[a.Party] = true
		kinds[p.Type]++
		if p.Parent != "" {
			subs++
			if !seen[p.Parent] {
				t.Errorf("sub-unit %s before its parent", p.URN)
			}
		}
	}
	if len(seen) != 100_000 || kinds[PartyPerson] < 1000 || subs < 4000 {
		t.Errorf("%d parties (%d persons, %d sub-units), want 100,000 with ≥1,000 persons and ≥4,000 sub-units", len(seen), kinds[PartyPerson], subs)
	}
	if n := len(st.dialogs); n < 4000 {
		t.Errorf("%d dialogs, want at least 4,000", n)
	}
}
