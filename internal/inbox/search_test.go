package inbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// pagedSearch is an upstream with Dialogporten's keyset paging (ENDUSER-API.md §9): each party
// owns some dialogs; a continuation token names the order key and id of the row it follows,
// and one that does not match the order is refused like upstream's 400.
type pagedSearch struct {
	noResources
	byParty map[string][]dpclient.SearchDialog
	cap     int // when >0, pages are cut to this many rows whatever the limit (a server clamp)

	mu     sync.Mutex
	calls  int
	limits []int
}

var errTokenOrder = errors.New("continuation token does not match OrderBy")

func (s *pagedSearch) SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	s.mu.Lock()
	s.calls++
	s.limits = append(s.limits, p.Limit)
	s.mu.Unlock()
	var items []dpclient.SearchDialog
	for _, party := range p.Party {
		items = append(items, s.byParty[party]...)
	}
	slices.SortFunc(items, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, p.OrderBy) })
	if p.ContinuationToken != "" {
		after, err := parseTestToken(p.ContinuationToken, p.OrderBy)
		if err != nil {
			return nil, err
		}
		i := 0
		for i < len(items) && compareItems(items[i], after, p.OrderBy) <= 0 {
			i++
		}
		items = items[i:]
	}
	end := min(len(items), p.Limit)
	if s.cap > 0 {
		end = min(end, s.cap)
	}
	res := &dpclient.SearchResult{Items: items[:end], HasNextPage: end < len(items)}
	if end > 0 {
		res.ContinuationToken = keysetToken(items[end-1], p.OrderBy)
	}
	return res, nil
}

// parseTestToken reads "key_value,id_value" back into a probe row, refusing a token whose key
// is not the order's.
func parseTestToken(tok, orderBy string) (dpclient.SearchDialog, error) {
	var probe dpclient.SearchDialog
	keyPart, idPart, ok := strings.Cut(tok, ",")
	key, val, ok2 := strings.Cut(keyPart, "_")
	id, ok3 := strings.CutPrefix(idPart, "id_")
	if !ok || !ok2 || !ok3 {
		return probe, fmt.Errorf("malformed token %q", tok)
	}
	want := map[string]string{"createdAt_desc": "createdat", "dueAt_asc": "dueat", "updatedAt_desc": "updatedat"}[orderBy]
	if key != want {
		return probe, fmt.Errorf("%w: key %q, order %q", errTokenOrder, key, orderBy)
	}
	probe.ID = id
	if val == "" {
		if key != "dueat" {
			return probe, fmt.Errorf("empty %s", key)
		}
		return probe, nil
	}
	at, err := time.Parse(time.RFC3339Nano, val)
	if err != nil {
		return probe, err
	}
	if len(val) != len("2006-01-02T15:04:05.0000000Z") || !strings.HasSuffix(val, "Z") {
		return probe, fmt.Errorf("timestamp %q not in the round-trip format", val)
	}
	switch key {
	case "createdat":
		probe.CreatedAt = at
	case "updatedat":
		probe.UpdatedAt = at
	case "dueat":
		probe.DueAt = &at
	}
	return probe, nil
}

