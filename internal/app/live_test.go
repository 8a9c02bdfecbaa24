package app

import (
	"context"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/handlers"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/redistest"
)

func TestSessionAlive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	start := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	now := start
	store := auth.NewMemoryStore(auth.MemoryClock(func() time.Time { return now }))
	cfg := Config{SessionIdleTimeout: 30 * time.Minute, SessionAbsTimeout: 2 * time.Hour}
	alive := sessionAlive(store, cfg, func() time.Time { return now })
	if err := store.Create(ctx, &auth.Session{ID: "s1", CreatedAt: start, LastSeen: start}, 3*time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		at   time.Duration
		id   string
		want bool
	}{
		{"fresh", time.Minute, "s1", true},
		{"unknown id", time.Minute, "nope", false},
		{"idle too long (not touched by asking)", 31 * time.Minute, "s1", false},
	} {
		now = start.Add(tc.at)
		if got := alive(ctx, tc.id); got != tc.want {
			t.Errorf("%s: alive = %v, want %v", tc.name, got, tc.want)
		}
	}
	now = start.Add(time.Minute)
	_ = store.Delete(ctx, "s1")
	if alive(ctx, "s1") {
		t.Error("deleted (logged out): alive = true, want false")
	}
}

func TestLiveConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	off, err := liveConfig(ctx, Config{}, nil, auth.NewMemoryStore(), live.DialogWatchOptions{}, nil)
	if err != nil || off.Secret != "" || off.Hub != nil {
		t.Errorf("without EVENTS_WEBHOOK_SECRET: %+v, %v; want live updates off", off, err)
	}
	secret := "0123456789abcdef0123456789abcdef"
	on, err := liveConfig(ctx, Config{EventsWebhookSecret: secret}, nil, auth.NewMemoryStore(), live.DialogWatchOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := on.Hub.(*live.MemoryHub); !ok || on.Secret != secret || on.SessionAlive == nil {
		t.Errorf("with a secret and no Redis: %+v, want a memory hub, the secret and a session check", on)
	}
	var _ handlers.LiveConfig = on
	if on.Watch != nil || off.Watch != nil {
		t.Error("a dialog watch without a Dialogporten client, want none")
	}
	dp, err := dpclient.New("http://127.0.0.1:1/dialogporten")
	if err != nil {
		t.Fatal(err)
	}
	watched, err := liveConfig(ctx, Config{DialogportenURL: "http://127.0.0.1:1/dialogporten"}, nil, auth.NewMemoryStore(), live.DialogWatchOptions{Upstream: dp}, nil)
	if err != nil || watched.Watch == nil || watched.Secret != "" || watched.Hub != nil || watched.SessionAlive == nil {
		t.Errorf("with DIALOGPORTEN_URL and no secret: %+v, %v; want a dialog watch, a session check and no webhook", watched, err)
	}
}

// TestLiveConfigRedisHashesParties: over REDIS_URL the hub hashes parties under
// SESSION_ENCRYPTION_KEYS, and refuses to start without one.
func TestLiveConfigRedisHashesParties(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := redistest.Run(t).NewClient(t)
	cfg := Config{EventsWebhookSecret: "0123456789abcdef0123456789abcdef", SessionEncryptionKeys: []redisstore.Key{{1, 2, 3}}}
	on, err := liveConfig(ctx, cfg, rdb, auth.NewMemoryStore(), live.DialogWatchOptions{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hub, ok := on.Hub.(*live.RedisHub)
	if !ok {
		t.Fatalf("hub = %T, want *live.RedisHub", on.Hub)
	}
	t.Cleanup(func() { _ = hub.Close() })
	cfg.SessionEncryptionKeys = nil
	if _, err := liveConfig(ctx, cfg, rdb, auth.NewMemoryStore(), live.DialogWatchOptions{}, nil); err == nil {
		t.Error("Redis without SESSION_ENCRYPTION_KEYS: no error, want one (party URNs would go in clear)")
	}
}
