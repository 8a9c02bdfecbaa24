package events

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/google/uuid"
)

// subscriber delivers one subscription's events in order, one at a time: a failing event is
// retried before the next is sent, so events of a dialog arrive in the order they happened.
type subscriber struct {
	id     string
	spec   Subscription
	queue  chan CloudEvent
	p      *Publisher
	cancel context.CancelFunc
	done   chan struct{}

	mu sync.Mutex
	st Stats
}

func (s *subscriber) stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st
}

func (s *subscriber) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.st)
	s.mu.Unlock()
}

// enqueue adds ev without blocking; a full queue drops it.
func (s *subscriber) enqueue(ev CloudEvent) {
	select {
	case s.queue <- ev:
	default:
		s.count(func(st *Stats) { st.Dropped++ })
		s.p.log.Warn("events: queue full, event dropped", "subscription", s.id, "type", ev.Type)
	}
}

// stop ends the worker and waits for it.
func (s *subscriber) stop() {
	s.cancel()
	<-s.done
}

func (s *subscriber) run(ctx context.Context) {
	defer s.p.wg.Done()
	defer close(s.done)
	hello := CloudEvent{
		SpecVersion: SpecVersion,
		ID:          uuid.Must(uuid.NewV7()).String(),
		Type:        TypeValidateSubscription,
		Source:      s.p.opts.PlatformBase + "/events/api/v1/subscriptions/" + s.id,
	}
	if !s.deliver(ctx, hello) {
		s.p.log.Warn("events: subscription not validated; its events are discarded", "subscription", s.id)
		return
	}
	s.count(func(st *Stats) { st.Validated = true })
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.queue:
			if s.deliver(ctx, ev) {
				s.count(func(st *Stats) { st.Delivered++ })
			} else if ctx.Err() == nil {
				s.count(func(st *Stats) { st.DeadLettered++ })
				s.p.log.Warn("events: event dead-lettered", "subscription", s.id, "type", ev.Type, "id", ev.ID)
			}
		}
	}
}

// deliver posts ev until a 2xx answer, retrying after each wait of Options.Retries. The event
// keeps its id across attempts, so the receiver can drop duplicates.
func (s *subscriber) deliver(ctx context.Context, ev CloudEvent) bool {
	body, err := json.Marshal(ev)
	if err != nil {
		return false
	}
	for attempt := 0; ; attempt++ {
		err := s.post(ctx, body)
		if err == nil {
			return true
		}
		if attempt >= len(s.p.opts.Retries) || ctx.Err() != nil {
			s.p.log.Warn("events: delivery failed", "subscription", s.id, "type", ev.Type, "attempts", attempt+1, "err", err)
			return false
		}
		s.count(func(st *Stats) { st.Retried++ })
		t := time.NewTimer(s.p.opts.Retries[attempt])
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.C:
		}
	}
}

// post makes one attempt. The error never contains the URL (it may carry a secret).
func (s *subscriber) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.spec.EndPoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("events: bad endpoint")
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.p.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("events: post failed (timeout or connection)")
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("events: webhook answered %d", resp.StatusCode)
	}
	return nil
}
