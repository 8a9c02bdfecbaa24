package live

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
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

// TestRedisStreamNamesParties: an event published on one instance reaches a stream on another
// with only its party's keyed hash, and the banner gets the party's URN all the same, taken from
// the stream's own subjects (Watch.Recall, asked once per party, not per event); a party the
// subjects no longer hold goes unnamed.
func TestRedisStreamNamesParties(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	ctx := t.Context()
	a, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: "names"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b, err := NewRedisHub(ctx, rdb, RedisOptions{Keys: testKeys, Channel: "names"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	s := NewStreams(b, StreamConfig{Heartbeat: time.Hour})
	defer s.End()
	subjects := []string{orgA, orgB, personURN}
	var recalls atomic.Int32
	banners := make(chan []string, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = s.Serve(r.Context(), w, Watch{Session: "s", Subjects: subjects,
			Recall: func(context.Context) []string { recalls.Add(1); return []string{orgA, orgB} }}, // the person: no longer theirs
			func(_ context.Context, count int, _ bool, parties []string) (string, error) {
				banners <- parties
				return fmt.Sprint(count), nil
			})
	}))
	t.Cleanup(srv.Close)
	openStream(t, srv, "")
	for range 500 {
		if b.Subscribers() == 1 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	next := func() []string {
		t.Helper()
		select {
		case p := <-banners:
			return p
		case <-time.After(10 * time.Second):
			t.Fatal("no banner")
			return nil
		}
	}
	for i, step := range []struct {
		ev   Event
		want string
	}{
		{Event{ID: "1", Subject: strings.ToUpper(orgB), DialogID: "d1"}, "[" + orgB + "]"},
		{Event{ID: "2", Subject: orgA, DialogID: "d2"}, "[" + orgB + " " + orgA + "]"},
		{Event{ID: "3", Subject: orgB, DialogID: "d3"}, "[" + orgB + " " + orgA + "]"},
		{Event{ID: "4", Subject: personURN, DialogID: "d4"}, "[" + orgB + " " + orgA + "]"},
		{Event{ID: "5", Subject: personURN, DialogID: "d5"}, "[" + orgB + " " + orgA + "]"},
	} {
		if err := a.Publish(ctx, step.ev); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(next()); got != step.want {
			t.Errorf("banner %d names %s, want %s", i+1, got, step.want)
		}
	}
	// orgB, orgA and the person each once; a party seen before (or tried before) costs nothing.
	if n := recalls.Load(); n != 3 {
		t.Errorf("Recall called %d times, want 3 (once per new party)", n)
	}
}

// TestRedisNameKeysOnlyFromSubjects: a key names only a party of the subjects it is given; the
// key of another party, or one under another key, names nothing.
func TestRedisNameKeysOnlyFromSubjects(t *testing.T) {
	t.Parallel()
	rdb := redisServer(t)
	h, err := NewRedisHub(t.Context(), rdb, RedisOptions{Keys: testKeys, Channel: "namekeys"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	other, err := newPartyHasher([][]byte{[]byte("another-key-another-key-another!!")})
	if err != nil {
		t.Fatal(err)
	}
	inside, outside := h.hasher.local(Key(orgA)), h.hasher.local(Key(personURN))
	elsewhere := other.local(Key(orgB))
	got := h.nameKeys([]string{"", " " + orgA, orgB}, []string{inside, outside, elsewhere})
	if len(got) != 1 || got[inside] != " "+orgA {
		t.Errorf("nameKeys = %q, want only %s named, as the subjects spell it", got, orgA)
	}
	if got := h.nameKeys(nil, []string{inside}); len(got) != 0 {
		t.Errorf("nameKeys without subjects = %q, want none", got)
	}
}
