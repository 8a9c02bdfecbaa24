package e2e

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/live"
)

// BenchmarkLiveDialogPages is the cost of open dialog pages (issue 11's figures): the upstream
// calls each makes, and the memory each holds, over 10 minutes. Time is compressed: the
// emulator's dialog tokens live 600 s / scale and the portal renews them 30 s / scale before
// expiry (Dialogporten's 600 s and the portal's default 30 s), so scale-fold fewer seconds
// cover the same renewals. Each page is what a browser does: GET /dialogs/:id, then its event
// stream GET /dialogs/:id/live. Sessions × dialogs pages, one tab each (a session holds at most
// six streams). Memory is the whole process' live heap after GC per page, so it counts the
// emulator's side of each stream and this test's reader as well: an upper bound for the
// portal's share. Run it with -benchtime=1x:
//
//	go test -run '^$' -bench BenchmarkLiveDialogPages -benchtime=1x ./internal/e2e/
//
// LIVE_BENCH_SCALE (default 10: one minute) trades run time (600 s / scale) for the renewal's
// lead (30 s / scale), which a loaded machine may miss: late-renewals counts the streams that
// failed for it (each then costs a reconnect, counted in the calls).
func BenchmarkLiveDialogPages(b *testing.B) {
	scale := 10
	if v := os.Getenv("LIVE_BENCH_SCALE"); v != "" {
		var err error
		if scale, err = strconv.Atoi(v); err != nil || scale < 1 || scale > 100 {
			b.Fatalf("LIVE_BENCH_SCALE=%q: want 1…100", v)
		}
	}
	const sessions, perSession = 8, 5
	window := 10 * time.Minute / time.Duration(scale)
	st := startStackOpts(b, devstack.Options{Scenario: "default",
		DialogTokenLifetime: 600 * time.Second / time.Duration(scale), DialogWatch: live.DialogWatchOptions{RenewBefore: 30 * time.Second / time.Duration(scale)}})
	type page struct {
		client int
		id     string
	}
	var pages []page
	clients := make([]*browsertest.Client, sessions)
	for i := range clients {
		c, inbox := portalClient(b, st.Stack, st.Users()[0].PID)
		clients[i] = c
		var ids []string
		c.Get(inbox).Doc.Find(rowSel).Each(func(_ int, row *goquery.Selection) { ids = append(ids, rowID(row)) })
		n := 0
		for _, id := range ids {
			// Dialogs the page refuses (a higher security level, no access) are not pages.
			if n < perSession && c.Get(st.PortalURL+"/dialogs/"+id).Resp.StatusCode == 200 {
				pages = append(pages, page{i, id})
				n++
			}
		}
		if n < perSession {
			b.Fatalf("only %d dialogs to open in the inbox", n)
		}
	}
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		st.upstream.reset()
		start := time.Now()
		tabs := make([]*sseTab, len(pages))
		for i, p := range pages {
			c := clients[p.client]
			if got := c.Get(st.PortalURL + "/dialogs/" + p.id); got.Resp.StatusCode != 200 {
				b.Fatalf("dialog page: %d", got.Resp.StatusCode)
			}
			tabs[i] = openTab(b, c, st.PortalURL, p.id)
		}
		for _, tab := range tabs {
			tab.expect(b, "stream-up", stepTimeout)
		}
		runtime.GC()
		var open runtime.MemStats
		runtime.ReadMemStats(&open)
		goOpen := runtime.NumGoroutine()
		if n := st.Emulator.OpenDialogEventStreams(); n != len(pages) {
			b.Errorf("%d upstream subscriptions for %d pages, want one each", n, len(pages))
		}
		time.Sleep(window - time.Since(start))
		// Nothing changed and renewals are unseen: a page hears nothing, unless a renewal came
		// too late (compressed, the lead is 30 s / scale) and the stream failed and reopened.
		downs := 0
		for _, tab := range tabs {
			for len(tab.events) > 0 {
				if ev := <-tab.events; ev == "stream-down" {
					downs++
				} else if ev != "stream-up" {
					b.Errorf("a page got %q over the window, want nothing", ev)
				}
			}
		}
		calls := st.upstream.snapshot()
		for _, tab := range tabs {
			tab.close()
		}
		// What the streams alone hold: the heap with them open less the heap once they closed
		// (the pages' caches stay).
		for deadline := time.Now().Add(stepTimeout); st.Emulator.OpenDialogEventStreams() != 0 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(200 * time.Millisecond) // the servers' connection goroutines end
		runtime.GC()
		var closed runtime.MemStats
		runtime.ReadMemStats(&closed)
		goClosed := runtime.NumGoroutine()
		n := float64(len(pages))
		byKind := map[string]int{}
		for _, c := range calls {
			switch {
			case c == subscribeCall:
				byKind["subscribe"]++
			case strings.HasPrefix(c, "GET /dialogporten/api/v1/enduser/dialogs/"):
				byKind["get-dialog"]++
			default:
				byKind["other"]++
			}
		}
		heap := (float64(open.HeapAlloc) - float64(before.HeapAlloc)) / n
		streamHeap := (float64(open.HeapAlloc) - float64(closed.HeapAlloc)) / n
		gor := float64(goOpen-goClosed) / n
		b.ReportMetric(float64(len(calls))/n, "upstream-calls/page/10min")
		b.ReportMetric(float64(byKind["subscribe"])/n, "subscriptions/page/10min")
		b.ReportMetric(float64(byKind["get-dialog"])/n, "get-dialog/page/10min")
		b.ReportMetric(heap, "heap-B/page")
		b.ReportMetric(streamHeap, "stream-heap-B/page")
		b.ReportMetric(gor, "goroutines/page")
		b.ReportMetric(float64(downs), "late-renewals")
		b.Logf("%d open dialog pages (%d sessions × %d), 10 minutes compressed %d-fold into %v: %d upstream calls (%d subscriptions, %d dialog fetches, %d other), %.1f per page; per open page: live heap %.0f B (the streams alone %.0f B) and %.1f goroutines (portal, emulator and test reader together)",
			len(pages), sessions, perSession, scale, window, len(calls), byKind["subscribe"], byKind["get-dialog"], byKind["other"], float64(len(calls))/n, heap, streamHeap, gor)
	}
}
