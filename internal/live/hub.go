// Package live carries dialog change events from the Altinn Events webhook to the browsers that
// show the event's party: a Hub fans events out to subscribers by party URN (the CloudEvent
// subject). MemoryHub serves one process; RedisHub joins several instances over Redis pub/sub so
// an event received by instance A reaches a browser connected to instance B. Dedup drops events
// Altinn Events delivers more than once. Slots bounds the open streams, per session and in all.
package live

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Event is one dialog change, reduced to what a browser needs to refresh: never a token or a
// national identity number (the subject is a party URN, which for a person does contain one, so
// the SSE handler never sends Subject to the browser, and RedisHub sends only a keyed hash of it
// over Redis: an event that came through Redis has no Subject, only SubjectKey).
type Event struct {
	ID       string    `json:"id"`       // the CloudEvent id
	Type     string    `json:"type"`     // e.g. dialogporten.dialog.updated.v1
	Subject  string    `json:"subject"`  // the party URN the dialog belongs to
	DialogID string    `json:"dialogId"` // the dialog's id (resourceinstance)
	Time     time.Time `json:"time"`
	// SubjectKey is, on an event RedisHub delivers, the party's keyed hash under this instance's
	// current key (what its fan-out indexes): opaque, never serialised, turned back into a URN
	// only against a stream's own subjects (see Watch.Recall).
	SubjectKey string `json:"-"`
}

// Hub fans events out to subscribers by subject. Publish never blocks on a slow subscriber.
type Hub interface {
	// Publish delivers ev to every subscriber of ev.Subject (on every instance, for RedisHub).
	Publish(ctx context.Context, ev Event) error
	// Subscribe returns a subscription to the events of the given subjects (party URNs).
	// Subscriptions to the same set share one index of it, so a subscription's own cost does not
	// grow with the set. Close it when done.
	Subscribe(subjects []string) *Subscription
}

// DefaultBuffer is how many events a subscription holds before the oldest is dropped.
const DefaultBuffer = 16

// Subscription receives the events of its subjects on C. When the subscriber falls behind, the
// oldest buffered event is dropped (and counted) so the publisher never waits.
type Subscription struct {
	mu      sync.Mutex
	ch      chan Event
	fan     *fanIn // the party set it watches, shared with the set's other subscriptions
	dropped atomic.Uint64
	closed  bool
	done    func(*Subscription)
}

func newSubscription(buf int, done func(*Subscription)) *Subscription {
	if buf <= 0 {
		buf = DefaultBuffer
	}
	return &Subscription{ch: make(chan Event, buf), done: done}
}

// C is the channel the events arrive on; it is closed when the subscription is closed.
func (s *Subscription) C() <-chan Event { return s.ch }

// Dropped is how many events were dropped because the subscriber was too slow.
func (s *Subscription) Dropped() uint64 { return s.dropped.Load() }

// Close ends the subscription and closes C. It is safe to call more than once.
func (s *Subscription) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.ch)
	s.mu.Unlock()
	if s.done != nil {
		s.done(s)
	}
}

// send queues ev without blocking: when the buffer is full the oldest event makes room.
func (s *Subscription) send(ev Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for {
		select {
		case s.ch <- ev:
			return
		default:
		}
		select {
		case <-s.ch:
			s.dropped.Add(1)
		default:
		}
	}
}

// Key normalises a party URN for matching: trimmed and lower case (URN prefixes are
// case-insensitive and organisation/person numbers are digits).
func Key(subject string) string { return strings.ToLower(strings.TrimSpace(subject)) }
