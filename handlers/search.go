package handlers

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/innboks/innboks/dpclient"
)

// DialogSearcher is what the inbox needs from dpclient.
type DialogSearcher interface {
	SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error)
	ServiceResources(ctx context.Context, parties []string, opts ...dpclient.CallOption) (*dpclient.ServiceResourcesResult, error)
}

// maxPartiesPerSearch is Dialogporten's limit on party values in one search.
const maxPartiesPerSearch = 100

// searchBatches is how many batch searches run at once for "all organisations".
const searchBatches = 4

// searchOutcome is a page of dialogs, possibly merged from several batches.
type searchOutcome struct {
	Items   []dpclient.SearchDialog
	Cursor  string // for the next page; "" when there is none
	Batches int    // >1 when the parties were split
	Parties int
}

// batchCursor holds, per batch index, the continuation token of batches that have more.
type batchCursor map[int]string

// searchParties runs one search over parties, split into batches of at most 100 parties.
// With one batch the cursor is Dialogporten's continuation token. With several, all batches run
// (a few at a time), their pages are merged in the requested order, and the cursor remembers
// each batch's own token, so "show more" continues every batch where it stopped; the merged
// order is exact within a page and approximate across pages.
func searchParties(ctx context.Context, dp DialogSearcher, parties []string, p dpclient.SearchParams, cursor string, opts []dpclient.CallOption) (*searchOutcome, error) {
	batches := slices.Collect(slices.Chunk(parties, maxPartiesPerSearch))
	out := &searchOutcome{Batches: len(batches), Parties: len(parties)}
	if len(batches) <= 1 {
		p.Party = parties
		p.ContinuationToken = cursor
		res, err := dp.SearchDialogs(ctx, &p, opts...)
		if err != nil {
			return nil, err
		}
		out.Items = res.Items
		if res.HasNextPage {
			out.Cursor = res.ContinuationToken
		}
		return out, nil
	}

	todo := map[int]string{}
	if cursor == "" {
		for i := range batches {
			todo[i] = ""
		}
	} else if bc, ok := decodeBatchCursor(cursor); ok {
		todo = bc
	}
	// Each batch asks for a share of the page, so a page stays about one page long.
	per := max(10, p.Limit/max(1, min(len(todo), 10)))
	var (
		mu   sync.Mutex
		next = batchCursor{}
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(searchBatches)
	for i, token := range todo {
		if i < 0 || i >= len(batches) {
			continue
		}
		bp := p
		bp.Party = batches[i]
		bp.ContinuationToken = token
		bp.Limit = per
		g.Go(func() error {
			res, err := dp.SearchDialogs(gctx, &bp, opts...)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			out.Items = append(out.Items, res.Items...)
			if res.HasNextPage {
				next[i] = res.ContinuationToken
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sortItems(out.Items, p.OrderBy)
	if len(next) > 0 {
		out.Cursor = encodeBatchCursor(next)
	}
	return out, nil
}

// sortItems orders merged batch results the way Dialogporten orders one search.
func sortItems(items []dpclient.SearchDialog, orderBy string) {
	slices.SortStableFunc(items, func(a, b dpclient.SearchDialog) int {
		var c int
		switch orderBy {
		case "createdAt_desc":
			c = b.CreatedAt.Compare(a.CreatedAt)
		case "dueAt_asc": // nulls last, as PostgreSQL orders ascending
			switch {
			case a.DueAt == nil && b.DueAt == nil:
			case a.DueAt == nil:
				c = 1
			case b.DueAt == nil:
				c = -1
			default:
				c = a.DueAt.Compare(*b.DueAt)
			}
		default:
			c = b.UpdatedAt.Compare(a.UpdatedAt)
		}
		return cmp.Or(c, cmp.Compare(b.ID, a.ID))
	})
}

func encodeBatchCursor(c batchCursor) string {
	b, _ := json.Marshal(c)
	return "b." + base64.RawURLEncoding.EncodeToString(b)
}

func decodeBatchCursor(s string) (batchCursor, bool) {
	if len(s) < 2 || s[:2] != "b." {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(s[2:])
	if err != nil {
		return nil, false
	}
	var c batchCursor
	if json.Unmarshal(raw, &c) != nil {
		return nil, false
	}
	return c, true
}
