package live

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	// maxCounted is how many changed dialogs a stream counts; beyond, the banner says "more
	// than" and the stream remembers no more (an open tab must not grow without end).
	maxCounted = 100
	// closeEvent is the event that makes the browser close its stream for good (the live
	// region's sse-close; htmx-ext-sse takes one name). Its data says why: "" when the session
	// is over, "replaced" when a newer stream of the session took this one's place (a
	// reconnect would end the next oldest, and so on round the tabs).
	closeEvent = "session-ended"
	// ChangedEvent is the event that carries a stream's banner to the browser.
	ChangedEvent = "dialog-changed"
)

// StreamConfig bounds and paces the browsers' streams.
type StreamConfig struct {
	// SessionAlive reports whether the session with this id still exists; a stream ends when it
	// no longer does (logout, timeout). Nil: the stream relies on the reconnect's session check.
	SessionAlive func(ctx context.Context, id string) bool
	// Heartbeat is how often a stream sends a comment and checks the session (25 s when 0).
	Heartbeat time.Duration
	// StreamsPerSession and MaxStreams bound the open streams (NewSlots).
	StreamsPerSession, MaxStreams int
}

// Streams holds the browsers' open event streams: each a subscription to the hub for the
// parties one page shows, bounded per session and in all (Slots), kept open by heartbeats that
// also check the session.
type Streams struct {
	hub       Hub
	slots     *Slots
	alive     func(ctx context.Context, id string) bool
	heartbeat time.Duration
	ending    chan struct{} // closed by End
	endOnce   sync.Once
}

// NewStreams returns the streams of hub's events, bounded and paced by cfg.
func NewStreams(hub Hub, cfg StreamConfig) *Streams {
	s := &Streams{hub: hub, slots: NewSlots(cfg.MaxStreams, cfg.StreamsPerSession),
		alive: cfg.SessionAlive, heartbeat: cfg.Heartbeat, ending: make(chan struct{})}
	if s.heartbeat <= 0 {
		s.heartbeat = 25 * time.Second
	}
	return s
}

// End ends every open stream (http.Server.Shutdown waits for them otherwise); the browsers
// reconnect after their retry interval.
func (s *Streams) End() { s.endOnce.Do(func() { close(s.ending) }) }

// Watch is what one stream follows.
type Watch struct {
	Session  string   // the session it belongs to (its slots, its heartbeat check)
	Subjects []string // party URNs, all the user's own; read at subscription, not kept
	Dialog   string   // only this dialog's events, not the user's own reading of it ("" for a list)
	// Recall returns Subjects again (or those of them the user still has), to name the parties
	// of events that came over Redis with only a keyed hash of the party (RedisHub): called for
	// a banner with a party not yet named, so that an idle stream keeps no list of its parties.
	// A hash names only one of the parties Recall returns. Nil: such parties go unnamed (the
	// banner counts their dialogs all the same).
	Recall func(ctx context.Context) []string
}

// Banner renders what the browser shows for count changed dialogs (more: beyond those counted)
// of parties (the URNs of the dialogs counted, first seen first, as far as they are known: see
// Changes and Watch.Recall).
type Banner func(ctx context.Context, count int, more bool, parties []string) (string, error)

// keyNamer is a hub whose events may carry a party's key instead of its URN (RedisHub).
type keyNamer interface {
	nameKeys(subjects, keys []string) map[string]string
}

// name turns the parties changes knows only by key into URNs: at most one Recall and one pass
// over its subjects per banner, and none once every key has had its go (at most maxCounted).
func (s *Streams) name(ctx context.Context, changes *Changes, recall func(context.Context) []string) {
	keys := changes.unnamed()
	if len(keys) == 0 {
		return
	}
	var names map[string]string
	if n, ok := s.hub.(keyNamer); ok && recall != nil {
		names = n.nameKeys(recall(ctx), keys)
	}
	changes.name(names)
}

// Serve streams w's events for watch until the request ends, the session ends, a newer stream
// of the session takes this one's slot, or End. Each event for watch sends ChangedEvent with
// banner's answer. It answers ErrTooManyStreams, having written nothing, when the instance holds
// its most streams; every other ending is nil (the stream was answered).
func (s *Streams) Serve(ctx context.Context, w http.ResponseWriter, watch Watch, banner Banner) error {
	slot, err := s.slots.Take(watch.Session)
	if err != nil {
		return err
	}
	defer slot.Release()
	sub := s.hub.Subscribe(watch.Subjects)
	defer sub.Close()
	watch.Subjects = nil // the hub has what it needs; a group's list is not kept per stream

	sse, err := StartSSE(w, 2*s.heartbeat+10*time.Second)
	if err != nil {
		return nil
	}
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	changes := NewChanges(maxCounted)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.ending:
			return nil // shutting down: the browser reconnects, to another instance
		case <-slot.Replaced():
			_ = sse.Event(closeEvent, "replaced")
			return nil
		case <-tick.C:
			sse.Extend()
			if s.alive != nil && !s.alive(ctx, watch.Session) {
				_ = sse.Event(closeEvent, "")
				return nil
			}
			if sse.Ping() != nil {
				return nil
			}
		case ev, ok := <-sub.C():
			if !ok {
				return nil
			}
			if watch.Dialog != "" && (ev.DialogID != watch.Dialog || strings.Contains(ev.Type, ".seen.")) {
				continue // another dialog, or the user's own reading of this one
			}
			count, more := changes.Add(ev)
			s.name(ctx, changes, watch.Recall)
			data, err := banner(ctx, count, more, changes.Parties())
			if err != nil || sse.Event(ChangedEvent, data) != nil {
				return nil
			}
		}
	}
}

// SessionEnded answers a stream request that has no session (logged out, timed out): the close
// event, which tells the browser to stop for good.
func SessionEnded(w http.ResponseWriter) {
	SSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	_, _ = fmt.Fprint(w, "event: "+closeEvent+"\ndata: \n\n")
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}
