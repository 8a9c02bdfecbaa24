package live

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	orgA = "urn:altinn:organization:identifier-no:310000001"
	orgB = "urn:altinn:organization:identifier-no:310000002"
)

// receive waits for one event on s (failing after a generous bound, never a timing assertion).
func receive(t *testing.T, s *Subscription) Event {
	t.Helper()
	select {
	case ev, ok := <-s.C():
		if !ok {
			t.Fatal("subscription closed, want an event")
		}
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event arrived")
	}
	return Event{}
}

// none checks that nothing is waiting on s after a round trip through the hub: it publishes a
// marker to marker's subject, which s also watches, and expects the marker first.
func none(t *testing.T, h Hub, s *Subscription, marker string) {
	t.Helper()
	if err := h.Publish(context.Background(), Event{ID: "marker", Subject: marker}); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, s); got.ID != "marker" {
		t.Fatalf("got event %q before the marker, want none", got.ID)
	}
}

func testHubRouting(t *testing.T, pub, sub Hub) {
	ctx := context.Background()
	a := sub.Subscribe([]string{orgA})
	defer a.Close()
	both := sub.Subscribe([]string{orgA, " URN:ALTINN:ORGANIZATION:IDENTIFIER-NO:310000002 "})
	defer both.Close()

	if err := pub.Publish(ctx, Event{ID: "1", Subject: orgB, DialogID: "d1"}); err != nil {
		t.Fatal(err)
	}
	if got := receive(t, both); got.ID != "1" || got.DialogID != "d1" {
		t.Fatalf("both got %+v, want event 1 for d1", got)
	}
	none(t, pub, a, orgA) // a does not watch orgB
	if got := receive(t, both); got.ID != "marker" {
		t.Fatalf("both got %q, want the marker", got.ID)
	}
	if err := pub.Publish(ctx, Event{ID: "2", Subject: orgA, Type: "dialogporten.dialog.updated.v1"}); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Subscription{"a": a, "both": both} {
		if got := receive(t, s); got.ID != "2" || got.Type != "dialogporten.dialog.updated.v1" {
			t.Errorf("%s got %+v, want event 2", name, got)
		}
	}
}

func TestMemoryHubRouting(t *testing.T) {
	t.Parallel()
	h := NewMemoryHub(0)
	testHubRouting(t, h, h)
}

func TestMemoryHubCloseUnsubscribes(t *testing.T) {
	t.Parallel()
	h := NewMemoryHub(0)
	s := h.Subscribe([]string{orgA, orgB})
	if got := h.Subscribers(); got != 1 {
		t.Fatalf("subscribers = %d, want 1", got)
	}
	s.Close()
	s.Close() // twice is fine
	if got := h.Subscribers(); got != 0 {
		t.Fatalf("subscribers after close = %d, want 0", got)
	}
	if _, ok := <-s.C(); ok {
		t.Fatal("C is open after Close, want closed")
	}
	if err := h.Publish(context.Background(), Event{ID: "x", Subject: orgA}); err != nil {
		t.Fatalf("publish after close: %v", err)
	}
}

// A subscriber that never reads must not block publishers: the oldest events are dropped.
func TestMemoryHubSlowSubscriberDropsOldest(t *testing.T) {
	t.Parallel()
	h := NewMemoryHub(4)
	slow := h.Subscribe([]string{orgA})
	defer slow.Close()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			_ = h.Publish(context.Background(), Event{ID: fmt.Sprint(i), Subject: orgA})
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("publisher blocked on a slow subscriber")
	}
	if got := slow.Dropped(); got != 96 {
		t.Errorf("dropped = %d, want 96", got)
	}
	var got []string
	for range 4 {
		got = append(got, receive(t, slow).ID)
	}
	if fmt.Sprint(got) != "[96 97 98 99]" {
		t.Errorf("kept %v, want the newest [96 97 98 99]", got)
	}
}

func TestMemoryHubConcurrent(t *testing.T) {
	t.Parallel()
	h := NewMemoryHub(8)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s := h.Subscribe([]string{orgA, orgB})
			for range 20 {
				select {
				case <-s.C():
				default:
				}
			}
			s.Close()
		}()
		go func() {
			defer wg.Done()
			for j := range 50 {
				_ = h.Publish(context.Background(), Event{ID: fmt.Sprint(i, j), Subject: orgA})
			}
		}()
	}
	wg.Wait()
	if got := h.Subscribers(); got != 0 {
		t.Fatalf("subscribers = %d, want 0", got)
	}
}

func TestRedisHubAcrossInstances(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	ctx := context.Background()
	// Two instances on their own channel per case, so no event of one case reaches another.
	pair := func(t *testing.T) (a, b *RedisHub) {
		ch := "test:" + t.Name()
		var err error
		if a, err = NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: ch}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Close() })
		if b, err = NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: ch}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = b.Close() })
		return a, b
	}
	t.Run("A to B", func(t *testing.T) { a, b := pair(t); testHubRouting(t, a, b) })
	t.Run("B to A", func(t *testing.T) { a, b := pair(t); testHubRouting(t, b, a) })
	t.Run("own instance", func(t *testing.T) { a, _ := pair(t); testHubRouting(t, a, a) })
}

