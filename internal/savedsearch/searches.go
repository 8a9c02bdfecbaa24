// Package savedsearch is a person's saved searches: an inbox search (scope, folder, text,
// filters and sort: an query.Query) kept under a name in the store, listed, renamed, deleted,
// opened, and counted: how many dialogs are new or changed since the person last opened it.
//
// It is part of the service layer (no echo, templ or views). Counts are cheap on purpose: one
// updatedAfter search per saved search, asked only when a count is wanted (the list page asks
// row by row), and kept for a minute, so a saved search costs at most one upstream search a
// minute on each instance however often its count is shown.
package savedsearch

import (
	"cmp"
	"context"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/store"
)

// Store is what saved searches need of the store (store.Store).
type Store interface {
	SavedSearches(ctx context.Context, o store.Owner) ([]store.SavedSearch, error)
	SavedSearch(ctx context.Context, o store.Owner, id string) (store.SavedSearch, error)
	SaveSearch(ctx context.Context, o store.Owner, name, query string) (store.SavedSearch, error)
	RenameSavedSearch(ctx context.Context, o store.Owner, id, name string) error
	DeleteSavedSearch(ctx context.Context, o store.Owner, id string) error
	OpenSavedSearch(ctx context.Context, o store.Owner, id string) (store.SavedSearch, error)
}

// Searcher is what a count needs of the search (*inbox.Search).
type Searcher interface {
	Dialogs(ctx context.Context, u *inbox.User, parties []string, p dpclient.SearchParams, cursor string) (*inbox.Page, error)
}

// MaxCount is the most a count counts: beyond it the list says "100+".
const MaxCount = 100

// CountTTL is how long a count is kept by default: at most one upstream search per saved
// search this often.
const CountTTL = time.Minute

// Saved is one saved search.
type Saved struct {
	ID, Name string
	Query    query.Query
	Created  time.Time
	OpenedAt time.Time // zero until first opened
}

// Since is when "new or changed" starts: the last opening, or the saving.
func (s Saved) Since() time.Time {
	if s.OpenedAt.IsZero() {
		return s.Created
	}
	return s.OpenedAt
}

// Count is how many dialogs of a saved search are new or changed since it was last opened.
type Count struct {
	N      int
	More   bool // more than N (N is MaxCount)
	Failed bool // the search failed; tried again after CountTTL
}

// Searches keeps and counts saved searches.
type Searches struct {
	store  Store
	search Searcher
	counts *cache.Cache[Count]
	loc    *time.Location
	now    func() time.Time
}

// New returns the saved searches over st, counted with search; a count is kept for every
// (CountTTL when 0).
func New(st Store, search Searcher, every time.Duration) *Searches {
	every = cmp.Or(every, CountTTL)
	return &Searches{store: st, search: search, counts: cache.New[Count](every, 20_000), loc: inbox.NorwegianTime(), now: time.Now}
}

// List is the owner's saved searches by name.
func (s *Searches) List(ctx context.Context, o store.Owner) ([]Saved, error) {
	list, err := s.store.SavedSearches(ctx, o)
	if err != nil {
		return nil, err
	}
	out := make([]Saved, len(list))
	for i, r := range list {
		out[i] = saved(r)
	}
	return out, nil
}

// Get is one of the owner's saved searches; store.ErrNotFound for another owner's.
func (s *Searches) Get(ctx context.Context, o store.Owner, id string) (Saved, error) {
	r, err := s.store.SavedSearch(ctx, o, id)
	if err != nil {
		return Saved{}, err
	}
	return saved(r), nil
}

// Save keeps q (without its page cursor) under name. The store refuses what breaks its limits
// (store.LimitError, store.ErrNameTaken, store.ErrInvalid).
func (s *Searches) Save(ctx context.Context, o store.Owner, name string, q query.Query) (Saved, error) {
	r, err := s.store.SaveSearch(ctx, o, name, Encode(q))
	if err != nil {
		return Saved{}, err
	}
	return saved(r), nil
}

// Rename renames a saved search.
func (s *Searches) Rename(ctx context.Context, o store.Owner, id, name string) error {
	return s.store.RenameSavedSearch(ctx, o, id, name)
}

// Delete deletes a saved search.
func (s *Searches) Delete(ctx context.Context, o store.Owner, id string) error {
	if err := s.store.DeleteSavedSearch(ctx, o, id); err != nil {
		return err
	}
	s.counts.Delete(countKey(o, id))
	return nil
}

// Open records that the person opens the saved search now and returns its query, for the
// inbox. Its count starts again from nothing: kept as zero until the next count is due.
func (s *Searches) Open(ctx context.Context, o store.Owner, id string) (query.Query, error) {
	r, err := s.store.OpenSavedSearch(ctx, o, id)
	if err != nil {
		return query.Query{}, err
	}
	s.counts.Put(countKey(o, r.ID), Count{})
	return saved(r).Query, nil
}

// NewSince counts the dialogs of sv over parties (its scope, resolved by the caller) updated
// since it was last opened: one search of at most MaxCount rows, kept for CountTTL. A failed
// search is kept as Failed for as long, so a failing upstream is not asked more often.
func (s *Searches) NewSince(ctx context.Context, u *inbox.User, o store.Owner, sv Saved, parties []string) Count {
	c, err := s.counts.Get(ctx, countKey(o, sv.ID), func(ctx context.Context) (Count, error) {
		return s.count(ctx, u, sv, parties)
	})
	if err != nil {
		return Count{Failed: true} // cancelled, or the person's searches were all busy: not kept
	}
	return c
}

func (s *Searches) count(ctx context.Context, u *inbox.User, sv Saved, parties []string) (Count, error) {
	p, possible := sv.Query.Params(s.now(), s.loc, MaxCount)
	if !possible || len(parties) == 0 {
		return Count{}, nil
	}
	since := sv.Since()
	if p.UpdatedAfter == nil || p.UpdatedAfter.Before(since) {
		p.UpdatedAfter = &since
	}
	page, err := s.search.Dialogs(ctx, u, parties, p, "")
	switch {
	case errors.Is(err, inbox.ErrBusy), ctx.Err() != nil:
		return Count{}, err // nothing was asked upstream, or nobody waits for the answer
	case err != nil:
		return Count{Failed: true}, nil
	}
	return Count{N: len(page.Items), More: page.Cursor != ""}, nil
}

// countKey names a saved search's count; ids are unique, the owner keeps one person's apart
// from another's even so.
func countKey(o store.Owner, id string) string { return string(o) + "|" + strings.ToLower(id) }

// Encode is the query string a saved search keeps: the inbox's canonical query, no cursor.
func Encode(q query.Query) string {
	return strings.TrimPrefix(strings.TrimPrefix(q.URL(false), "/inbox"), "?")
}

func saved(r store.SavedSearch) Saved {
	vals, _ := url.ParseQuery(r.Query) // the store checked it parses
	return Saved{ID: r.ID, Name: r.Name, Query: query.Parse(vals), Created: r.Created, OpenedAt: r.OpenedAt}
}
