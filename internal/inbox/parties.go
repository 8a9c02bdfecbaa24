package inbox

import (
	"context"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
)

// PartiesSource is what Parties needs of Dialogporten; *dpclient.Client satisfies it.
type PartiesSource interface {
	GetParties(ctx context.Context, opts ...dpclient.CallOption) (*dpclient.PartiesResult, error)
}

// Parties are the parties each person may act for, indexed for the chooser and kept a few
// minutes per session, so a page view costs one upstream call (the search), not two, and
// parallel requests of one session share one fetch.
type Parties struct {
	src   PartiesSource
	cache *cache.Cache[*PartyIndex]
}

// NewParties returns the parties over src, each session's kept for ttl (5 minutes when 0).
func NewParties(src PartiesSource, ttl time.Duration) *Parties {
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	return &Parties{src: src, cache: cache.New[*PartyIndex](ttl, 10_000)}
}

// Get returns the user's party index, fetching it when it is not cached.
func (p *Parties) Get(ctx context.Context, u *User) (*PartyIndex, error) {
	return p.cache.Get(ctx, u.Key, func(ctx context.Context) (*PartyIndex, error) {
		res, err := p.src.GetParties(ctx, u.opts()...)
		if err != nil {
			return nil, err
		}
		return NewPartyIndex(res), nil
	})
}

// Cached returns the session's party index only when it is cached (no upstream call: the error
// page uses it to show who is logged in).
func (p *Parties) Cached(key string) (*PartyIndex, bool) { return p.cache.Peek(key) }
