package live

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPoller: one search per session every 30 s; a failed search pauses the session's polls for
// two minutes, or for longer when upstream says so; a page older than 15 minutes is told it is
// the last poll; nothing to watch makes no search.
func TestPoller(t *testing.T) {
	t.Parallel()
	errBusy := errors.New("busy")
	p := NewPoller(func(err error) time.Duration {
		if errors.Is(err, errBusy) {
			return 5 * time.Minute
		}
		return 0
	})
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	since := t0.Add(-time.Minute)
	calls := 0
	answer := func(count int, more bool, err error) ChangeSearch {
		return func(_ context.Context, got time.Time) (int, bool, error) {
			calls++
			if !got.Equal(since) {
				t.Errorf("searched since %v, want %v", got, since)
			}
			return count, more, err
		}
	}
	ctx := t.Context()
	if got := p.Poll(ctx, "s1", since, t0, answer(3, true, nil)); got != (Poll{Count: 3, More: true}) || calls != 1 {
		t.Fatalf("first poll: %+v after %d searches, want 3 and more after 1", got, calls)
	}
	if got := p.Poll(ctx, "s1", since, t0.Add(29*time.Second), answer(1, false, nil)); got != (Poll{}) || calls != 1 {
		t.Errorf("poll within 30 s: %+v after %d searches, want nothing and no search", got, calls)
	}
	if got := p.Poll(ctx, "s2", since, t0.Add(29*time.Second), answer(1, false, nil)); got.Count != 1 || calls != 2 {
		t.Errorf("another session: %+v, want its own search", got)
	}
	// A failure pauses the session: two minutes, or what upstream asks.
	t1 := t0.Add(30 * time.Second)
	if got := p.Poll(ctx, "s1", since, t1, answer(0, false, errors.New("down"))); got != (Poll{}) || calls != 3 {
		t.Errorf("failed search: %+v, want no change", got)
	}
	if p.Poll(ctx, "s1", since, t1.Add(119*time.Second), answer(1, false, nil)); calls != 3 {
		t.Errorf("searched within the two minutes after a failure")
	}
	t2 := t1.Add(2 * time.Minute)
	if p.Poll(ctx, "s1", since, t2, answer(0, false, errBusy)); calls != 4 {
		t.Fatalf("no search two minutes after a failure")
	}
	if p.Poll(ctx, "s1", since, t2.Add(4*time.Minute), answer(1, false, nil)); calls != 4 {
		t.Errorf("searched before upstream's Retry-After of five minutes")
	}
	if got := p.Poll(ctx, "s1", since, t2.Add(5*time.Minute), answer(1, false, nil)); got.Count != 1 || calls != 5 {
		t.Errorf("after Retry-After: %+v, want a search", got)
	}
	// A page older than its lifetime: the last answer, still with what changed.
	old := t0.Add(-16 * time.Minute)
	since = old
	if got := p.Poll(ctx, "s3", old, t0, answer(2, false, nil)); got != (Poll{Count: 2, Last: true}) {
		t.Errorf("old page: %+v, want the count and Last", got)
	}
	if got := p.Poll(ctx, "s4", old, t0, nil); got != (Poll{Last: true}) {
		t.Errorf("nothing to watch: %+v, want only Last", got)
	}
	if got := p.Poll(ctx, "s4", since, t0, answer(1, false, nil)); got.Count != 1 {
		t.Errorf("a session whose poll watched nothing was held back: %+v", got)
	}
}
