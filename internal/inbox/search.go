package inbox

import (
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"
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

// searchBatches is how many batch searches of one group search run at once. A first page of
// "all organisations" at 15,000 parties asks 150 batches, in 15 rounds of 10; with the Limiter's
// group searches per session (4 in app), one session has at most 40 searches at Dialogporten.
const searchBatches = 10

// Search finds a person's dialogs across one party or many, and the filter choices (facets)
// for them.
type Search struct {
	dp     DialogSearcher
	facets *cache.Cache[*Facets]
	groups *cache.Cache[[]*batch] // where each group search stood after its last page
	seed   maphash.Seed
	limit  *Limiter
}

// NewSearch returns the search over dp. Group searches (more than 100 parties, several
// upstream calls) take a slot of limit for their user; nil: no limit.
func NewSearch(dp DialogSearcher, limit *Limiter) *Search {
	return &Search{dp: dp, facets: cache.New[*Facets](5*time.Minute, 10_000),
		groups: cache.New[[]*batch](time.Minute, 2_000), seed: maphash.MakeSeed(), limit: limit}
}

// Page is one page of a search, possibly merged from several batches.
type Page struct {
	Items   []dpclient.SearchDialog
	Cursor  string // for the next page; "" when there is none
	Batches int    // >1 when the parties were split
	Parties int
}

// batch is where one batch of a group search stands.
type batch struct {
	idx   int
	pos   string                  // keyset token after the last row shown ("" from its start)
	rows  []dpclient.SearchDialog // fetched and not shown yet, in order
	more  bool                    // rows may follow rows
	next  string                  // the token that asks for them
	floor *dpclient.SearchDialog  // when more: no row after rows comes before it; nil: unknown
	asked bool                    // asked during this page
}

// ErrBadCursor is a group search's cursor that names no place in its batches. It is a bad
// request (dpclient.ErrBadRequest), like a continuation token Dialogporten refuses.
var ErrBadCursor = fmt.Errorf("inbox: the cursor is not one of this search's: %w", dpclient.ErrBadRequest)

// Dialogs runs one search over parties, split into batches of at most 100 parties.
// With one batch the cursor is Dialogporten's continuation token. With several, the batches'
// rows are merged in the requested order, lazily: a batch is asked (a few at a time) only when
// the merge reaches its end, that is when its next, unknown row could come before the rows
// still to show. The first page asks every batch once; a next page resumes from the rows the
// previous one fetched but did not show (kept per session for a minute, at most a page of
// them) and asks only the batches that run out. A batch is asked at most once per page (an
// upstream that answers fewer rows than asked then gives a shorter page), so the order is exact
// across batches and pages. The cursor keeps per batch the keyset token of the last row shown
// from it (ENDUSER-API.md §9); without the kept rows it restarts every batch from there.
func (s *Search) Dialogs(ctx context.Context, u *User, parties []string, p dpclient.SearchParams, cursor string) (*Page, error) {
	parts := slices.Collect(slices.Chunk(parties, MaxPartiesPerSearch))
	out := &Page{Batches: len(parts), Parties: len(parties)}
	if len(parts) <= 1 {
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
	key := s.groupKey(u, parties, p)
	bs := s.resume(key, cursor, len(parts))
	if cursor != "" && len(bs) == 0 {
		// Not a cursor this search gave out (an edited or truncated address): a refusal, as
		// Dialogporten refuses a token it did not give, not an empty page.
		return nil, ErrBadCursor
	}
	for len(out.Items) < p.Limit {
		take, dry := plan(bs, p.Limit-len(out.Items), p.OrderBy)
		for _, b := range take {
			out.Items = append(out.Items, b.rows[0])
			b.pos, b.rows = keysetToken(b.rows[0], p.OrderBy), b.rows[1:]
		}
		if len(dry) == 0 || slices.ContainsFunc(dry, func(b *batch) bool { return b.asked }) {
			break
		}
		if err := s.fetch(ctx, u, parts, dry, p); err != nil {
			return nil, err
		}
	}
	next := batchCursor{}
	for _, b := range bs {
		if len(b.rows) > 0 || b.more {
			next[b.idx] = batchPos{Token: b.pos}
		}
	}
	if len(next) > 0 {
		out.Cursor = encodeBatchCursor(next)
		s.groups.Put(key+out.Cursor, keep(bs, p.Limit, p.OrderBy))
	}
	return out, nil
}

// groupKey names a group search of a session without its cursor: user, language, parties and
// filters.
func (s *Search) groupKey(u *User, parties []string, p dpclient.SearchParams) string {
	var h maphash.Hash
	h.SetSeed(s.seed)
	for _, party := range parties {
		h.WriteString(party)
		h.WriteByte(0)
	}
	p.Party, p.ContinuationToken = nil, ""
	return fmt.Sprintf("%s|%s|%x|%s|", u.Key, u.Lang, h.Sum64(), p.Values().Encode())
}

// resume is the batches where cursor left them: the kept ones (copied, as parallel requests
// may resume one), or else each batch named by the cursor, from its position and unasked.
func (s *Search) resume(key, cursor string, n int) []*batch {
	if kept, ok := s.groups.Peek(key + cursor); ok && cursor != "" {
		bs := make([]*batch, len(kept))
		for i, b := range kept {
			c := *b
			c.rows = slices.Clone(b.rows)
			bs[i] = &c
		}
		return bs
	}
	todo := batchCursor{}
	if cursor == "" {
		for i := range n {
			todo[i] = batchPos{}
		}
	} else if bc, ok := decodeBatchCursor(cursor); ok {
		todo = bc
	}
	var bs []*batch
	for _, i := range slices.Sorted(maps.Keys(todo)) {
		if i >= 0 && i < n {
			bs = append(bs, &batch{idx: i, pos: todo[i].Token, next: todo[i].Token, more: true})
		}
	}
	return bs
}

// plan merges the batches' heads for up to need rows without changing them. take is the rows
// it may show now (by batch, in order): those before the first batch that runs out while it
// has more. dry is the batches that run out before need rows, to ask.
func plan(bs []*batch, need int, orderBy string) (take, dry []*batch) {
	off := make([]int, len(bs))
	out := make([]bool, len(bs))
	for n := 0; n < need; {
		best, virtual := -1, false
		var head *dpclient.SearchDialog
		for i, b := range bs {
			var h *dpclient.SearchDialog
			switch {
			case out[i]:
				continue
			case off[i] < len(b.rows):
				h = &b.rows[off[i]]
			case !b.more:
				continue
			case b.floor == nil: // never asked: anything may come first
				out[i], dry = true, append(dry, b)
				continue
			default:
				h = b.floor
			}
			if best < 0 || compareItems(*h, *head, orderBy) < 0 {
				best, head, virtual = i, h, off[i] >= len(b.rows)
			}
		}
		switch {
		case best < 0:
			return take, dry
		case virtual:
			out[best], dry = true, append(dry, bs[best])
			continue
		case len(dry) == 0:
			take = append(take, bs[best])
		}
		off[best]++
		n++
	}
	return take, dry
}

// fetch asks each batch of dry for a page after its rows, at most searchBatches at a time.
func (s *Search) fetch(ctx context.Context, u *User, parts [][]string, dry []*batch, p dpclient.SearchParams) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(searchBatches)
	for _, b := range dry {
		bp := p
		bp.Party, bp.ContinuationToken = parts[b.idx], b.next
		g.Go(func() error {
			res, err := s.dp.SearchDialogs(gctx, &bp, u.opts()...)
			if err != nil {
				return err
			}
			b.asked, b.more = true, res.HasNextPage && len(res.Items) > 0
			b.rows = append(b.rows, res.Items...)
			if b.more {
				last := res.Items[len(res.Items)-1]
				b.floor, b.next = &last, cmp.Or(res.ContinuationToken, keysetToken(last, p.OrderBy))
			}
			return nil
		})
	}
	return g.Wait()
}

// keep is what a next page needs of the batches: the rows it can show without asking (at most
// limit of them); a batch's rows beyond are dropped, its first dropped row becoming its floor.
func keep(bs []*batch, limit int, orderBy string) []*batch {
	take, _ := plan(bs, limit, orderBy)
	out := make([]*batch, len(bs))
	for i, b := range bs {
		k := 0
		for _, t := range take {
			if t == b {
				k++
			}
		}
		c := *b
		c.asked, c.rows = false, slices.Clone(b.rows[:k])
		if k < len(b.rows) {
			d := b.rows[k]
			c.more, c.floor = true, &dpclient.SearchDialog{ID: d.ID, UpdatedAt: d.UpdatedAt, CreatedAt: d.CreatedAt, DueAt: d.DueAt}
			c.next = b.pos
			if k > 0 {
				c.next = keysetToken(b.rows[k-1], orderBy)
			}
		}
		out[i] = &c
	}
	return out
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
