// Package cache is the portal's one in-process cache: entries live for a time to live, the
// number of entries is bounded (the least recently used leave first), and concurrent loads of
// one key share one call (singleflight). Every cache of the service layer is one of these, so
// they all evict, lock and expire the same way.
package cache

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Cache maps string keys to values of type V. The zero value is not usable; call New.
type Cache[V any] struct {
	ttl   time.Duration
	max   int
	now   func() time.Time
	group singleflight.Group

	mu  sync.Mutex
	lru *list.List // of *entry[V], most recently used first
	m   map[string]*list.Element
}

type entry[V any] struct {
	key     string
	v       V
	expires time.Time
}

// Option adjusts New.
type Option func(*options)

type options struct{ now func() time.Time }

// New returns a cache keeping entries for ttl, at most max of them (both must be positive).
func New[V any](ttl time.Duration, max int, opts ...Option) *Cache[V] {
	if ttl <= 0 || max <= 0 {
		panic("cache: ttl and max must be positive")
	}
	o := options{now: time.Now}
	for _, f := range opts {
		f(&o)
	}
	return &Cache[V]{ttl: ttl, max: max, now: o.now, lru: list.New(), m: map[string]*list.Element{}}
}

// Peek returns the fresh value under key, if there is one, without loading.
func (c *Cache[V]) Peek(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.m[key]
	if !ok {
		var zero V
		return zero, false
	}
	e := el.Value.(*entry[V])
	if !c.now().Before(e.expires) {
		c.lru.Remove(el)
		delete(c.m, key)
		var zero V
		return zero, false
	}
	c.lru.MoveToFront(el)
	return e.v, true
}

// Put stores v under key for the cache's time to live, evicting the least recently used entry
// when the cache is full.
func (c *Cache[V]) Put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	expires := c.now().Add(c.ttl)
	if el, ok := c.m[key]; ok {
		e := el.Value.(*entry[V])
		e.v, e.expires = v, expires
		c.lru.MoveToFront(el)
		return
	}
	for c.lru.Len() >= c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.m, last.Value.(*entry[V]).key)
	}
	c.m[key] = c.lru.PushFront(&entry[V]{key: key, v: v, expires: expires})
}

// Delete drops key.
func (c *Cache[V]) Delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.m[key]; ok {
		c.lru.Remove(el)
		delete(c.m, key)
	}
}

// Len is the number of entries held (expired ones included until they are touched or evicted).
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}

// Get returns the fresh value under key, or loads it. Concurrent Gets of one key share one
// load; a failed load is not cached. The load runs with the context of the caller that started
// it: when that caller goes away, the others waiting on it load again with their own.
func (c *Cache[V]) Get(ctx context.Context, key string, load func(context.Context) (V, error)) (V, error) {
	for range 3 {
		if v, ok := c.Peek(key); ok {
			return v, nil
		}
		ch := c.group.DoChan(key, func() (any, error) {
			if v, ok := c.Peek(key); ok {
				return v, nil
			}
			v, err := load(ctx)
			if err != nil {
				return nil, err
			}
			c.Put(key, v)
			return v, nil
		})
		select {
		case <-ctx.Done():
			var zero V
			return zero, ctx.Err()
		case res := <-ch:
			if res.Err != nil {
				if ctx.Err() == nil && (errors.Is(res.Err, context.Canceled) || errors.Is(res.Err, context.DeadlineExceeded)) {
					continue // another caller's context ended its load; ours is alive
				}
				var zero V
				return zero, res.Err
			}
			return res.Val.(V), nil
		}
	}
	var zero V
	return zero, context.Canceled
}
