package live

import (
	"context"
	"sync"
)

// MemoryHub is the in-process Hub: it reaches the subscribers of this process only.
type MemoryHub struct {
	buf  int
	mu   sync.RWMutex
	subs map[string]map[*Subscription]struct{}
}

// NewMemoryHub returns a hub whose subscriptions buffer buf events (DefaultBuffer when buf <= 0).
func NewMemoryHub(buf int) *MemoryHub {
	return &MemoryHub{buf: buf, subs: map[string]map[*Subscription]struct{}{}}
}

// Publish hands ev to every subscriber of its subject without waiting for any of them.
func (h *MemoryHub) Publish(_ context.Context, ev Event) error {
	h.deliver(ev)
	return nil
}

func (h *MemoryHub) deliver(ev Event) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs[Key(ev.Subject)] {
		s.send(ev)
	}
}

// Subscribe registers a subscription to the subjects' events.
func (h *MemoryHub) Subscribe(subjects []string) *Subscription {
	s := newSubscription(subjects, h.buf, h.remove)
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range s.subjects {
		m := h.subs[k]
		if m == nil {
			m = map[*Subscription]struct{}{}
			h.subs[k] = m
		}
		m[s] = struct{}{}
	}
	return s
}

// Subscribers is how many subscriptions the hub holds (for tests and metrics).
func (h *MemoryHub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	all := map[*Subscription]struct{}{}
	for _, m := range h.subs {
		for s := range m {
			all[s] = struct{}{}
		}
	}
	return len(all)
}

func (h *MemoryHub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range s.subjects {
		delete(h.subs[k], s)
		if len(h.subs[k]) == 0 {
			delete(h.subs, k)
		}
	}
}
