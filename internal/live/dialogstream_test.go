package live

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// dialogStreamServer serves DialogStreams.Serve for ?s= (session) and ?d= (dialog), with
// tokens from f.
func dialogStreamServer(t *testing.T, s *DialogStreams, f *fakeDialogporten) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		_ = s.Serve(r.Context(), w, q.Get("s"), q.Get("d"), f.source(q.Get("d"), time.Hour))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// dialogEvents opens a page's stream and returns its event names as they come.
func dialogEvents(t *testing.T, srv *httptest.Server, session, dialog string) (<-chan string, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"?s="+session+"&d="+dialog, nil)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	out := make(chan string, 16)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				out <- name
			} else if data, ok := strings.CutPrefix(sc.Text(), "data: "); ok && data != "" {
				out <- "data:" + data
			}
		}
	}()
	return out, cancel
}

func next(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case ev := <-ch:
		return ev
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return ""
}

// TestDialogStreamsServe: a page's stream says when the upstream is up, passes the dialog's
// events on by their browser names, and shares the upstream with the session's other tab.
func TestDialogStreamsServe(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	s := NewDialogStreams(newTestWatch(t, f, DialogWatchOptions{}), DialogStreamConfig{})
	srv := dialogStreamServer(t, s, f)
	tab1, close1 := dialogEvents(t, srv, "s1", dialogA)
	tab2, close2 := dialogEvents(t, srv, "s1", dialogA)
	for _, tab := range []<-chan string{tab1, tab2} {
		if ev := next(t, tab); ev != DialogUpEvent {
			t.Fatalf("first event %q, want %q", ev, DialogUpEvent)
		}
	}
	if got := s.watch.Upstreams(); got != 1 || f.connects.Load() != 1 {
		t.Fatalf("two tabs: %d upstreams, %d subscriptions; want 1 and 1", got, f.connects.Load())
	}
	f.push(dialogA, "DIALOG_UPDATED")
	f.push(dialogA, "DIALOG_DELETED")
	for _, tab := range []<-chan string{tab1, tab2} {
		if a, b := next(t, tab), next(t, tab); a != DialogUpdatedEvent || b != DialogDeletedEvent {
			t.Errorf("events %q, %q; want %q, %q", a, b, DialogUpdatedEvent, DialogDeletedEvent)
		}
	}
	close1()
	close2()
	eventually(t, "the upstream to close with the last tab", func() bool { return s.watch.Upstreams() == 0 && f.active.Load() == 0 })
}

// TestDialogStreamsEnd: the session's end, a refused upstream and the caps each end the stream
// with watch-ended and why.
func TestDialogStreamsEnd(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	var alive atomic.Bool
	alive.Store(true)
	s := NewDialogStreams(newTestWatch(t, f, DialogWatchOptions{MaxUpstreams: 1}), DialogStreamConfig{
		Heartbeat: 50 * time.Millisecond, SessionAlive: func(context.Context, string) bool { return alive.Load() }})
	srv := dialogStreamServer(t, s, f)
	tab, _ := dialogEvents(t, srv, "s1", dialogA)
	if ev := next(t, tab); ev != DialogUpEvent {
		t.Fatalf("first event %q", ev)
	}
	busy, _ := dialogEvents(t, srv, "s2", dialogB) // a second upstream beyond MaxUpstreams
	if a, b := next(t, busy), next(t, busy); a != DialogEndedEvent || b != "data:busy" {
		t.Errorf("beyond the cap: %q %q, want %s busy", a, b, DialogEndedEvent)
	}
	alive.Store(false)
	if a, b := next(t, tab), next(t, tab); a != DialogEndedEvent || b != "data:session" {
		t.Errorf("session over: %q %q, want %s session", a, b, DialogEndedEvent)
	}
}