func TestRedisHubClose(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	h, err := NewRedisHub(context.Background(), rdb, RedisOptions{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	s := h.Subscribe([]string{orgA})
	if err := h.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	s.Close()
	if got := h.Subscribers(); got != 0 {
		t.Errorf("subscribers = %d, want 0", got)
	}
}

func testDedup(t *testing.T, d Dedup) {
	ctx := context.Background()
	for i, tc := range []struct {
		id   string
		want bool
	}{{"e1", true}, {"e2", true}, {"e1", false}, {"e2", false}, {"e3", true}} {
		got, err := d.First(ctx, tc.id)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("step %d: First(%q) = %v, want %v", i, tc.id, got, tc.want)
		}
	}
}

func TestMemoryDedup(t *testing.T) {
	t.Parallel()
	testDedup(t, NewMemoryDedup(0, 0))
}

func TestMemoryDedupBounded(t *testing.T) {
	t.Parallel()
	d := NewMemoryDedup(2, time.Hour)
	ctx := context.Background()
	for _, id := range []string{"a", "b", "c"} {
		_, _ = d.First(ctx, id)
	}
	if got, _ := d.First(ctx, "a"); !got {
		t.Error(`"a" still remembered beyond the bound, want forgotten`)
	}
	if got, _ := d.First(ctx, "c"); got {
		t.Error(`"c" forgotten, want remembered`)
	}
	if len(d.seen) > 2 {
		t.Errorf("remembers %d ids, want at most 2", len(d.seen))
	}
}

func TestMemoryDedupExpires(t *testing.T) {
	t.Parallel()
	d := NewMemoryDedup(8, time.Minute)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return now }
	ctx := context.Background()
	_, _ = d.First(ctx, "a")
	now = now.Add(2 * time.Minute)
	if got, _ := d.First(ctx, "a"); !got {
		t.Error("expired id still a duplicate, want new")
	}
}

func TestRedisDedup(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	testDedup(t, NewRedisDedup(rdb, "test:dedup:", time.Minute))
	// A second instance sharing the Redis sees the first one's ids.
	other := NewRedisDedup(rdb, "test:dedup:", time.Minute)
	if got, err := other.First(context.Background(), "e1"); err != nil || got {
		t.Errorf("other instance First(e1) = %v, %v; want false (already seen)", got, err)
	}
	if ttl := rdb.TTL(context.Background(), "test:dedup:e1").Val(); ttl <= 0 || ttl > time.Minute {
		t.Errorf("TTL = %v, want within (0, 1m]", ttl)
	}
}

// parties is n organisation URNs, the shape of the "extreme" scenario.
func parties(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 400000000+i)
	}
	return out
}

func TestMemoryHubSharesPartySets(t *testing.T) {
	t.Parallel()
	h := NewMemoryHub(0)
	set := []string{orgA, orgB, orgA} // a repeat is delivered once
	s1 := h.Subscribe(set)
	s2 := h.Subscribe([]string{" " + orgA, strings.ToUpper(orgB), orgA}) // the same, spelt otherwise
	one := h.Subscribe([]string{orgA})
	if got := h.Sets(); got != 2 {
		t.Errorf("sets = %d, want 2 (the same parties in the same order share one)", got)
	}
	if got, want := h.Watchers(orgA), 3; got != want {
		t.Errorf("watchers of A = %d, want %d", got, want)
	}
	if got := h.Watchers(orgB); got != 2 {
		t.Errorf("watchers of B = %d, want 2", got)
	}
	_ = h.Publish(context.Background(), Event{ID: "a", Subject: orgA})
	for name, s := range map[string]*Subscription{"s1": s1, "s2": s2, "one": one} {
		if got := receive(t, s); got.ID != "a" {
			t.Errorf("%s got %q, want a", name, got.ID)
		}
	}
	none(t, h, s1, orgB) // the repeated A in s1's set did not deliver twice
	s1.Close()
	if got := h.Watchers(orgB); got != 1 {
		t.Errorf("watchers of B after one closed = %d, want 1", got)
	}
	s2.Close()
	one.Close()
	if h.Sets() != 0 || len(h.byKey) != 0 || h.Subscribers() != 0 {
		t.Errorf("after all closed: %d sets, %d keys, %d subscribers; want none", h.Sets(), len(h.byKey), h.Subscribers())
	}
}

// heapAfterGC is the live heap, measured after two collections.
func heapAfterGC() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// subscriptionBytes is the heap a subscription to n parties adds once the set is watched (k
// subscriptions measured together), and the heap of the first one, which indexes the set.
func subscriptionBytes(h Hub, n, k int) (each, first int64) {
	set := parties(n)
	before := heapAfterGC()
	s0 := h.Subscribe(set)
	afterFirst := heapAfterGC()
	subs := make([]*Subscription, k)
	for i := range subs {
		subs[i] = h.Subscribe(parties(n)) // a fresh slice each time, as a handler builds it
	}
	after := heapAfterGC()
	for _, s := range subs {
		s.Close()
	}
	s0.Close()
	return (int64(after) - int64(afterFirst)) / int64(k), int64(afterFirst) - int64(before)
}

// TestSubscriptionMemoryIndependentOfPartyCount: a stream for all of a user's 15,000 parties
// costs what a stream for 15 does; only the first indexes the set (issue 8, point 3). Before,
// every subscription indexed every party: about 1.1 MB each at 15,000.
func TestSubscriptionMemoryIndependentOfPartyCount(t *testing.T) {
	rdb := redisServer(t)
	rh, err := NewRedisHub(context.Background(), rdb, RedisOptions{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	defer rh.Close()
	for name, h := range map[string]Hub{"memory": NewMemoryHub(0), "redis": rh} {
		small, _ := subscriptionBytes(h, 15, 200)
		big, first := subscriptionBytes(h, 15000, 200)
		t.Logf("%s hub: %d B per subscription at 15 parties, %d B at 15,000 (the set's index, once: %d B)", name, small, big, first)
		if big > 16<<10 || big > small+4<<10 {
			t.Errorf("%s hub: a subscription to 15,000 parties holds %d B (%d B at 15), want no more than at 15 parties and under 16 KiB", name, big, small)
		}
	}
}