// TestSearchPartiesPagesExactly: across batches, "show more" shows every dialog once, in the
// requested order across pages, every page but the last full, with one upstream call per batch
// still to read per page. Times collide often, so the id tiebreak is exercised too. An upstream
// that answers shorter pages than asked (clamp) still gives the exact order; pages may then be
// shorter.
func TestSearchPartiesPagesExactly(t *testing.T) {
	t.Parallel()
	for _, orderBy := range []string{"updatedAt_desc", "createdAt_desc", "dueAt_asc"} {
		for _, spread := range []int{100000, 37} { // distinct times; many ties
			for _, clamp := range []int{0, 7} {
				t.Run(fmt.Sprintf("%s/%d/clamp%d", orderBy, spread, clamp), func(t *testing.T) {
					t.Parallel()
					up := &pagedSearch{byParty: map[string][]dpclient.SearchDialog{}, cap: clamp}
					var parties []string
					base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
					total := 0
					for i := range 250 {
						party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", i)
						parties = append(parties, party)
						n := i % 4 // 0–3 dialogs per party, times interleaved across batches
						if i >= 200 {
							n = 25 // the last batch is dense: its rows run far past the others'
						}
						for j := range n {
							total++
							at := base.Add(time.Duration((i*7919+j*104729)%spread) * time.Minute)
							d := dpclient.SearchDialog{
								ID: fmt.Sprintf("d-%03d-%02d", i, j), Party: party, UpdatedAt: at, CreatedAt: at.Add(time.Duration(j) * time.Hour),
							}
							if (i+j)%3 != 0 {
								due := at.Add(48 * time.Hour)
								d.DueAt = &due
							}
							up.byParty[party] = append(up.byParty[party], d)
						}
					}
					var want []dpclient.SearchDialog
					for _, p := range parties {
						want = append(want, up.byParty[p]...)
					}
					slices.SortFunc(want, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, orderBy) })

					params := dpclient.SearchParams{Limit: 50, OrderBy: orderBy}
					var got []dpclient.SearchDialog
					cursor, pages := "", 0
					for {
						before := up.calls
						out, err := NewSearch(up, nil).Dialogs(t.Context(), &User{}, parties, params, cursor)
						if err != nil {
							t.Fatalf("page %d: %v", pages+1, err)
						}
						pages++
						if out.Batches != 3 {
							t.Errorf("batches %d, want 3", out.Batches)
						}
						if calls := up.calls - before; calls > 3 {
							t.Errorf("page %d: %d upstream calls, want at most one per batch (3)", pages, calls)
						}
						if clamp == 0 && out.Cursor != "" && len(out.Items) != params.Limit {
							t.Errorf("page %d has %d items, want a full page of %d", pages, len(out.Items), params.Limit)
						}
						if len(out.Items) > params.Limit {
							t.Fatalf("page %d has %d items, limit %d", pages, len(out.Items), params.Limit)
						}
						got = append(got, out.Items...)
						if out.Cursor == "" {
							break
						}
						cursor = out.Cursor
						if len(out.Items) == 0 {
							t.Fatalf("page %d is empty but has a next page", pages)
						}
						if pages > 1000 {
							t.Fatal("paging does not end")
						}
					}
					if len(got) != len(want) {
						t.Fatalf("saw %d dialogs in %d pages, want all %d", len(got), pages, total)
					}
					for i := range want {
						if got[i].ID != want[i].ID {
							t.Fatalf("row %d (page %d): got %s, want %s: not in %s order across pages", i, i/params.Limit+1, got[i].ID, want[i].ID, orderBy)
						}
					}
					for _, l := range up.limits {
						if l != params.Limit {
							t.Errorf("a batch was asked for %d rows, want %d (never more than a page)", l, params.Limit)
							break
						}
					}
				})
			}
		}
	}
}

// TestKeysetToken: the token names the order's key in Dialogporten's format (§9), a null dueAt
// as empty.
func TestKeysetToken(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 7, 31, 11, 9, 3, 25709000, time.FixedZone("CEST", 2*3600))
	d := dpclient.SearchDialog{ID: "0190fbd7-0000-7000-8000-000000000001", UpdatedAt: at, CreatedAt: at.Add(-time.Hour)}
	tests := []struct {
		orderBy string
		due     *time.Time
		want    string
	}{
		{"updatedAt_desc", nil, "updatedat_2024-07-31T09:09:03.0257090Z,id_0190fbd7-0000-7000-8000-000000000001"},
		{"createdAt_desc", nil, "createdat_2024-07-31T08:09:03.0257090Z,id_0190fbd7-0000-7000-8000-000000000001"},
		{"dueAt_asc", nil, "dueat_,id_0190fbd7-0000-7000-8000-000000000001"},
		{"dueAt_asc", &at, "dueat_2024-07-31T09:09:03.0257090Z,id_0190fbd7-0000-7000-8000-000000000001"},
	}
	for _, tt := range tests {
		d := d
		d.DueAt = tt.due
		if got := keysetToken(d, tt.orderBy); got != tt.want {
			t.Errorf("keysetToken(%s, due %v) = %q, want %q", tt.orderBy, tt.due, got, tt.want)
		}
	}
	if got := mergeOrder(""); got != "updatedAt_desc" {
		t.Errorf("mergeOrder(\"\") = %q, want updatedAt_desc", got)
	}
}

func TestBatchCursorRejectsGarbage(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "x", "b.", "b.!!!", "b.e30"} {
		c, ok := decodeBatchCursor(s)
		if s == "b.e30" { // "{}" decodes to an empty cursor
			if !ok || len(c) != 0 {
				t.Errorf("decode(%q) = %v %v", s, c, ok)
			}
			continue
		}
		if ok {
			t.Errorf("decode(%q) accepted", s)
		}
	}
	c := batchCursor{0: {Token: "a"}, 7: {Token: "b"}}
	got, ok := decodeBatchCursor(encodeBatchCursor(c))
	if !ok || got[0] != c[0] || got[7] != c[7] {
		t.Errorf("round trip %v", got)
	}
}

// sortedBatches is a fast keyset upstream for the benchmark: every batch's rows sorted once,
// keyed by the batch's first party.
type sortedBatches struct {
	noResources
	rows map[string][]dpclient.SearchDialog
	cap  int // when >0, pages are cut to this many rows whatever the limit

	mu            sync.Mutex
	calls, served int
}

