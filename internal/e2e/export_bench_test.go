package e2e

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/devstack"
)

// lineCounter counts the lines written through it.
type lineCounter struct{ lines, bytes int64 }

func (l *lineCounter) Write(p []byte) (int, error) {
	l.lines += int64(bytes.Count(p, []byte("\n")))
	l.bytes += int64(len(p))
	return len(p), nil
}

// BenchmarkExportCSVAccountant is issue 12's CSV figure over the real stack: the accountant
// scenario's "all organisations" (about 2,000 parties in batches of 100, 100,000 dialogs),
// exported as CSV through the portal's link: 10,000 rows and the cut line, streamed. rows/s is
// end to end (emulator searches, merge, CSV, HTTP); peak-heap-MiB and heap-growth-MiB cover
// emulator, portal and client together, since they share this process.
func BenchmarkExportCSVAccountant(b *testing.B) {
	quiet := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	st, err := devstack.Start(ctx, devstack.Options{Scenario: "accountant", Logger: quiet, EmulatorLogger: quiet, IDPortenLogger: quiet})
	if err != nil {
		b.Fatalf("start stack: %v", err)
	}
	b.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = st.Close(ctx)
	})
	c, _ := portalClient(b, st, st.Users()[0].PID)
	hc := &http.Client{Jar: c.HTTP.Jar, Transport: &http.Transport{}}
	base := settledHeap()
	heap := startHeapSampler()
	var rows int64
	for b.Loop() {
		resp, err := hc.Get(st.PortalURL + "/inbox/export.csv?party=all-orgs")
		if err != nil {
			b.Fatal(err)
		}
		var lc lineCounter
		_, err = io.Copy(&lc, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("export: %d, %v", resp.StatusCode, err)
		}
		rows = lc.lines - 2 // the header and the cut line
	}
	peak := heap.Stop()
	if rows != 10_000 {
		b.Errorf("%d rows, want 10,000 (cut)", rows)
	}
	b.ReportMetric(float64(rows*int64(b.N))/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
	b.ReportMetric(float64(peak-min(peak, base))/mib, "heap-growth-MiB")
}
