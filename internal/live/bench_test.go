package live

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkMemoryHubPublish: one event to a party watched by 10 of 1,000 subscriptions (100
// parties), none reading (their buffers full, so every send drops the oldest).
func BenchmarkMemoryHubPublish(b *testing.B) {
	h := NewMemoryHub(16)
	for i := range 1000 {
		s := h.Subscribe([]string{fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", i%100)})
		defer s.Close()
	}
	ev := Event{ID: "e", Subject: "urn:altinn:organization:identifier-no:000000007", DialogID: "d"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		_ = h.Publish(ctx, ev)
	}
}

// BenchmarkRedisHubRoundTrip: publish on one instance, receive on another, through a real
// redis-server on loopback.
func BenchmarkRedisHubRoundTrip(b *testing.B) {
	rdb := redisServer(b)
	ctx := context.Background()
	a, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	c, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: "bench", Buffer: 1024})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	s := c.Subscribe([]string{orgA})
	defer s.Close()
	ev := Event{ID: "e", Subject: orgA, DialogID: "d"}
	b.ReportAllocs()
	for b.Loop() {
		if err := a.Publish(ctx, ev); err != nil {
			b.Fatal(err)
		}
		<-s.C()
	}
}

// BenchmarkSubscribeSharedSet: one more stream for all of a user's 15,000 parties while another
// holds the set: what each further stream allocates (the set's hash; the index is shared).
func BenchmarkSubscribeSharedSet(b *testing.B) {
	h := NewMemoryHub(0)
	set := parties(15000)
	defer h.Subscribe(set).Close()
	b.ReportAllocs()
	for b.Loop() {
		h.Subscribe(set).Close()
	}
}

// BenchmarkNameKeys15000: naming the party of an event that came over Redis in the banner of a
// stream for 15,000 parties, the party last in the list (the worst case: every party hashed).
func BenchmarkNameKeys15000(b *testing.B) {
	hasher, err := newPartyHasher(testKeys)
	if err != nil {
		b.Fatal(err)
	}
	h := &RedisHub{hasher: hasher}
	set := parties(15000)
	keys := []string{hasher.local(Key(set[len(set)-1]))}
	b.ReportAllocs()
	for b.Loop() {
		if len(h.nameKeys(set, keys)) != 1 {
			b.Fatal("not named")
		}
	}
}
