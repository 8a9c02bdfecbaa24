package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/redistest"
	"github.com/innboks/innboks/internal/store"
	"github.com/innboks/innboks/internal/workspace"
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

// TestLiveAcrossInstancesNamesParties: over Redis the events carry only a hash of the party,
// and the banner of a group's list (all organisations) on the other instance names the parties
// all the same, from the user's own party list.
func TestLiveAcrossInstancesNamesParties(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	a, b := redisInstance(t, rdb), redisInstance(t, rdb)
	srvB := httptest.NewServer(b.srv.Echo)
	t.Cleanup(srvB.Close)
	c := openStream(t, srvB, "?party="+AllOrgs, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	post := func(id, subject, dialog string) {
		body := strings.ReplaceAll(dialogEvent(id, "dialogporten.dialog.updated.v1"), testDialog1, dialog)
		body = strings.ReplaceAll(body, kariURN, subject)
		if rec := postEvent(a, "?secret="+testHookSecret, "application/json", body); rec.Code != http.StatusOK {
			t.Fatalf("POST event %s: %d, want 200", id, rec.Code)
		}
	}
	post("o1", "urn:altinn:organization:identifier-no:310000002", testDialog1)
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(strings.ToLower(data), "1 ny eller endret melding. gjelder alta auto as.") {
		t.Fatalf("on B: %q %q, want the banner to name Alta Auto", name, data)
	}
	post("o2", "urn:altinn:organization:identifier-no:310000001", "0190fbd7-0000-7000-8000-000000000002")
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(strings.ToLower(data), "2 nye eller endrede meldinger. gjelder alta auto as, bergen bakeri as.") {
		t.Fatalf("on B: %q %q, want the banner to name both, first seen first", name, data)
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

// TestLiveAcrossInstancesNamesFavourites: the favourites' banner on the other instance names
// the favourite whose dialog changed (its parties read again from the workspace), and a party
// that is not a favourite reaches no favourites' stream.
func TestLiveAcrossInstancesNamesFavourites(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	a, b := redisInstance(t, rdb), redisInstance(t, rdb)
	st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	b.auth.sessions["s1"].Owner = string(store.OwnerKey([]byte("k"), "01017012345"))
	b.srv = New(Deps{Config: b.cfg, Login: b.auth.routes(), Sessions: b.auth,
		Parties: b.dp.partyService(), Search: b.dp.searchService(), Dialogs: withBulk{stubDialogs{}, &b.dp.bulk},
		Workspace: workspace.New(st, nil)})
	star := url.Values{"party": {altaUUID}, "on": {"1"}}
	if rec := b.do("POST", "/favourites", req{loggedIn: true, csrf: true, form: star}); rec.Code != http.StatusSeeOther {
		t.Fatalf("star Alta Auto: %d, want 303", rec.Code)
	}
	srvB := httptest.NewServer(b.srv.Echo)
	t.Cleanup(srvB.Close)
	c := openStream(t, srvB, "?party=favourites", true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	for i, subject := range []string{"urn:altinn:organization:identifier-no:310000001", "urn:altinn:organization:identifier-no:310000002"} {
		body := strings.ReplaceAll(dialogEvent(fmt.Sprint("f", i), "dialogporten.dialog.updated.v1"), kariURN, subject)
		if rec := postEvent(a, "?secret="+testHookSecret, "application/json", body); rec.Code != http.StatusOK {
			t.Fatalf("POST event %d: %d, want 200", i, rec.Code)
		}
	}
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(strings.ToLower(data), "1 ny eller endret melding. gjelder alta auto as.") {
		t.Fatalf("on B: %q %q, want the banner to name the favourite Alta Auto alone", name, data)
	}
}
