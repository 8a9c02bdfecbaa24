package handlers

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// benchDialogHarness is the dialog routes over fakes, for benchmarks.
func benchDialogHarness(b *testing.B) (*dialogHarness, *dpclient.Dialog) {
	so := newServiceOwner(b)
	a := newFakeAuth()
	cfg := Config{PublicURL: "https://innboks.test", SecureCookies: true}
	d := fixtureDialog(so.srv.URL, so.other.URL)
	fd := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{fxDialog: d}}
	srv := newTestServer(cfg, a, &fakeDP{parties: testParties()}, DialogDeps{Auth: a, DP: fd, Out: so.outbound()})
	return &dialogHarness{harness: &harness{srv: srv, auth: a}, so: so, dialogs: fd}, d
}

// BenchmarkDialogPage renders the details page of a dialog with 20 transmissions (each with an
// attachment) and 50 activities, through the router with a fake Dialogporten.
func BenchmarkDialogPage(b *testing.B) {
	h, d := benchDialogHarness(b)
	base := d.Transmissions[0]
	d.Transmissions = nil
	for i := range 20 {
		t := base
		t.ID = fmt.Sprintf("0190fbd7-6666-7000-8000-%012d", 100+i)
		t.CreatedAt = d.CreatedAt.Add(time.Duration(i) * time.Hour)
		if i%2 == 1 {
			t.Type = dpclient.TransmissionTypeSubmission
			t.Sender = dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: fxMe}
			t.RelatedTransmissionID = fmt.Sprintf("0190fbd7-6666-7000-8000-%012d", 100+i-1)
		}
		d.Transmissions = append(d.Transmissions, t)
	}
	d.Activities = nil
	for i := range 50 {
		at := d.CreatedAt.Add(time.Duration(i) * 30 * time.Minute)
		d.Activities = append(d.Activities, dpclient.Activity{ID: fmt.Sprint(i), CreatedAt: &at, Type: dpclient.ActivityTypeInformation,
			Description: loc(fmt.Sprintf("Hendelse %d", i), ""), PerformedBy: dpclient.Actor{ActorType: dpclient.ActorTypeServiceOwner}})
	}
	r := httptest.NewRequest(http.MethodGet, "https://innboks.test/dialogs/"+fxDialog, nil)
	r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	b.ReportAllocs()
	var size int
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.srv.Echo.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size), "html-bytes")
}

// BenchmarkAttachmentProxy streams a 128 MiB attachment through the portal (TLS to the service
// owner, plain loopback HTTP to the client) and, for comparison in the same run, directly from
// the service owner. It reports throughput and the peak heap growth seen while streaming.
func BenchmarkAttachmentProxy(b *testing.B) {
	b.Run("via-innboks", func(b *testing.B) {
		h, _ := benchDialogHarness(b)
		b.SetBytes(hugeSize)
		var peak uint64
		for b.Loop() {
			n, p := streamHuge(b, h, func([]byte) {})
			if n != hugeSize {
				b.Fatalf("%d bytes", n)
			}
			peak = max(peak, p)
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	})
	b.Run("direct", func(b *testing.B) {
		so := newServiceOwner(b)
		client := so.srv.Client()
		b.SetBytes(hugeSize)
		buf := make([]byte, 256<<10)
		var peak uint64
		for b.Loop() {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			resp, err := client.Get(so.srv.URL + "/att/huge")
			if err != nil {
				b.Fatal(err)
			}
			n, err := io.CopyBuffer(io.Discard, resp.Body, buf)
			resp.Body.Close()
			if err != nil || n != hugeSize {
				b.Fatalf("%d bytes, %v", n, err)
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base {
				peak = max(peak, ms.HeapAlloc-base)
			}
		}
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	})
}
