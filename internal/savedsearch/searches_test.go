package savedsearch

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/store"
)

// clock is a settable clock shared by the store and the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fakeSearch answers a count search with the dialogs updated after its updatedAfter.
type fakeSearch struct {
	mu      sync.Mutex
	updated []time.Time
	calls   []dpclient.SearchParams
	err     error
}

func (f *fakeSearch) Dialogs(_ context.Context, _ *inbox.User, _ []string, p dpclient.SearchParams, _ string) (*inbox.Page, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, p)
	if f.err != nil {
		return nil, f.err
	}
	page := &inbox.Page{}
	for i, at := range f.updated {
		if p.UpdatedAfter == nil || at.After(*p.UpdatedAfter) {
			if len(page.Items) == p.Limit {
				page.Cursor = "more"
				break
			}
			page.Items = append(page.Items, dpclient.SearchDialog{ID: fmt.Sprint(i), UpdatedAt: at})
		}
	}
	return page, nil
}

func setup(t *testing.T) (*Searches, *fakeSearch, *clock, store.Owner) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)}
	db, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := &fakeSearch{}
	s := New(db, f, 0)
	s.now = clk.now
	return s, f, clk, store.OwnerKey([]byte("k"), "01017012345")
}

// TestSaveListOpen: a query is saved without its cursor and comes back as it was; opening it
// records the time, and the count is of dialogs updated since then.
func TestSaveListOpen(t *testing.T) {
	t.Parallel()
	s, f, clk, o := setup(t)
	ctx := t.Context()
	q := query.Parse(url.Values{"party": {"all-orgs"}, "folder": {"archive"}, "q": {"skatt"}, "org": {"skd"}, "sort": {"created"}, "ct": {"cursor"}})
	sv, err := s.Save(ctx, o, "  Skatt i arkivet ", q)
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.List(ctx, o)
	if err != nil || len(list) != 1 {
		t.Fatalf("list: %v, %v", list, err)
	}
	got := list[0]
	q.Cursor = ""
	if got.Name != "Skatt i arkivet" || got.Query != q || got.ID != sv.ID {
		t.Errorf("saved %+v, want the name trimmed and the query %+v without its cursor", got, q)
	}
	u := &inbox.User{Key: "sess"}
	f.updated = []time.Time{clk.now().Add(-time.Hour), clk.now().Add(time.Minute), clk.now().Add(2 * time.Minute)}
	if c := s.NewSince(ctx, u, o, got, []string{"p"}); c.N != 2 || c.More || c.Failed {
		t.Errorf("count since saving: %+v, want 2", c)
	}
	p := f.calls[0]
	if p.UpdatedAfter == nil || !p.UpdatedAfter.Equal(got.Created) || p.Search != "skatt" || p.OrderBy != "createdAt_desc" || p.Limit != MaxCount {
		t.Errorf("count search %+v: want updatedAfter the saving, the saved filters, limit %d", p, MaxCount)
	}
	// Within the minute: no second upstream search, however often it is asked.
	for range 5 {
		s.NewSince(ctx, u, o, got, []string{"p"})
	}
	if len(f.calls) != 1 {
		t.Errorf("%d upstream searches within a minute, want 1", len(f.calls))
	}

	clk.add(5 * time.Minute)
	opened, err := s.Open(ctx, o, sv.ID)
	if err != nil || opened != q {
		t.Fatalf("open: %+v, %v", opened, err)
	}
	if c := s.NewSince(ctx, u, o, got, []string{"p"}); c.N != 0 || len(f.calls) != 1 {
		t.Errorf("count right after opening: %+v after %d searches, want 0 without a search", c, len(f.calls))
	}
	got, _ = s.Get(ctx, o, sv.ID)
	if !got.OpenedAt.Equal(clk.now()) {
		t.Errorf("opened at %v, want %v", got.OpenedAt, clk.now())
	}
	s.counts.Delete(countKey(o, sv.ID)) // the minute has passed
	f.updated = append(f.updated, clk.now().Add(time.Second))
	if c := s.NewSince(ctx, u, o, got, []string{"p"}); c.N != 1 {
		t.Errorf("count after a dialog changed since opening: %+v, want 1", c)
	}

	// More than MaxCount: "100+".
	s.counts.Delete(countKey(o, sv.ID))
	for range MaxCount + 5 {
		f.updated = append(f.updated, clk.now().Add(time.Hour))
	}
	if c := s.NewSince(ctx, u, o, got, []string{"p"}); c.N != MaxCount || !c.More {
		t.Errorf("count of many: %+v, want %d and more", c, MaxCount)
	}
}

// TestCountFailures: a failing upstream is asked once a minute (kept as Failed); a busy person
// is not kept, so the next try counts.
func TestCountFailures(t *testing.T) {
	t.Parallel()
	s, f, _, o := setup(t)
	ctx := t.Context()
	sv, err := s.Save(ctx, o, "A", query.Parse(nil))
	if err != nil {
		t.Fatal(err)
	}
	u := &inbox.User{Key: "sess"}
	f.err = inbox.ErrBusy
	if c := s.NewSince(ctx, u, o, sv, []string{"p"}); !c.Failed {
		t.Errorf("busy: %+v, want Failed", c)
	}
	f.err = errors.New("upstream down")
	s.NewSince(ctx, u, o, sv, []string{"p"})
	s.NewSince(ctx, u, o, sv, []string{"p"})
	if c := s.NewSince(ctx, u, o, sv, []string{"p"}); !c.Failed || len(f.calls) != 2 {
		t.Errorf("down: %+v after %d searches, want Failed after 2 (busy, then one down)", c, len(f.calls))
	}
}

// TestOwnerScope: another person's saved search is not found, for every operation.
func TestOwnerScope(t *testing.T) {
	t.Parallel()
	s, _, _, o := setup(t)
	ctx := t.Context()
	sv, err := s.Save(ctx, o, "Mine", query.Parse(nil))
	if err != nil {
		t.Fatal(err)
	}
	other := store.OwnerKey([]byte("k"), "02028012345")
	if _, err := s.Get(ctx, other, sv.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get: %v", err)
	}
	if _, err := s.Open(ctx, other, sv.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("open: %v", err)
	}
	if err := s.Rename(ctx, other, sv.ID, "Theirs"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rename: %v", err)
	}
	if err := s.Delete(ctx, other, sv.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("delete: %v", err)
	}
	if list, _ := s.List(ctx, other); len(list) != 0 {
		t.Errorf("another person lists %d saved searches", len(list))
	}
}
