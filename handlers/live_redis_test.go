package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/redistest"
)

// testRedisKeys stand in for SESSION_ENCRYPTION_KEYS.
var testRedisKeys = [][]byte{[]byte("0123456789abcdef0123456789abcdef")}

// startRedis runs a real redis-server for t (internal/redistest) and returns a client of it.
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	return redistest.Run(t).NewClient(t)
}

// TestLiveAcrossInstances: Altinn Events posts to instance A; the browser's stream is on
// instance B; both share a Redis (hub and duplicate check), as with REDIS_URL.
func TestLiveAcrossInstances(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	a, b := redisInstance(t, rdb), redisInstance(t, rdb)
	srvB := httptest.NewServer(b.srv.Echo)
	t.Cleanup(srvB.Close)
	c := openStream(t, srvB, "?party="+selfUUID, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	post := func(h *harness, id, dialog string) {
		body := strings.ReplaceAll(dialogEvent(id, "dialogporten.dialog.updated.v1"), testDialog1, dialog)
		if rec := postEvent(h, "?secret="+testHookSecret, "application/json", body); rec.Code != http.StatusOK {
			t.Fatalf("POST event %s: %d, want 200", id, rec.Code)
		}
	}
	post(a, "e1", testDialog1)
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(data, "1 ny eller endret melding.") {
		t.Fatalf("on B: %q %q, want the banner for one change", name, data)
	}
	post(b, "e1", testDialog1) // Altinn Events' retry, landing on the other instance: a duplicate
	post(b, "e2", "0190fbd7-0000-7000-8000-000000000002")
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(data, "2 nye eller endrede meldinger.") {
		t.Fatalf("on B after the duplicate and a second dialog: %q %q, want 2 (the duplicate dropped)", name, data)
	}
}

// TestLiveRedisShowsNoIdentityNumber: an event for a person posted to the webhook crosses Redis
// to the other instance's stream, and neither the pub/sub traffic (a second client with
// PSUBSCRIBE *) nor anything stored in Redis shows the national identity number or the party
// URN (issue 8, point 10).
func TestLiveRedisShowsNoIdentityNumber(t *testing.T) {
	t.Parallel()
	srv := redistest.Run(t)
	ctx := context.Background()
	spy := srv.NewClient(t).PSubscribe(ctx, "*")
	t.Cleanup(func() { _ = spy.Close() })
	if _, err := spy.Receive(ctx); err != nil {
		t.Fatal(err)
	}
	rdb := srv.NewClient(t)
	a, b := redisInstance(t, rdb), redisInstance(t, rdb)
	srvB := httptest.NewServer(b.srv.Echo)
	t.Cleanup(srvB.Close)
	c := openStream(t, srvB, "?party="+selfUUID, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	if rec := postEvent(a, "?secret="+testHookSecret, "application/json", dialogEvent("e1", "dialogporten.dialog.updated.v1")); rec.Code != http.StatusOK {
		t.Fatalf("POST event: %d, want 200", rec.Code)
	}
	if name, _ := c.next(); name != "dialog-changed" {
		t.Fatalf("on B: %q, want dialog-changed", name)
	}
	select {
	case m := <-spy.Channel():
		assertNoParty(t, "message on "+m.Channel, m.Payload)
	case <-time.After(10 * time.Second):
		t.Fatal("the spy saw no message on the channel")
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		assertNoParty(t, "key", k)
		v, _ := rdb.Dump(ctx, k).Result()
		assertNoParty(t, "value of "+k, v)
	}
}

func assertNoParty(t *testing.T, what, s string) {
	t.Helper()
	for _, clear := range []string{"01017012345", "urn:altinn", "identifier-no"} {
		if strings.Contains(strings.ToLower(s), clear) {
			t.Errorf("%s carries %q in clear: %q", what, clear, s)
		}
	}
}

// redisInstance is one portal instance whose live hub and duplicate check are the Redis rdb.
func redisInstance(t *testing.T, rdb *redis.Client) *harness {
	t.Helper()
	hub, err := live.NewRedisHub(context.Background(), rdb, live.RedisOptions{Keys: testRedisKeys})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hub.Close() })
	return newLiveHarnessWith(t, LiveConfig{Secret: testHookSecret, Hub: hub, Dedup: live.NewRedisDedup(rdb, "", time.Minute)})
}
