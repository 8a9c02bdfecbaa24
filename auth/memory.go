package auth

import (
	"context"
	"crypto/rand"
	"sync"
	"time"
)

// MemoryOption configures NewMemoryStore.
type MemoryOption func(*memoryStore)

// MemoryClock sets the clock that decides expiry (default time.Now).
func MemoryClock(now func() time.Time) MemoryOption {
	return func(m *memoryStore) { m.now = now }
}

// NewMemoryStore returns a Store in this process's memory: the default for a single instance.
// Sessions do not survive a restart and are not shared between instances; use auth/redisstore
// for that. Its LoginCookieKeys is one random key, made here: login cookies open for every
// relying party over this store, in this process only.
func NewMemoryStore(opts ...MemoryOption) Store {
	m := &memoryStore{
		loginKey: make([]byte, 32),
		now:      time.Now,
		sessions: map[string]memEntry[*Session]{},
		locks:    map[string]memEntry[string]{},
		bySID:    map[string]map[string]struct{}{},
	}
	rand.Read(m.loginKey) // never fails
	for _, o := range opts {
		o(m)
	}
	return m
}

type memEntry[T any] struct {
	v       T
	expires time.Time
}

type memoryStore struct {
	now      func() time.Time
	loginKey []byte

	mu       sync.Mutex
	sessions map[string]memEntry[*Session]
	locks    map[string]memEntry[string]
	bySID    map[string]map[string]struct{}
	writes   int
}

// sweepEvery is how many writes pass between sweeps of expired entries.
const sweepEvery = 256

func (m *memoryStore) Get(_ context.Context, id string) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.live(id)
	if !ok {
		return nil, ErrNotFound
	}
	return s.clone(), nil
}

// live returns the session with id unless it has expired; m.mu must be held.
func (m *memoryStore) live(id string) (*Session, bool) {
	e, ok := m.sessions[id]
	if !ok {
		return nil, false
	}
	if !m.now().Before(e.expires) {
		m.deleteLocked(id)
		return nil, false
	}
	return e.v, true
}

func (m *memoryStore) Create(_ context.Context, s *Session, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.wrote()
	m.sessions[s.ID] = memEntry[*Session]{v: s.clone(), expires: m.now().Add(ttl)}
	if s.SID != "" {
		if m.bySID[s.SID] == nil {
			m.bySID[s.SID] = map[string]struct{}{}
		}
		m.bySID[s.SID][s.ID] = struct{}{}
	}
	return nil
}

func (m *memoryStore) Update(_ context.Context, id string, ttl time.Duration, fn func(*Session) error) (*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cur, ok := m.live(id)
	if !ok {
		return nil, ErrNotFound
	}
	next := cur.clone()
	if err := fn(next); err != nil {
		return nil, err
	}
	next.ID, next.SID = cur.ID, cur.SID // the keys do not change
	m.wrote()
	m.sessions[id] = memEntry[*Session]{v: next, expires: m.now().Add(ttl)}
	return next.clone(), nil
}

func (m *memoryStore) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.deleteLocked(id)
	return nil
}

func (m *memoryStore) deleteLocked(id string) {
	e, ok := m.sessions[id]
	if !ok {
		return
	}
	delete(m.sessions, id)
	if ids := m.bySID[e.v.SID]; ids != nil {
		delete(ids, id)
		if len(ids) == 0 {
			delete(m.bySID, e.v.SID)
		}
	}
}

func (m *memoryStore) DeleteBySID(_ context.Context, sid string) ([]*Session, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []*Session
	for id := range m.bySID[sid] {
		if v, ok := m.live(id); ok {
			out = append(out, v.clone())
		}
		m.deleteLocked(id)
	}
	return out, nil
}

func (m *memoryStore) Lock(_ context.Context, name string, ttl time.Duration) (func(context.Context) error, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if e, ok := m.locks[name]; ok && m.now().Before(e.expires) {
		return nil, ErrLocked
	}
	token := rand.Text()
	m.wrote()
	m.locks[name] = memEntry[string]{v: token, expires: m.now().Add(ttl)}
	return func(context.Context) error {
		m.mu.Lock()
		defer m.mu.Unlock()
		if e, ok := m.locks[name]; ok && e.v == token {
			delete(m.locks, name)
		}
		return nil
	}, nil
}

// LoginCookieKeys implements LoginKeyer.
func (m *memoryStore) LoginCookieKeys() [][]byte { return [][]byte{m.loginKey} }

// wrote counts a write and now and then drops what has expired; m.mu must be held.
func (m *memoryStore) wrote() {
	m.writes++
	if m.writes%sweepEvery != 0 {
		return
	}
	now := m.now()
	for id, e := range m.sessions {
		if !now.Before(e.expires) {
			m.deleteLocked(id)
		}
	}
	for k, e := range m.locks {
		if !now.Before(e.expires) {
			delete(m.locks, k)
		}
	}
}
