package inbox

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
)

// DialogSearcher is what search needs of Dialogporten; *dpclient.Client satisfies it.
type DialogSearcher interface {
	SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error)
	ServiceResources(ctx context.Context, parties []string, opts ...dpclient.CallOption) (*dpclient.ServiceResourcesResult, error)
}

// MaxPartiesPerSearch is Dialogporten's limit on party values in one search.
const MaxPartiesPerSearch = 100

// searchBatches is how many batch searches of one group search run at once.
const searchBatches = 4

// Search finds a person's dialogs across one party or many, and the filter choices (facets)
// for them.
type Search struct {
	dp     DialogSearcher
	facets *cache.Cache[*Facets]
	limit  *Limiter
}

// NewSearch returns the search over dp. Group searches (more than 100 parties, several
// upstream calls) take a slot of limit for their user; nil: no limit.
func NewSearch(dp DialogSearcher, limit *Limiter) *Search {
	return &Search{dp: dp, facets: cache.New[*Facets](5*time.Minute, 10_000), limit: limit}
}

// Page is one page of a search, possibly merged from several batches.
type Page struct {
	Items   []dpclient.SearchDialog
	Cursor  string // for the next page; "" when there is none
	Batches int    // >1 when the parties were split
	Parties int
}

// batchAnswer is one batch's share of a page: the rows fetched from its position and whether
// it has more after them.
type batchAnswer struct {
	pos   batchPos
	items []dpclient.SearchDialog
	more  bool
	next  string // upstream's token after the last fetched row
}

// Dialogs runs one search over parties, split into batches of at most 100 parties.
// With one batch the cursor is Dialogporten's continuation token. With several, every batch
// still to read is asked once for a whole page from where it stands (a few at a time), and the
// answers are merged in the requested order. A batch that has more can only vouch for order up
// to its last fetched row, so the page stops at the cut-off, the earliest of those rows; rows
// beyond it wait for the next page. The cut-off batch alone has a page of rows up to it, so every
// page but the last is full, and the order is exact across batches and pages. The cursor keeps
// per batch the keyset token of the last row shown from it (ENDUSER-API.md §9).
func (s *Search) Dialogs(ctx context.Context, u *User, parties []string, p dpclient.SearchParams, cursor string) (*Page, error) {
	batches := slices.Collect(slices.Chunk(parties, MaxPartiesPerSearch))
	out := &Page{Batches: len(batches), Parties: len(parties)}
	if len(batches) <= 1 {
		p.Party = parties
		p.ContinuationToken = cursor
		res, err := s.dp.SearchDialogs(ctx, &p, u.opts()...)
		if err != nil {
			return nil, err
		}
		out.Items = res.Items
		if res.HasNextPage {
			out.Cursor = res.ContinuationToken
		}
		return out, nil
	}

	release, err := s.limit.Acquire(u.Key)
	if err != nil {
		return nil, err
	}
	defer release()
	p.OrderBy = mergeOrder(p.OrderBy)
	todo := batchCursor{}
	if cursor == "" {
		for i := range batches {
			todo[i] = batchPos{}
		}
	} else if bc, ok := decodeBatchCursor(cursor); ok {
		todo = bc
	}
	answers, err := s.fetchBatches(ctx, u, batches, todo, p)
	if err != nil {
		return nil, err
	}
	used := mergeBatches(answers, p.OrderBy, p.Limit, &out.Items)

	next := batchCursor{}
	for i, a := range answers {
		n := used[i]
		switch {
		case n < len(a.items) && n == 0: // nothing shown: continue where it stood
			next[i] = a.pos
		case n < len(a.items):
			next[i] = batchPos{Token: keysetToken(a.items[n-1], p.OrderBy)}
		case a.more && a.next != "":
			next[i] = batchPos{Token: a.next}
		case a.more && n > 0:
			next[i] = batchPos{Token: keysetToken(a.items[n-1], p.OrderBy)}
		case a.more:
			next[i] = a.pos
		}
	}
	if len(next) > 0 {
		out.Cursor = encodeBatchCursor(next)
	}
	return out, nil
}

// fetchBatches asks every batch in todo for one page (p.Limit rows) from its position, at most
// searchBatches at a time. Positions naming no batch are dropped.
func (s *Search) fetchBatches(ctx context.Context, u *User, batches [][]string, todo batchCursor, p dpclient.SearchParams) (map[int]*batchAnswer, error) {
	var (
		mu      sync.Mutex
		answers = map[int]*batchAnswer{}
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(searchBatches)
	for i, pos := range todo {
		if i < 0 || i >= len(batches) {
			continue
		}
		bp := p
		bp.Party = batches[i]
		bp.ContinuationToken = pos.Token
		g.Go(func() error {
			res, err := s.dp.SearchDialogs(gctx, &bp, u.opts()...)
			if err != nil {
				return err
			}
			a := &batchAnswer{pos: pos, items: res.Items, more: res.HasNextPage}
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
	return answers, nil
}

// mergeBatches appends to page, in order, at most limit rows of the answers up to the cut-off
// (the earliest last fetched row of the batches with more) and returns how many rows it took
// from each batch. Each batch's rows are already in order, so this is a k-way merge of their
// heads.
func mergeBatches(answers map[int]*batchAnswer, orderBy string, limit int, page *[]dpclient.SearchDialog) map[int]int {
	var cut *dpclient.SearchDialog
	for _, a := range answers {
		if a.more && len(a.items) > 0 {
			last := &a.items[len(a.items)-1]
			if cut == nil || compareItems(*last, *cut, orderBy) < 0 {
				cut = last
			}
		}
	}
	keys := slices.Sorted(maps.Keys(answers)) // a fixed order, so ties between batches are stable
	used := make(map[int]int, len(answers))
	for len(*page) < limit {
		best := -1
		for _, i := range keys {
			a := answers[i]
			if used[i] >= len(a.items) {
				continue
			}
			head := a.items[used[i]]
			if cut != nil && compareItems(head, *cut, orderBy) > 0 {
				continue
			}
			if best < 0 || compareItems(head, answers[best].items[used[best]], orderBy) < 0 {
				best = i
			}
		}
		if best < 0 {
			break
		}
		*page = append(*page, answers[best].items[used[best]])
		used[best]++
	}
	return used
}

// mergeOrder is the order a merged search asks for: one that compareItems and keysetToken
// know, updatedAt_desc otherwise.
func mergeOrder(orderBy string) string {
	switch orderBy {
	case "createdAt_desc", "dueAt_asc", "updatedAt_desc":
		return orderBy
	}
	return "updatedAt_desc"
}

// keysetToken is Dialogporten's continuation token after d in orderBy (one of mergeOrder's).
func keysetToken(d dpclient.SearchDialog, orderBy string) string {
	switch orderBy {
	case "createdAt_desc":
		return dpclient.KeysetToken(dpclient.KeyCreatedAt, &d.CreatedAt, d.ID)
	case "dueAt_asc":
		return dpclient.KeysetToken(dpclient.KeyDueAt, d.DueAt, d.ID)
	}
	return dpclient.KeysetToken(dpclient.KeyUpdatedAt, &d.UpdatedAt, d.ID)
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
