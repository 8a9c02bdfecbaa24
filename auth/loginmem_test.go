package auth_test

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// The figure of issue 8, point 2: 300,000 anonymous GET /login may add at most 16 MiB to the
// portal's memory (the Go heap, and with the Redis store also redis-server's used_memory).
const (
	anonymousLogins = 300_000
	maxLoginGrowth  = 16 << 20
)

// loginFlood is how many GET /login the memory test sends; the bound is scaled to it. The
// default, a tenth of the figure, keeps the suite quick (and the race detector's run
// bearable); -login-flood=300000 measures the figure itself.
var loginFlood = flag.Int("login-flood", anonymousLogins/10, "GET /login requests TestAnonymousLoginsCostNoServerMemory sends")

// TestAnonymousLoginsCostNoServerMemory sends GET /login without cookies, as a flood of
// anonymous clients would, and reports how much that grew the Go heap and, on the Redis store,
// redis-server's used_memory: a pending login lives in the browser's login cookie, so neither
// may grow by more than 16 MiB per 300,000. It does not run in parallel, so that nothing else
// moves the figures.
func TestAnonymousLoginsCostNoServerMemory(t *testing.T) {
	n := max(*loginFlood, 1000)
	for _, kind := range storeKinds {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind)
			h := http.HandlerFunc(e.rp.Login)
			target := "/login?return_to=" + "%2Finbox%3Fparty%3D0190c6a2-0000-7000-8000-000000000001%26page%3D2"
			redisBefore := redisUsedMemory(t, kind)
			heapBefore := liveHeap()
			for i := range n {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusSeeOther {
					t.Fatalf("request %d: status %d, want 303", i, rec.Code)
				}
			}
			heap := liveHeap() - heapBefore
			redis := redisUsedMemory(t, kind) - redisBefore
			runtime.KeepAlive(e)
			t.Logf("%s store: %d anonymous GET /login grew the Go heap by %.1f MiB (%d B each) and redis-server by %.1f MiB",
				kind, n, mib(heap), heap/int64(n), mib(redis))
			perFigure := func(b int64) int64 { return b * anonymousLogins / int64(n) }
			if perFigure(heap) > maxLoginGrowth || perFigure(redis) > maxLoginGrowth {
				t.Errorf("%d anonymous logins: heap +%.1f MiB, redis +%.1f MiB; want each at most %d MiB per %d",
					n, mib(heap), mib(redis), maxLoginGrowth>>20, anonymousLogins)
			}
		})
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// redisUsedMemory is the redis-server's used_memory for the Redis store, 0 for the others.
func redisUsedMemory(t *testing.T, kind string) int64 {
	t.Helper()
	if kind != "redis" {
		return 0
	}
	c := redisServer.Client()
	defer c.Close()
	info, err := c.Info(context.Background(), "memory").Result()
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no used_memory in INFO memory")
	return 0
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }
