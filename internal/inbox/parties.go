package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"runtime"
	"sync"
	"time"
	"weak"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
)

// PartiesSource is what Parties needs of Dialogporten; *dpclient.Client satisfies it.
type PartiesSource interface {
	GetParties(ctx context.Context, opts ...dpclient.CallOption) (*dpclient.PartiesResult, error)
}

// Parties are the parties each person may act for, indexed for the chooser and kept a few
// minutes per session, so a page view costs one upstream call (the search), not two, and
// parallel requests of one session share one fetch. The sessions of one person share one index
// (100,000 parties are tens of MB): indexes are found by a digest of the party list, which holds
// the person's own party, and held only weakly, so the session cache alone bounds them.
type Parties struct {
	src   PartiesSource
	cache *cache.Cache[*PartyIndex]

	mu     sync.Mutex
	shared map[[sha256.Size]byte]weak.Pointer[PartyIndex]
}

// NewParties returns the parties over src, each session's kept for ttl (5 minutes when 0).
func NewParties(src PartiesSource, ttl time.Duration) *Parties {
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	return &Parties{src: src, cache: cache.New[*PartyIndex](ttl, 10_000), shared: map[[sha256.Size]byte]weak.Pointer[PartyIndex]{}}
}

// Get returns the user's party index, fetching it when it is not cached.
func (p *Parties) Get(ctx context.Context, u *User) (*PartyIndex, error) {
	return p.cache.Get(ctx, u.Key, func(ctx context.Context) (*PartyIndex, error) {
		res, err := p.src.GetParties(ctx, u.opts()...)
		if err != nil {
			return nil, err
		}
		return p.share(res), nil
	})
}

// share returns the index of res: the one a session of the same person holds when their party
// lists are alike, else a new one.
func (p *Parties) share(res *dpclient.PartiesResult) *PartyIndex {
	key := partiesDigest(res)
	p.mu.Lock()
	ix := p.shared[key].Value()
	p.mu.Unlock()
	if ix != nil {
		return ix
	}
	ix = NewPartyIndex(res)
	p.mu.Lock()
	defer p.mu.Unlock()
	if old := p.shared[key].Value(); old != nil {
		return old
	}
	p.shared[key] = weak.Make(ix)
	runtime.AddCleanup(ix, func(k [sha256.Size]byte) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.shared[k].Value() == nil {
			delete(p.shared, k)
		}
	}, key)
	return ix
}

// partiesDigest is a SHA-256 of every field of the party list the index reads.
func partiesDigest(res *dpclient.PartiesResult) [sha256.Size]byte {
	h := sha256.New()
	var buf []byte
	var walk func(ps []dpclient.AuthorizedParty)
	walk = func(ps []dpclient.AuthorizedParty) {
		h.Write(binary.AppendUvarint(nil, uint64(len(ps))))
		for i := range ps {
			ap := &ps[i]
			buf = buf[:0]
			for _, s := range []string{ap.Party, ap.PartyUUID, ap.Name, string(ap.PartyType), ap.DateOfBirth} {
				buf = append(binary.AppendUvarint(buf, uint64(len(s))), s...)
			}
			for _, f := range []bool{ap.IsDeleted, ap.IsCurrentEndUser, ap.HasOnlyAccessToSubParties} {
				if buf = append(buf, 0); f {
					buf[len(buf)-1] = 1
				}
			}
			h.Write(buf)
			walk(ap.SubParties)
		}
	}
	if res != nil {
		walk(res.AuthorizedParties)
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// Cached returns the session's party index only when it is cached (no upstream call: the error
// page uses it to show who is logged in).
func (p *Parties) Cached(key string) (*PartyIndex, bool) { return p.cache.Peek(key) }
