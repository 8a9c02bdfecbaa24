package handlers

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/innboks/innboks/dpclient"
)

// PartiesSource is what the party cache needs from dpclient.
type PartiesSource interface {
	GetParties(ctx context.Context, opts ...dpclient.CallOption) (*dpclient.PartiesResult, error)
}

// PartyCache keeps each session's parties in process for a few minutes, so a page view costs one
// upstream call (the search), not two; parallel requests of one session share one fetch.
type PartyCache struct {
	src   PartiesSource
	ttl   time.Duration
	max   int
	now   func() time.Time
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]partyEntry
}

type partyEntry struct {
	ix      *PartyIndex
	expires time.Time
}

// NewPartyCache returns a cache over src keeping entries for ttl (5 minutes when 0), for at most
// max sessions (10,000 when 0).
func NewPartyCache(src PartiesSource, ttl time.Duration, max int) *PartyCache {
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	if max <= 0 {
		max = 10_000
	}
	return &PartyCache{src: src, ttl: ttl, max: max, now: time.Now, entries: map[string]partyEntry{}}
}

// Get returns the session's party index, fetching it with opts when absent or expired.
func (pc *PartyCache) Get(ctx context.Context, sessionID string, opts ...dpclient.CallOption) (*PartyIndex, error) {
	if ix, ok := pc.Cached(sessionID); ok {
		return ix, nil
	}
	v, err, _ := pc.group.Do(sessionID, func() (any, error) {
		if ix, ok := pc.Cached(sessionID); ok {
			return ix, nil
		}
		// The fetch outlives a cancelled first caller only as long as the caller's context:
		// the others sharing it simply retry.
		res, err := pc.src.GetParties(ctx, opts...)
		if err != nil {
			return nil, err
		}
		ix := NewPartyIndex(res)
		pc.put(sessionID, ix)
		return ix, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*PartyIndex), nil
}

// Cached returns the session's party index only when it is cached and fresh (no upstream call:
// the error page uses it to show who is logged in).
func (pc *PartyCache) Cached(sessionID string) (*PartyIndex, bool) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	e, ok := pc.entries[sessionID]
	if !ok || !pc.now().Before(e.expires) {
		return nil, false
	}
	return e.ix, true
}

// Forget drops a session's entry (after logout or a party change upstream).
func (pc *PartyCache) Forget(sessionID string) {
	pc.mu.Lock()
	delete(pc.entries, sessionID)
	pc.mu.Unlock()
}

func (pc *PartyCache) put(sessionID string, ix *PartyIndex) {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	now := pc.now()
	if len(pc.entries) >= pc.max {
		for k, e := range pc.entries {
			if !now.Before(e.expires) {
				delete(pc.entries, k)
			}
		}
		for k := range pc.entries { // still full: drop arbitrary entries (they refetch)
			if len(pc.entries) < pc.max {
				break
			}
			delete(pc.entries, k)
		}
	}
	pc.entries[sessionID] = partyEntry{ix: ix, expires: now.Add(pc.ttl)}
}
