package events_test

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
)

// BenchmarkPublishAndDeliver measures a store mutation (which raises two events) up to their
// delivery to a loopback webhook.
func BenchmarkPublishAndDeliver(b *testing.B) {
	var got atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got.Add(1) }))
	defer srv.Close()
	store := dpemu.NewStore(nil, 1)
	id, err := store.CreateDialog(&dpemu.Dialog{Org: "skd", ServiceResource: res, Party: party,
		Content: dpemu.Content{Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{{LanguageCode: "nb", Value: "x"}}}}})
	if err != nil {
		b.Fatal(err)
	}
	p, _ := events.New(events.Options{Store: store, DialogportenBase: dpBase, Webhooks: []string{srv.URL}, QueueSize: 1 << 20})
	defer p.Close()
	waitFor(&got, 1) // the handshake
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := store.AddActivity(id, dpemu.Activity{Type: dpemu.ActivityInformation, PerformedBy: dpemu.Actor{Type: dpemu.ActorServiceOwner}}); err != nil {
			b.Fatal(err)
		}
	}
	waitFor(&got, int64(2*b.N+1)) // timed: every event delivered
}

func waitFor(n *atomic.Int64, want int64) {
	for n.Load() < want {
		time.Sleep(100 * time.Microsecond)
	}
}