func (s *sortedBatches) SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	items := s.rows[p.Party[0]]
	if p.ContinuationToken != "" {
		after, err := parseTestToken(p.ContinuationToken, p.OrderBy)
		if err != nil {
			return nil, err
		}
		i, _ := slices.BinarySearchFunc(items, after, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, p.OrderBy) })
		for i < len(items) && compareItems(items[i], after, p.OrderBy) <= 0 {
			i++
		}
		items = items[i:]
	}
	end := min(len(items), p.Limit)
	if s.cap > 0 {
		end = min(end, s.cap)
	}
	s.mu.Lock()
	s.calls++
	s.served += end
	s.mu.Unlock()
	res := &dpclient.SearchResult{Items: items[:end], HasNextPage: end < len(items)}
	if end > 0 {
		res.ContinuationToken = keysetToken(items[end-1], p.OrderBy)
	}
	return res, nil
}

// BenchmarkSearchPartiesAllOrgs20 pages four times (50 rows each) through "all organisations"
// for an accountant with 2,000 parties (20 batches of 100, 5 dialogs each), upstream answers
// prebuilt: the merge's own cost, and the upstream calls and rows fetched per page.
func BenchmarkSearchPartiesAllOrgs20(b *testing.B) {
	up := &sortedBatches{rows: map[string][]dpclient.SearchDialog{}}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var parties []string
	for i := range 2000 {
		party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 300000000+i)
		parties = append(parties, party)
		first := parties[i/100*100]
		for j := range 5 {
			up.rows[first] = append(up.rows[first], dpclient.SearchDialog{
				ID: fmt.Sprintf("0190fbd7-0000-7000-8000-%06d%06d", i, j), Party: party,
				UpdatedAt: base.Add(time.Duration((i*7919+j*104729)%500000) * time.Second),
			})
		}
	}
	for k, rows := range up.rows {
		slices.SortFunc(rows, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, "updatedAt_desc") })
		up.rows[k] = rows
	}
	params := dpclient.SearchParams{Limit: 50, OrderBy: "updatedAt_desc"}
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		cursor := ""
		for range 4 {
			out, err := NewSearch(up, nil).Dialogs(b.Context(), &User{}, parties, params, cursor)
			if err != nil || len(out.Items) != params.Limit {
				b.Fatalf("page: %d rows, %v", len(out.Items), err)
			}
			cursor = out.Cursor
			pages++
		}
	}
	b.ReportMetric(float64(up.calls)/float64(pages), "calls/page")
	b.ReportMetric(float64(up.served)/float64(pages), "rows-fetched/page")
}

// noResources answers the facets' call with nothing (the search tests need only SearchDialogs).
type noResources struct{}

func (noResources) ServiceResources(context.Context, []string, ...dpclient.CallOption) (*dpclient.ServiceResourcesResult, error) {
	return &dpclient.ServiceResourcesResult{}, nil
}

