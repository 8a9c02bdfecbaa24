package live

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// The events a dialog page's stream sends the browser (static/files/app.js reads them).
const (
	// DialogUpdatedEvent: the dialog changed; the page fetches its parts again.
	DialogUpdatedEvent = "dialog-updated"
	// DialogDeletedEvent: the dialog was deleted; the page goes back to the list.
	DialogDeletedEvent = "dialog-deleted"
	// DialogUpEvent: the upstream subscription is open; the page stops polling (and, after a
	// DialogDownEvent, fetches its parts once: changes may have been missed).
	DialogUpEvent = "stream-up"
	// DialogDownEvent: the upstream subscription failed and is being reopened; the page polls.
	DialogDownEvent = "stream-down"
	// DialogEndedEvent ends the stream for good; its data says why: "session" (logged out or
	// timed out: stop), "busy" (the portal holds its most subscriptions), "refused" (Dialogporten
	// refused the subscription, or a newer page of the session took its place): poll instead.
	DialogEndedEvent = "watch-ended"
)

// DialogStreamConfig bounds and paces the dialog pages' streams.
type DialogStreamConfig struct {
	// SessionAlive reports whether the session still exists (StreamConfig.SessionAlive).
	SessionAlive func(ctx context.Context, id string) bool
	// Heartbeat is how often a stream sends a comment and checks the session (25 s when 0).
	Heartbeat time.Duration
	// StreamsPerSession and MaxStreams bound the browsers' connections (NewSlots); the
	// upstream subscriptions are bounded by the DialogWatch.
	StreamsPerSession, MaxStreams int
}

// DialogStreams serves each open dialog page a server-sent-event stream of its dialog's
// events, from a DialogWatch: the pages of one user and dialog share one upstream subscription.
type DialogStreams struct {
	watch     *DialogWatch
	slots     *Slots
	alive     func(ctx context.Context, id string) bool
	heartbeat time.Duration
	ending    chan struct{} // closed by End
	endOnce   sync.Once
}

// NewDialogStreams returns the dialog pages' streams over watch.
func NewDialogStreams(watch *DialogWatch, cfg DialogStreamConfig) *DialogStreams {
	s := &DialogStreams{watch: watch, slots: NewSlots(cfg.MaxStreams, cfg.StreamsPerSession),
		alive: cfg.SessionAlive, heartbeat: cfg.Heartbeat, ending: make(chan struct{})}
	if s.heartbeat <= 0 {
		s.heartbeat = 25 * time.Second
	}
	return s
}

// End ends every open stream (see Streams.End).
func (s *DialogStreams) End() { s.endOnce.Do(func() { close(s.ending) }) }

// Serve streams dialogID's events to w for session until the request ends, the session ends,
// the watch ends or End. tokens gives the dialog token (DialogTokenSource). Every ending is
// answered on the stream: it returns an error only when nothing could be written.
func (s *DialogStreams) Serve(ctx context.Context, w http.ResponseWriter, session, dialogID string, tokens DialogTokenSource) error {
	slot, err := s.slots.Take(session)
	if err != nil {
		return endDialogStream(w, "busy")
	}
	defer slot.Release()
	dw, err := s.watch.Watch(session, dialogID, tokens)
	if errors.Is(err, ErrTooManyStreams) {
		return endDialogStream(w, "busy")
	}
	if err != nil {
		return err
	}
	defer dw.Close()
	sse, err := StartSSE(w, 2*s.heartbeat+10*time.Second)
	if err != nil {
		return nil
	}
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.ending:
			return nil // shutting down: the browser reconnects, to another instance
		case <-slot.Replaced():
			_ = sse.Event(DialogEndedEvent, "refused")
			return nil
		case <-tick.C:
			if s.alive != nil && !s.alive(ctx, session) {
				_ = sse.Event(DialogEndedEvent, "session")
				return nil
			}
			if sse.Ping() != nil {
				return nil
			}
		case ev, ok := <-dw.C():
			if !ok {
				_ = sse.Event(DialogEndedEvent, "refused")
				return nil
			}
			if sse.Event(dialogEventName(ev.Type), "") != nil {
				return nil
			}
		}
	}
}

// dialogEventName is the browser's name for a DialogWatchEvent's type.
func dialogEventName(typ string) string {
	switch typ {
	case DialogWatchUp:
		return DialogUpEvent
	case DialogWatchDown:
		return DialogDownEvent
	case string(dpclient.DialogEventDeleted):
		return DialogDeletedEvent
	}
	return DialogUpdatedEvent
}

// endDialogStream answers a stream that cannot be served with DialogEndedEvent and why.
func endDialogStream(w http.ResponseWriter, why string) error {
	SSEHeaders(w.Header())
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte("event: " + DialogEndedEvent + "\ndata: " + why + "\n\n")); err != nil {
		return nil
	}
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	return nil
}

// EndDialogStream answers a dialog stream request that has no session: the browser stops.
func EndDialogStream(w http.ResponseWriter) { _ = endDialogStream(w, "session") }
