package handlers

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/live"
)

// startRedis runs a real redis-server on a free loopback port for t (no persistence), stopped
// by its PID when t ends. It fails, never skips, when redis-server is missing.
func startRedis(t *testing.T) *redis.Client {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		bin = "/usr/bin/redis-server"
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("redis-server is not installed (apt-get install redis-server): %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	c := redis.NewClient(&redis.Options{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))})
	t.Cleanup(func() { _ = c.Close() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := c.Ping(ctx).Err()
		cancel()
		if err == nil {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("redis-server did not answer: %v", err)
		}
	}
}

// TestLiveAcrossInstances: Altinn Events posts to instance A; the browser's stream is on
// instance B; both share a Redis (hub and duplicate check), as with REDIS_URL.
func TestLiveAcrossInstances(t *testing.T) {
	t.Parallel()
	rdb := startRedis(t)
	instance := func() *harness {
		hub, err := live.NewRedisHub(context.Background(), rdb, live.RedisOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = hub.Close() })
		return newLiveHarnessWith(t, LiveConfig{Secret: testHookSecret, Hub: hub, Dedup: live.NewRedisDedup(rdb, "", time.Minute)})
	}
	a, b := instance(), instance()
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