// TestGroupSearchMatchesGlobalSort is property-style: over many random group searches (batch
// counts, dialogs per party, colliding times, orders, page sizes, upstreams that clamp their
// pages, kept rows used or lost between pages), the pages joined are exactly one global sort of
// every dialog, no page is over its limit, no batch is asked twice for one page, and without a
// clamp every page but the last is full.
func TestGroupSearchMatchesGlobalSort(t *testing.T) {
	t.Parallel()
	orders := []string{"updatedAt_desc", "createdAt_desc", "dueAt_asc"}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for seed := range 60 {
		rnd := rand.New(rand.NewPCG(uint64(seed), 7))
		nParties := 101 + rnd.IntN(600)
		spread := 1 + rnd.IntN(5000)
		limit := 5 + rnd.IntN(50)
		clamp := []int{0, 0, 3, limit / 2}[rnd.IntN(4)]
		orderBy := orders[rnd.IntN(len(orders))]
		up := &sortedBatches{rows: map[string][]dpclient.SearchDialog{}, cap: clamp}
		var parties []string
		var want []dpclient.SearchDialog
		for i := range nParties {
			party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", i)
			parties = append(parties, party)
			n := rnd.IntN(4)
			if rnd.IntN(20) == 0 {
				n = 40 // a dense party
			}
			for j := range n {
				at := base.Add(time.Duration(rnd.IntN(spread)) * time.Minute)
				d := dpclient.SearchDialog{ID: fmt.Sprintf("d-%04d-%02d", i, j), Party: party, UpdatedAt: at, CreatedAt: at.Add(time.Duration(rnd.IntN(3)) * time.Hour)}
				if rnd.IntN(3) > 0 {
					due := at.Add(time.Duration(rnd.IntN(spread)) * time.Minute)
					d.DueAt = &due
				}
				first := parties[i/MaxPartiesPerSearch*MaxPartiesPerSearch]
				up.rows[first] = append(up.rows[first], d)
				want = append(want, d)
			}
		}
		byOrder := func(a, b dpclient.SearchDialog) int { return compareItems(a, b, orderBy) }
		slices.SortFunc(want, byOrder)
		for _, rows := range up.rows {
			slices.SortFunc(rows, byOrder)
		}
		batches := (nParties + MaxPartiesPerSearch - 1) / MaxPartiesPerSearch
		s := NewSearch(up, nil)
		var got []dpclient.SearchDialog
		cursor := ""
		for page := 1; ; page++ {
			if rnd.IntN(4) == 0 {
				s = NewSearch(up, nil) // the kept rows are gone (another instance, expired)
			}
			before := up.calls
			out, err := s.Dialogs(t.Context(), &User{Key: "k"}, parties, dpclient.SearchParams{Limit: limit, OrderBy: orderBy}, cursor)
			if err != nil {
				t.Fatalf("seed %d page %d: %v", seed, page, err)
			}
			if len(out.Items) > limit || up.calls-before > batches {
				t.Fatalf("seed %d page %d: %d rows (limit %d), %d calls (%d batches)", seed, page, len(out.Items), limit, up.calls-before, batches)
			}
			if clamp == 0 && out.Cursor != "" && len(out.Items) != limit {
				t.Fatalf("seed %d page %d: %d rows, want a full page of %d", seed, page, len(out.Items), limit)
			}
			got = append(got, out.Items...)
			if out.Cursor == "" {
				break
			}
			if page > 10_000 {
				t.Fatalf("seed %d: paging does not end", seed)
			}
			cursor = out.Cursor
		}
		if len(got) != len(want) {
			t.Fatalf("seed %d (%s, limit %d, clamp %d): %d rows, want %d", seed, orderBy, limit, clamp, len(got), len(want))
		}
		for i := range want {
			if got[i].ID != want[i].ID {
				t.Fatalf("seed %d (%s, limit %d, clamp %d): row %d is %s, want %s", seed, orderBy, limit, clamp, i, got[i].ID, want[i].ID)
			}
		}
	}
}

// TestGroupSearchNextPageAsksOnlyWhatRunsOut: the second page of a group search is served from
// the rows the first fetched, without asking batches whose rows cannot reach it.
func TestGroupSearchNextPageAsksOnlyWhatRunsOut(t *testing.T) {
	t.Parallel()
	up, parties := groupUpstream(2000)
	s := NewSearch(up, nil)
	p := dpclient.SearchParams{Limit: 50, OrderBy: "updatedAt_desc"}
	first, err := s.Dialogs(t.Context(), &User{Key: "a"}, parties, p, "")
	if err != nil || up.calls != 20 {
		t.Fatalf("first page: %v, %d calls, want 20", err, up.calls)
	}
	second, err := s.Dialogs(t.Context(), &User{Key: "a"}, parties, p, first.Cursor)
	if err != nil || len(second.Items) != 50 {
		t.Fatalf("second page: %v, %d rows", err, len(second.Items))
	}
	if up.calls != 20 {
		t.Errorf("second page asked %d batches, want 0 (every batch still had rows for it)", up.calls-20)
	}
	// Another session does not see a's kept rows: it asks again from the cursor.
	if _, err := s.Dialogs(t.Context(), &User{Key: "b"}, parties, p, first.Cursor); err != nil || up.calls != 40 {
		t.Errorf("another session's next page: %v, %d calls in all, want 40", err, up.calls)
	}
}

// TestGroupSearchRefusesAForeignCursor: a cursor that names none of a group search's batches
// (garbage, or batches the search does not have) is a bad request, not an empty page; the
// upstream is not asked.
func TestGroupSearchRefusesAForeignCursor(t *testing.T) {
	t.Parallel()
	up, parties := groupUpstream(300)
	s := NewSearch(up, nil)
	p := dpclient.SearchParams{Limit: 50, OrderBy: "updatedAt_desc"}
	for _, cursor := range []string{"garbage", "b.!!!", encodeBatchCursor(batchCursor{9: {Token: "x"}})} {
		out, err := s.Dialogs(t.Context(), &User{Key: "a"}, parties, p, cursor)
		if !errors.Is(err, ErrBadCursor) || !errors.Is(err, dpclient.ErrBadRequest) {
			t.Errorf("cursor %q: got %v, %v; want ErrBadCursor, a bad request", cursor, out, err)
		}
	}
	if up.calls != 0 {
		t.Errorf("%d upstream calls for refused cursors, want 0", up.calls)
	}
}
