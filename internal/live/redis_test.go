package live

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/redistest"
)

// redisServer starts a real redis-server on a free loopback port for the test or benchmark (no
// persistence, internal/redistest) and stops it by its PID at the end. It fails, never skips,
// without redis-server.
func redisServer(tb testing.TB) *redis.Client {
	tb.Helper()
	return redistest.Run(tb).NewClient(tb)
}

// testKeys stand in for SESSION_ENCRYPTION_KEYS.
var testKeys = [][]byte{[]byte("0123456789abcdef0123456789abcdef")}

const (
	personURN = "urn:altinn:person:identifier-no:01017012345"
	personPID = "01017012345"
)

// TestRedisChannelCarriesNoPartyURN reads the raw pub/sub traffic, as anyone with access to the
// Redis could (a second client with PSUBSCRIBE *): no party URN, identity or organisation number
// may show, and the events still reach the other instance (issue 8, point 10).
func TestRedisChannelCarriesNoPartyURN(t *testing.T) {
	t.Parallel()
	srv := redistest.Run(t)
	ctx := context.Background()
	spy := srv.NewClient(t).PSubscribe(ctx, "*")
	t.Cleanup(func() { _ = spy.Close() })
	if _, err := spy.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	rdb := srv.NewClient(t)
	a, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	person := b.Subscribe([]string{personURN})
	defer person.Close()
	org := b.Subscribe([]string{orgA})
	defer org.Close()

	for _, ev := range []Event{
		{ID: "e1", Type: "dialogporten.dialog.updated.v1", Subject: personURN, DialogID: "d1"},
		{ID: "e2", Type: "dialogporten.dialog.created.v1", Subject: " URN:ALTINN:PERSON:IDENTIFIER-NO:01017012345 ", DialogID: "d2"},
		{ID: "e3", Type: "dialogporten.dialog.updated.v1", Subject: orgA, DialogID: "d3"},
	} {
		if err := a.Publish(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if got := receive(t, person); got.ID != "e1" || got.DialogID != "d1" || got.Subject != "" {
		t.Errorf("person's subscription got %+v, want e1 for d1 without its subject", got)
	}
	if got := receive(t, person); got.ID != "e2" {
		t.Errorf("person's subscription got %+v, want e2 (the same party, spelt differently)", got)
	}
	if got := receive(t, org); got.ID != "e3" {
		t.Errorf("organisation's subscription got %+v, want e3", got)
	}
	msgs := spy.Channel()
	for i := range 3 {
		select {
		case m := <-msgs:
			for _, clear := range []string{personPID, "310000001", "urn:", "identifier"} {
				if strings.Contains(strings.ToLower(m.Payload), clear) {
					t.Errorf("message %d on %q carries %q in clear: %s", i, m.Channel, clear, m.Payload)
				}
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the spy saw %d messages, want 3", i)
		}
	}
	// Nothing is kept either: a dump of this Redis holds no key at all.
	if keys, err := rdb.Keys(ctx, "*").Result(); err != nil || len(keys) != 0 {
		t.Errorf("keys in redis = %v, %v; want none", keys, err)
	}
}

// TestRedisHubKeyRotation: instances amid the README's rotation (old → old,new → new,old → new)
// still reach each other.
func TestRedisHubKeyRotation(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	ctx := context.Background()
	old, next := []byte("old-key-old-key-old-key-old-key!"), []byte("new-key-new-key-new-key-new-key!")
	for i, pair := range [][2][][]byte{
		{{old}, {old, next}},
		{{old, next}, {next, old}},
		{{next, old}, {next}},
	} {
		ch := fmt.Sprintf("rotation:%d", i)
		x, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: pair[0], Channel: ch})
		if err != nil {
			t.Fatal(err)
		}
		y, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: pair[1], Channel: ch})
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range [][2]*RedisHub{{x, y}, {y, x}} {
			s := dir[1].Subscribe([]string{personURN})
			if err := dir[0].Publish(ctx, Event{ID: "r", Subject: personURN}); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, s); got.ID != "r" {
				t.Errorf("phase %d: got %+v, want the event", i, got)
			}
			s.Close()
		}
		_ = x.Close()
		_ = y.Close()
	}
}

func TestNewRedisHubNeedsKey(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	for _, keys := range [][][]byte{nil, {[]byte("short")}} {
		if h, err := NewRedisHub(context.Background(), rdb, RedisOptions{Keys: keys}); err == nil {
			_ = h.Close()
			t.Errorf("NewRedisHub with keys %q: no error, want one (no party URNs in clear)", keys)
		}
	}
}
