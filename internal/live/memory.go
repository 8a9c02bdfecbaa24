package live

import (
	"context"
	"crypto/sha256"
	"sync"
)

// MemoryHub is the in-process Hub: it reaches the subscribers of this process only.
//
// Subscriptions to the same set of parties share one fan-in: the set is indexed by party once,
// however many streams watch it, so a stream for "all organisations" of a user with 15,000
// parties costs the same as a stream for one party (issue 8, point 3). A fan-in lives while one
// of its subscriptions does.
type MemoryHub struct {
	buf   int
	key   func(subject string) string // the index key of a (normalised) party URN
	mu    sync.RWMutex
	byKey map[string][]*fanIn
	sets  map[[sha256.Size]byte]*fanIn
	n     int // open subscriptions
}

// fanIn is one set of parties and the subscriptions that watch exactly that set.
type fanIn struct {
	id   [sha256.Size]byte
	keys []string // index keys, each once
	subs []*Subscription
}

// NewMemoryHub returns a hub whose subscriptions buffer buf events (DefaultBuffer when buf <= 0).
func NewMemoryHub(buf int) *MemoryHub { return newMemoryHub(buf, Key) }

func newMemoryHub(buf int, key func(string) string) *MemoryHub {
	return &MemoryHub{buf: buf, key: key, byKey: map[string][]*fanIn{}, sets: map[[sha256.Size]byte]*fanIn{}}
}

// Publish hands ev to every subscriber of its subject without waiting for any of them.
func (h *MemoryHub) Publish(_ context.Context, ev Event) error {
	if k := Key(ev.Subject); k != "" {
		h.deliver(h.key(k), ev)
	}
	return nil
}

// deliver hands ev to the subscriptions of every set that holds the party with index key k.
func (h *MemoryHub) deliver(k string, ev Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for _, f := range h.byKey[k] {
		for _, s := range f.subs {
			s.send(ev)
		}
	}
}

// Subscribe registers a subscription to the subjects' events. The subjects are read, never
// kept: a subscription to a set some other subscription already watches costs a few hundred
// bytes, whatever the set's size.
func (h *MemoryHub) Subscribe(subjects []string) *Subscription {
	id := setID(subjects)
	h.mu.Lock()
	f := h.sets[id]
	if f == nil {
		h.mu.Unlock()
		keys := h.indexKeys(subjects) // outside the lock: RedisHub's keys are HMACs
		h.mu.Lock()
		if f = h.sets[id]; f == nil {
			f = h.addFanIn(id, keys)
		}
	}
	s := newSubscription(h.buf, h.remove)
	s.fan = f
	f.subs = append(f.subs, s)
	h.n++
	h.mu.Unlock()
	return s
}

// indexKeys are the subjects' index keys without empties and repeats.
func (h *MemoryHub) indexKeys(subjects []string) []string {
	seen := make(map[string]struct{}, len(subjects)) // dropped on return
	keys := make([]string, 0, len(subjects))
	for _, subj := range subjects {
		k := Key(subj)
		if k == "" {
			continue
		}
		k = h.key(k)
		if _, dup := seen[k]; !dup {
			seen[k] = struct{}{}
			keys = append(keys, k)
		}
	}
	return keys
}

// addFanIn indexes a new set under its keys; h.mu is held.
func (h *MemoryHub) addFanIn(id [sha256.Size]byte, keys []string) *fanIn {
	f := &fanIn{id: id, keys: keys}
	h.sets[id] = f
	for _, k := range keys {
		h.byKey[k] = append(h.byKey[k], f)
	}
	return f
}

// Subscribers is how many subscriptions the hub holds (for tests and metrics).
func (h *MemoryHub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.n
}

// Watchers is how many subscriptions an event of subject would reach (for tests and metrics).
func (h *MemoryHub) Watchers(subject string) int {
	k := Key(subject)
	if k == "" {
		return 0
	}
	k = h.key(k)
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, f := range h.byKey[k] {
		n += len(f.subs)
	}
	return n
}

// Sets is how many distinct party sets the hub indexes (for tests and metrics).
func (h *MemoryHub) Sets() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.sets)
}

func (h *MemoryHub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := s.fan
	i := indexOf(f.subs, s)
	if i < 0 {
		return
	}
	last := len(f.subs) - 1
	f.subs[i], f.subs[last] = f.subs[last], nil
	f.subs = f.subs[:last]
	h.n--
	if len(f.subs) > 0 {
		return
	}
	delete(h.sets, f.id)
	for _, k := range f.keys {
		fs := h.byKey[k]
		if j := indexOf(fs, f); j >= 0 {
			fs[j] = fs[len(fs)-1]
			fs[len(fs)-1] = nil
			fs = fs[:len(fs)-1]
		}
		if len(fs) == 0 {
			delete(h.byKey, k)
		} else {
			h.byKey[k] = fs
		}
	}
}

func indexOf[T comparable](s []T, v T) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}

// setID names a set of subjects by its content (normalised, in order), so that streams of the
// same party set share its fan-in. The hash never leaves memory.
func setID(subjects []string) [sha256.Size]byte {
	d := sha256.New()
	buf := make([]byte, 0, 4096)
	for _, s := range subjects {
		if k := Key(s); k != "" {
			if len(buf)+len(k)+1 > cap(buf) {
				d.Write(buf)
				buf = buf[:0]
			}
			buf = append(append(buf, k...), 0)
		}
	}
	d.Write(buf)
	var id [sha256.Size]byte
	d.Sum(id[:0])
	return id
}
