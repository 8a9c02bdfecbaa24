package export

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

// manyRows is a search of n rows, made as they are asked for (as pages arrive upstream).
type manyRows struct{ n int }

func (m manyRows) Each(_ context.Context, _ *inbox.User, _ []string, _ dpclient.SearchParams, yield func(dpclient.SearchDialog) bool) error {
	at := time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC)
	for i := range m.n {
		d := dpclient.SearchDialog{ID: fmt.Sprintf("0194c6a3-0000-7000-8000-%012d", i), Party: orgURN, Org: "skd",
			CreatedAt: at, UpdatedAt: at, Status: dpclient.DialogStatusInProgress, Content: title(fmt.Sprintf("Skattemelding for 2025, melding %d", i))}
		if !yield(d) {
			return nil
		}
	}
	return nil
}

// BenchmarkResultsCSV10000 is issue 12's figure: a CSV of 10,000 rows (plus one past the cut),
// written to nowhere; it reports rows/s and the live heap's peak growth.
func BenchmarkResultsCSV10000(b *testing.B) {
	r := NewResults(manyRows{n: MaxRows + 500}, "https://innboks.example")
	req := testRequest()
	runtime.GC()
	before := heapNow()
	stop := peakHeap()
	for b.Loop() {
		if sum, err := r.CSV(b.Context(), io.Discard, req); err != nil || !sum.Cut {
			b.Fatal(sum, err)
		}
	}
	b.ReportMetric(float64(int64(stop())-int64(before))/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(MaxRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
