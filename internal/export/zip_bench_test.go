package export

import (
	"fmt"
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

// bigZip is n dialogs of three files of size bytes each.
func bigZip(n int, size int64) (*fakeDialogs, []string) {
	f := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{}, sizes: map[string]int64{}}
	var ids []string
	for i := range n {
		id := fmt.Sprintf("0194c6a3-0000-7000-8000-%012d", i)
		var atts []dpclient.Attachment
		for j := range 3 {
			a := fmt.Sprintf("%s-%d", id, j)
			atts = append(atts, att(a, fmt.Sprintf("vedlegg %d.pdf", j)))
			f.sizes[a] = size
		}
		f.dialogs[id] = dialog(id, orgURN, fmt.Sprintf("Melding %d", i), atts...)
		ids = append(ids, id)
	}
	return f, ids
}

// peakHeap samples the live heap every millisecond until stop; it returns the highest seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// TestZIPConstantMemory: a ZIP of 90 MiB of files (30 dialogs × 3 × 1 MiB, deflated) grows
// the live heap by far less than the files: the files stream through.
func TestZIPConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("90 MiB through deflate")
	}
	f, ids := bigZip(30, 1<<20)
	a := NewAttachments(f, nil, nil, ZipConfig{})
	runtime.GC()
	before := heapNow()
	stop := peakHeap()
	sum, err := a.ZIP(t.Context(), io.Discard, ZipRequest{User: &inbox.User{Key: "k", Lang: "nb"}, Parties: testParties(), IDs: ids, Header: ManifestColumns})
	peak := stop()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files != 90 || sum.Bytes != 90<<20 {
		t.Fatalf("summary %+v, want 90 files of 1 MiB", sum)
	}
	if grew := int64(peak) - int64(before); grew > 32<<20 {
		t.Errorf("the live heap grew by %d MiB for 90 MiB of files, want at most 32 MiB", grew>>20)
	}
}

func heapNow() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// BenchmarkZIP100x3 is issue 12's figure: 100 dialogs × 3 attachments of 1 MiB (incompressible,
// deflated), written to nowhere; it reports MB/s and the live heap's peak growth.
func BenchmarkZIP100x3(b *testing.B) {
	f, ids := bigZip(100, 1<<20)
	a := NewAttachments(f, nil, nil, ZipConfig{})
	req := ZipRequest{User: &inbox.User{Key: "k", Lang: "nb"}, Parties: testParties(), IDs: ids, Header: ManifestColumns}
	b.SetBytes(300 << 20)
	runtime.GC()
	before := heapNow()
	stop := peakHeap()
	for b.Loop() {
		if _, err := a.ZIP(b.Context(), io.Discard, req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(int64(stop())-int64(before))/(1<<20), "peak-heap-MiB")
}
