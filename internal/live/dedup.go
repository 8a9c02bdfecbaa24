package live

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Dedup remembers recently seen event ids, so an event Altinn Events delivers twice (a retry
// after a lost answer) is published once.
type Dedup interface {
	// First reports whether id is seen for the first time (and remembers it).
	First(ctx context.Context, id string) (bool, error)
}

// Forgetter is a Dedup that can forget an id again, so that a retry of an event whose
// publication failed is let through.
type Forgetter interface {
	Forget(ctx context.Context, id string) error
}

// MemoryDedup is a bounded set of recent ids: at most size ids, each for at most ttl.
type MemoryDedup struct {
	mu    sync.Mutex
	size  int
	ttl   time.Duration
	now   func() time.Time
	seen  map[string]seenAt
	order []string // ring of ids in arrival order
	next  int
}

type seenAt struct {
	t    time.Time
	slot int // the id's place in order; a re-seen id moves, so only its latest slot forgets it
}

// NewMemoryDedup remembers up to size ids (4096 when <= 0) for ttl (1 hour when <= 0).
func NewMemoryDedup(size int, ttl time.Duration) *MemoryDedup {
	if size <= 0 {
		size = 4096
	}
	if ttl <= 0 {
		ttl = time.Hour
	}
	return &MemoryDedup{size: size, ttl: ttl, now: time.Now, seen: make(map[string]seenAt, size), order: make([]string, size)}
}

// First reports whether id is new, remembering it; the oldest id is forgotten when full.
func (d *MemoryDedup) First(_ context.Context, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if s, ok := d.seen[id]; ok && now.Sub(s.t) < d.ttl {
		return false, nil
	}
	if old := d.order[d.next]; old != "" && d.seen[old].slot == d.next {
		delete(d.seen, old)
	}
	d.order[d.next] = id
	d.seen[id] = seenAt{t: now, slot: d.next}
	d.next = (d.next + 1) % d.size
	return true, nil
}

// RedisDedup keeps the ids in Redis (SET NX EX), shared by every instance.
type RedisDedup struct {
	rdb    redis.UniversalClient
	prefix string
	ttl    time.Duration
}

// NewRedisDedup remembers ids under prefix+id for ttl (1 hour when <= 0).
func NewRedisDedup(rdb redis.UniversalClient, prefix string, ttl time.Duration) *RedisDedup {
	if ttl <= 0 {
		ttl = time.Hour
	}
	if prefix == "" {
		prefix = "innboks:event:"
	}
	return &RedisDedup{rdb: rdb, prefix: prefix, ttl: ttl}
}

// First reports whether id is new across all instances.
func (d *RedisDedup) First(ctx context.Context, id string) (bool, error) {
	ok, err := d.rdb.SetNX(ctx, d.prefix+id, 1, d.ttl).Result()
	if err != nil {
		return false, fmt.Errorf("live: dedup in redis: %w", err)
	}
	return ok, nil
}

// Forget removes id, so the next First(id) is true.
func (d *MemoryDedup) Forget(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.seen, id)
	return nil
}

// Forget removes id, so the next First(id) is true.
func (d *RedisDedup) Forget(ctx context.Context, id string) error {
	if err := d.rdb.Del(ctx, d.prefix+id).Err(); err != nil {
		return fmt.Errorf("live: forget in redis: %w", err)
	}
	return nil
}
