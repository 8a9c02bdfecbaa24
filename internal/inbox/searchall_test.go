package inbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// TestEachMatchesGlobalSort: Each yields every dialog of a search once, in the global order,
// with one party or hundreds (batches), with upstreams that clamp their pages; it stops when
// yield says so, and holds a slot of the user's expensive work while it runs.
func TestEachMatchesGlobalSort(t *testing.T) {
	t.Parallel()
	orders := []string{"updatedAt_desc", "createdAt_desc", "dueAt_asc"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for seed := range 30 {
		rnd := rand.New(rand.NewPCG(uint64(seed), 11))
		nParties := []int{1, 3, 101 + rnd.IntN(400)}[seed%3]
		orderBy := orders[rnd.IntN(len(orders))]
		limit := 1 + rnd.IntN(40)
		up := &pagedSearch{byParty: map[string][]dpclient.SearchDialog{}, cap: []int{0, 0, 3}[rnd.IntN(3)]}
		var parties []string
		var want []dpclient.SearchDialog
		for i := range nParties {
			party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", i)
			parties = append(parties, party)
			n := rnd.IntN(4)
			if nParties < 5 {
				n = 60
			}
			for j := range n {
				at := base.Add(time.Duration(rnd.IntN(3000)) * time.Minute)
				d := dpclient.SearchDialog{ID: fmt.Sprintf("d-%04d-%02d", i, j), Party: party, UpdatedAt: at, CreatedAt: at}
				if rnd.IntN(3) > 0 {
					due := at.Add(time.Hour)
					d.DueAt = &due
				}
				up.byParty[party] = append(up.byParty[party], d)
				want = append(want, d)
			}
		}
		slices.SortFunc(want, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, orderBy) })
		limiter := NewLimiter(1)
		s := NewSearch(up, limiter)
		var got []string
		err := s.Each(t.Context(), &User{Key: "k"}, parties, dpclient.SearchParams{Limit: limit, OrderBy: orderBy}, func(d dpclient.SearchDialog) bool {
			if _, err := limiter.Acquire("k"); err == nil {
				t.Fatalf("seed %d: the walk holds no slot of the user's expensive work", seed)
			}
			got = append(got, d.ID)
			return true
		})
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d (%d parties, %s, limit %d, clamp %d): %d rows, want %d", seed, nParties, orderBy, limit, up.cap, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i].ID {
				t.Fatalf("seed %d (%s): row %d is %s, want %s", seed, orderBy, i, got[i], want[i].ID)
			}
		}
		if len(want) > 5 {
			n := 0
			if err := s.Each(t.Context(), &User{Key: "k"}, parties, dpclient.SearchParams{Limit: limit, OrderBy: orderBy}, func(dpclient.SearchDialog) bool {
				n++
				return n < 5
			}); err != nil || n != 5 {
				t.Fatalf("seed %d: stopped walk: %d rows, %v; want 5", seed, n, err)
			}
		}
		if release, err := limiter.Acquire("k"); err != nil {
			t.Fatalf("seed %d: the walk did not give its slot back", seed)
		} else {
			release()
		}
	}
}
