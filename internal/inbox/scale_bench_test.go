package inbox

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// slowBatches is sortedBatches behind a fixed latency per call, as Dialogporten is far away.
type slowBatches struct {
	*sortedBatches
	latency time.Duration
}

func (s slowBatches) SearchDialogs(ctx context.Context, p *dpclient.SearchParams, opts ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	select {
	case <-time.After(s.latency):
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return s.sortedBatches.SearchDialogs(ctx, p, opts...)
}

// groupUpstream is n organisations with 3 dialogs each, sorted per batch of 100.
func groupUpstream(n int) (*sortedBatches, []string) {
	up := &sortedBatches{rows: map[string][]dpclient.SearchDialog{}}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	parties := make([]string, 0, n)
	for i := range n {
		party := fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 300000000+i)
		parties = append(parties, party)
		first := parties[i/MaxPartiesPerSearch*MaxPartiesPerSearch]
		for j := range 3 {
			up.rows[first] = append(up.rows[first], dpclient.SearchDialog{
				ID: fmt.Sprintf("0190fbd7-0000-7000-8000-%06d%06d", i, j), Party: party,
				UpdatedAt: base.Add(time.Duration((i*7919+j*104729)%5000000) * time.Second),
			})
		}
	}
	for k, rows := range up.rows {
		slices.SortFunc(rows, func(a, b dpclient.SearchDialog) int { return compareItems(a, b, "updatedAt_desc") })
		up.rows[k] = rows
	}
	return up, parties
}

// BenchmarkGroupSearch20ms is "all organisations" at 2,000 and 15,000 parties against an
// upstream answering every call in 20 ms: the first and the second page (50 rows), p50/p95 of
// each over the iterations, and upstream calls per page.
func BenchmarkGroupSearch20ms(b *testing.B) {
	for _, n := range []int{2000, 15000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			up, parties := groupUpstream(n)
			s := NewSearch(slowBatches{up, 20 * time.Millisecond}, nil)
			params := dpclient.SearchParams{Limit: 50, OrderBy: "updatedAt_desc"}
			var first, second []time.Duration
			var calls [2]int
			for i := 0; b.Loop(); i++ {
				u := &User{Key: fmt.Sprint("s", i)}
				cursor := ""
				for pg := range 2 {
					before := up.calls
					start := time.Now()
					out, err := s.Dialogs(b.Context(), u, parties, params, cursor)
					d := time.Since(start)
					if err != nil || len(out.Items) != params.Limit {
						b.Fatalf("page %d: %d rows, %v", pg+1, len(out.Items), err)
					}
					calls[pg] += up.calls - before
					cursor = out.Cursor
					if pg == 0 {
						first = append(first, d)
					} else {
						second = append(second, d)
					}
				}
			}
			reportPercentiles(b, "page1", first)
			reportPercentiles(b, "page2", second)
			b.ReportMetric(float64(calls[0])/float64(len(first)), "calls/page1")
			b.ReportMetric(float64(calls[1])/float64(len(second)), "calls/page2")
		})
	}
}

// reportPercentiles reports the p50 and p95 of ds in milliseconds.
func reportPercentiles(b *testing.B, name string, ds []time.Duration) {
	slices.Sort(ds)
	at := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / 1e6 }
	b.ReportMetric(at(0.50), name+"-p50-ms")
	b.ReportMetric(at(0.95), name+"-p95-ms")
}

// BenchmarkPartyIndex is the chooser at 15,000 and 100,000 parties: building the index once
// per user (with its bytes per party held after the party list is dropped), and a search as
// the chooser makes it (30 hits and the total), over queries from one letter to no match.
func BenchmarkPartyIndex(b *testing.B) {
	queries := []string{"r", "as", "regnskap", "fisk nord 12", "3100123", "nordnord 4711", "zzz"}
	for _, n := range []int{15000, 100000} {
		b.Run(fmt.Sprint("build/", n), func(b *testing.B) {
			res := manyParties(n)
			b.ReportAllocs()
			for b.Loop() {
				NewPartyIndex(res)
			}
			b.ReportMetric(indexBytesPerParty(n), "B/party")
		})
		ix := NewPartyIndex(manyParties(n))
		b.Run(fmt.Sprint("choose/", n), func(b *testing.B) {
			mid := ix.All[len(ix.All)/2]
			b.ReportAllocs()
			for b.Loop() {
				if ix.Choose(mid.UUID, "") != mid.UUID || ix.Choose() == "" {
					b.Fatal("choose")
				}
				if p, ok := ix.ByURN(mid.URN); !ok || p.UUID != mid.UUID {
					b.Fatal("by urn")
				}
			}
		})
		for _, q := range queries {
			b.Run(fmt.Sprintf("search/%d/%s", n, q), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ix.Search(q, false, 30)
				}
			})
		}
	}
}

// indexBytesPerParty is the heap an index of n parties holds once the party list it was built
// from is gone (the strings it shares with the list count).
func indexBytesPerParty(n int) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := manyParties(n)
	ix := NewPartyIndex(res)
	res = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	parties := len(ix.All)
	runtime.KeepAlive(ix)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(parties)
}
