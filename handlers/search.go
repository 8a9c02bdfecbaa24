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

// batchPos is where one batch continues: its upstream token and how many items of that page
// were already shown.
type batchPos struct {
	Token string `json:"t,omitempty"`
	Skip  int    `json:"s,omitempty"`
}

// batchCursor holds, per batch index, where each batch that has more continues.
type batchCursor map[int]batchPos

// searchParties runs one search over parties, split into batches of at most 100 parties.
// With one batch the cursor is Dialogporten's continuation token. With several, every batch is
// asked for a share of the page (a few at a time), the answers are merged in the requested order
// and cut to one page; the cursor remembers per batch its token and how many of that page were
// shown, so "show more" loses and repeats nothing. The order is exact within the fetched window
// and approximate across batches beyond it.
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

	todo := batchCursor{}
	if cursor == "" {
		for i := range batches {
			todo[i] = batchPos{}
		}
	} else if bc, ok := decodeBatchCursor(cursor); ok {
		todo = bc
	}
	per := max(5, p.Limit/max(1, len(todo)))
	type answer struct {
		pos   batchPos
		items []dpclient.SearchDialog
		next  string // token of the following page; "" when none
	}
	var (
		mu      sync.Mutex
		answers = map[int]*answer{}
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(searchBatches)
	for i, pos := range todo {
		if i < 0 || i >= len(batches) || pos.Skip < 0 || pos.Skip > 1000-per {
			continue
		}
		bp := p
		bp.Party = batches[i]
		bp.ContinuationToken = pos.Token
		bp.Limit = pos.Skip + per
		g.Go(func() error {
			res, err := dp.SearchDialogs(gctx, &bp, opts...)
			if err != nil {
				return err
			}
			a := &answer{pos: pos, items: res.Items[min(pos.Skip, len(res.Items)):]}
			if res.HasNextPage {
				a.next = res.ContinuationToken
			}
			mu.Lock()
			answers[i] = a
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	type tagged struct {
		batch int
		item  dpclient.SearchDialog
	}
	var all []tagged
	for i, a := range answers {
		for _, it := range a.items {
			all = append(all, tagged{i, it})
		}
	}
	slices.SortStableFunc(all, func(a, b tagged) int { return compareItems(a.item, b.item, p.OrderBy) })
	shown := all[:min(len(all), p.Limit)]
	used := map[int]int{}
	for _, t := range shown {
		out.Items = append(out.Items, t.item)
		used[t.batch]++
	}
	next := batchCursor{}
	for i, a := range answers {
		switch {
		case used[i] < len(a.items): // part of this page is still to show
			next[i] = batchPos{Token: a.pos.Token, Skip: a.pos.Skip + used[i]}
		case a.next != "":
			next[i] = batchPos{Token: a.next}
		}
	}
	if len(next) > 0 {
		out.Cursor = encodeBatchCursor(next)
	}
	return out, nil
}

// compareItems orders search items the way Dialogporten orders one search.
func compareItems(a, b dpclient.SearchDialog, orderBy string) int {
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
