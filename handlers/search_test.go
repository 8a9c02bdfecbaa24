package handlers

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// pagedSearch is an upstream with real keyset-like paging: each party owns some dialogs, the
// token is the offset into the ordered result of the asked parties.
type pagedSearch struct {
	fakeDP
	byParty map[string][]dpclient.SearchDialog
}

func (s *pagedSearch) SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	var items []dpclient.SearchDialog
	for _, party := range p.Party {
		items = append(items, s.byParty[party]...)
	}
	slices.SortFunc(items, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, p.OrderBy) })
	off := 0
	if p.ContinuationToken != "" {
		off, _ = strconv.Atoi(p.ContinuationToken)
	}
	end := min(len(items), off+p.Limit)
	res := &dpclient.SearchResult{Items: items[off:end], HasNextPage: end < len(items)}
	if res.HasNextPage {
		res.ContinuationToken = strconv.Itoa(end)
	}
	return res, nil
}

// TestSearchPartiesPagesExactly: across batches, "show more" shows every dialog once, and pages
// stay one page long.
func TestSearchPartiesPagesExactly(t *testing.T) {
	t.Parallel()
	up := &pagedSearch{byParty: map[string][]dpclient.SearchDialog{}}
	var parties []string
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	total := 0
	for i := range 250 {
		party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", i)
		parties = append(parties, party)
		for j := range i % 4 { // 0–3 dialogs per party, times interleaved across batches
			total++
			up.byParty[party] = append(up.byParty[party], dpclient.SearchDialog{
				ID: fmt.Sprintf("d-%03d-%d", i, j), Party: party, UpdatedAt: base.Add(time.Duration((i*7919+j*104729)%100000) * time.Minute),
			})
		}
	}
	params := dpclient.SearchParams{Limit: 50, OrderBy: "updatedAt_desc"}
	seen := map[string]bool{}
	cursor, pages := "", 0
	for {
		out, err := searchParties(t.Context(), up, parties, params, cursor, nil)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(out.Items) > params.Limit {
			t.Fatalf("page %d has %d items, limit %d", pages, len(out.Items), params.Limit)
		}
		if out.Batches != 3 {
			t.Errorf("batches %d, want 3", out.Batches)
		}
		for i, it := range out.Items {
			if seen[it.ID] {
				t.Fatalf("page %d repeats %s", pages, it.ID)
			}
			seen[it.ID] = true
			if i > 0 && compareItems(out.Items[i-1], it, params.OrderBy) > 0 {
				t.Errorf("page %d out of order at %d", pages, i)
			}
		}
		if out.Cursor == "" {
			break
		}
		cursor = out.Cursor
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != total {
		t.Errorf("saw %d dialogs in %d pages, want all %d", len(seen), pages, total)
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
	c := batchCursor{0: {Token: "a", Skip: 3}, 7: {Token: "b"}}
	got, ok := decodeBatchCursor(encodeBatchCursor(c))
	if !ok || got[0] != c[0] || got[7] != c[7] {
		t.Errorf("round trip %v", got)
	}
}
