package live

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// streamServer serves one stream per request: the session is ?s=, the subject ?subject=, the
// dialog ?dialog=; the banner says the count. Serve's error (ErrTooManyStreams) is a 503.
func streamServer(t *testing.T, s *Streams) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		err := s.Serve(r.Context(), w, Watch{Session: q.Get("s"), Subjects: []string{q.Get("subject")}, Dialog: q.Get("dialog")},
			func(_ context.Context, count int, more bool, _ []string) (string, error) {
				return fmt.Sprintf("%d %v", count, more), nil
			})
		if errors.Is(err, ErrTooManyStreams) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// sseReader reads one stream's events ("name: data") in order.
type sseReader struct {
	t    *testing.T
	resp *http.Response
	sc   *bufio.Scanner
}

func openStream(t *testing.T, srv *httptest.Server, query string) *sseReader {
	t.Helper()
	resp, err := http.Get(srv.URL + "?" + query)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &sseReader{t: t, resp: resp, sc: bufio.NewScanner(resp.Body)}
}

// next returns the next named event as "name: data" ("" at the end of the stream).
func (r *sseReader) next() string {
	r.t.Helper()
	name := ""
	for r.sc.Scan() {
		line := r.sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: ") && name != "":
			return name + ": " + strings.TrimPrefix(line, "data: ")
		case line == "data:" && name != "":
			return name + ": "
		}
	}
	return ""
}

// waitSubscribed waits until the hub has n subscribers (a stream subscribes after it opens).
func waitSubscribed(t *testing.T, hub *MemoryHub, n int) {
	t.Helper()
	for range 500 {
		if hub.Subscribers() == n {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("%d subscribers, want %d", hub.Subscribers(), n)
}

// TestStreamsServe: a list's stream gets its subject's events as ChangedEvent with the banner
// of the count so far; a dialog's stream only that dialog's, without the user's own reading of
// it; a newer stream of a session beyond its slots replaces the oldest, which is told so.
func TestStreamsServe(t *testing.T) {
	t.Parallel()
	hub := NewMemoryHub(0)
	s := NewStreams(hub, StreamConfig{Heartbeat: time.Hour, StreamsPerSession: 2})
	defer s.End()
	srv := streamServer(t, s)
	list := openStream(t, srv, "s=a&subject=urn:p1")
	dialog := openStream(t, srv, "s=a&subject=urn:p1&dialog=d2")
	waitSubscribed(t, hub, 2)
	ctx := t.Context()
	for _, ev := range []Event{
		{ID: "1", Type: "dialogporten.dialog.updated.v1", Subject: "urn:p1", DialogID: "d1"},
		{ID: "2", Type: "dialogporten.dialog.seen.v1", Subject: "urn:p1", DialogID: "d2"},
		{ID: "3", Type: "dialogporten.dialog.updated.v1", Subject: "urn:other", DialogID: "d2"},
		{ID: "4", Type: "dialogporten.dialog.updated.v1", Subject: "urn:p1", DialogID: "d2"},
	} {
		if err := hub.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	// The list counts distinct dialogs (d2 twice is one), and never another party's events.
	for i, want := range []string{ChangedEvent + ": 1 false", ChangedEvent + ": 2 false", ChangedEvent + ": 2 false"} {
		if got := list.next(); got != want {
			t.Errorf("list event %d: got %q, want %q", i, got, want)
		}
	}
	if got := dialog.next(); got != ChangedEvent+": 1 false" {
		t.Errorf("dialog stream: got %q, want only the update of d2", got)
	}
	// A third stream of the session: the oldest (the list's) is replaced.
	openStream(t, srv, "s=a&subject=urn:p1")
	if got := list.next(); got != closeEvent+": replaced" {
		t.Errorf("replaced stream: got %q, want %q", got, closeEvent+": replaced")
	}
}

// TestStreamsBounds: beyond MaxStreams a stream is refused with ErrTooManyStreams before
// anything is written; a stream whose session is gone is told so at its heartbeat; End ends the
// rest.
func TestStreamsBounds(t *testing.T) {
	t.Parallel()
	var alive atomic.Bool
	alive.Store(true)
	hub := NewMemoryHub(0)
	s := NewStreams(hub, StreamConfig{Heartbeat: 10 * time.Millisecond, MaxStreams: 2,
		SessionAlive: func(_ context.Context, id string) bool { return id != "gone" || alive.Load() }})
	srv := streamServer(t, s)
	kept := openStream(t, srv, "s=a&subject=urn:p1")
	gone := openStream(t, srv, "s=gone&subject=urn:p1")
	waitSubscribed(t, hub, 2)
	refused, err := http.Get(srv.URL + "?s=b&subject=urn:p1")
	if err != nil {
		t.Fatal(err)
	}
	refused.Body.Close()
	if refused.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("a third stream: status %d, want 503", refused.StatusCode)
	}
	alive.Store(false)
	if got := gone.next(); got != closeEvent+": " {
		t.Errorf("stream of an ended session: got %q, want %q", got, closeEvent+": ")
	}
	s.End()
	if got := kept.next(); got != "" {
		t.Errorf("after End: got %q, want the stream ended", got)
	}
}

// TestSessionEnded: a stream request without a session is answered with the close event.
func TestSessionEnded(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	SessionEnded(rec)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/event-stream; charset=utf-8" ||
		rec.Body.String() != "event: "+closeEvent+"\ndata: \n\n" {
		t.Errorf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}
