package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// limited checks err is a *LimitError of limit with max, and that its message says the number.
func limited(t *testing.T, err error, limit string, max int) {
	t.Helper()
	var le *LimitError
	if !errors.Is(err, ErrLimit) || !errors.As(err, &le) || le.Limit != limit || le.Max != max ||
		!strings.Contains(err.Error(), fmt.Sprint(max)) {
		t.Fatalf("got %v, want the %q limit of %d", err, limit, max)
	}
}

func TestLimits(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		// Names: 100 characters, not bytes.
		g, err := d.CreateGroup(ctx, alice, long(MaxNameLen), nil)
		if err != nil {
			t.Fatalf("a 100-character name: %v", err)
		}
		_, err = d.CreateGroup(ctx, alice, long(MaxNameLen+1), nil)
		limited(t, err, "name", MaxNameLen)
		limited(t, d.RenameGroup(ctx, alice, g.ID, long(MaxNameLen+1)), "name", MaxNameLen)
		_, err = d.SaveSearch(ctx, alice, long(MaxNameLen+1), "")
		limited(t, err, "name", MaxNameLen)
		_, err = d.SaveSearch(ctx, alice, "long", "q="+strings.Repeat("a", MaxQueryLen))
		limited(t, err, "query", MaxQueryLen)

		// 50 groups.
		for i := 1; i < MaxGroups; i++ {
			if _, err := d.CreateGroup(ctx, alice, fmt.Sprintf("group %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		_, err = d.CreateGroup(ctx, alice, "one too many", nil)
		limited(t, err, "groups", MaxGroups)
		if gs, _ := d.Groups(ctx, alice); len(gs) != MaxGroups {
			t.Fatalf("got %d groups, want %d", len(gs), MaxGroups)
		}
		if _, err := d.CreateGroup(ctx, bob, "bob's first", nil); err != nil {
			t.Fatalf("the limit is per person: %v", err)
		}

		// 20,000 parties in a group; a refused change loses nothing.
		full := parties(MaxGroupParties)
		if err := d.SetGroupParties(ctx, alice, g.ID, full); err != nil {
			t.Fatal(err)
		}
		limited(t, d.SetGroupParties(ctx, alice, g.ID, append(parties(1), full...)), "group parties", MaxGroupParties)
		_, err = d.CreateGroup(ctx, bob, "too big", parties(MaxGroupParties+1))
		limited(t, err, "group parties", MaxGroupParties)
		if got, err := d.Group(ctx, alice, g.ID); err != nil || got.Size != MaxGroupParties ||
			got.Parties[0] != full[0] || got.Parties[MaxGroupParties-1] != full[MaxGroupParties-1] {
			t.Fatalf("after the refused change: size %d, %v; want the 20,000 parties as they were", got.Size, err)
		}

		// 200 saved searches.
		for i := range MaxSavedSearches {
			if _, err := d.SaveSearch(ctx, alice, fmt.Sprintf("search %d", i), "q=x"); err != nil {
				t.Fatal(err)
			}
		}
		_, err = d.SaveSearch(ctx, alice, "one too many", "q=x")
		limited(t, err, "saved searches", MaxSavedSearches)
		if ss, _ := d.SavedSearches(ctx, alice); len(ss) != MaxSavedSearches {
			t.Fatalf("got %d saved searches, want %d", len(ss), MaxSavedSearches)
		}
	})
}

// TestConcurrentAddsAtTheLimit: ten people-instances adding the 50th group at once, exactly one
// wins; ten adding the same name at once, exactly one wins.
func TestConcurrentAddsAtTheLimit(t *testing.T) {
	t.Parallel()
	each(t, func(t *testing.T, d *DB, _ Config) {
		ctx := t.Context()
		for i := 1; i < MaxGroups; i++ {
			if _, err := d.CreateGroup(ctx, alice, fmt.Sprintf("group %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		warm(t, d, 10)
		d.locked = func() { time.Sleep(50 * time.Millisecond) }
		errs := race(10, func(i int) error {
			_, err := d.CreateGroup(ctx, alice, fmt.Sprintf("racer %d", i), nil)
			return err
		})
		if ok, lim := tally(errs, ErrLimit); ok != 1 || lim != 9 {
			t.Fatalf("the 50th group: %d created, %d refused by the limit; want 1 and 9 (%v)", ok, lim, errs)
		}
		if gs, _ := d.Groups(ctx, alice); len(gs) != MaxGroups {
			t.Fatalf("got %d groups, want %d", len(gs), MaxGroups)
		}
		errs = race(10, func(int) error {
			_, err := d.SaveSearch(ctx, bob, "Same name", "q=x")
			return err
		})
		if ok, taken := tally(errs, ErrNameTaken); ok != 1 || taken != 9 {
			t.Fatalf("one name: %d saved, %d refused as taken; want 1 and 9 (%v)", ok, taken, errs)
		}
	})
}

// warm opens n connections at once and puts them back, so a race does not queue on connecting.
func warm(t *testing.T, d *DB, n int) {
	t.Helper()
	conns := make([]*sql.Conn, n)
	for i := range conns {
		c, err := d.db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	for _, c := range conns {
		_ = c.Close()
	}
}

// race runs fn(0..n-1) at once and returns their errors.
func race(n int, fn func(int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = fn(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// tally counts the nil errors and those matching target; any other error counts in neither.
func tally(errs []error, target error) (ok, matched int) {
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, target):
			matched++
		}
	}
	return ok, matched
}

// TestConcurrentOpens: instances starting at once on a new database all migrate it, or wait
// for the one that does, and all work.
func TestConcurrentOpens(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			cfg := b.cfg(t)
			dbs := make([]*DB, 4)
			errs := race(len(dbs), func(i int) (err error) {
				dbs[i], err = Open(t.Context(), cfg)
				return err
			})
			for i, err := range errs {
				if err != nil {
					t.Fatalf("open %d: %v", i, err)
				}
				t.Cleanup(func() { _ = dbs[i].Close() })
			}
			for i, d := range dbs {
				if _, err := d.CreateGroup(t.Context(), alice, fmt.Sprint("from ", i), nil); err != nil {
					t.Fatalf("instance %d: %v", i, err)
				}
			}
			if gs, err := dbs[0].Groups(t.Context(), alice); err != nil || len(gs) != len(dbs) {
				t.Fatalf("got %d groups, %v; want one from each instance", len(gs), err)
			}
		})
	}
}
