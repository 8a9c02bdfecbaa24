package redisstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/internal/redistest"
)

// benchSession is session-sized: JWT-sized access and ID tokens.
func benchSession(id string) *auth.Session {
	now := time.Now()
	return &auth.Session{
		ID: id, PID: "24079409630", ACR: auth.ACRSubstantial, SID: "sid-" + id, Lang: "nb",
		PartyUUID: "0190c6a2-0000-7000-8000-000000000001", CreatedAt: now, LastSeen: now,
		AccessToken: "eyJ" + strings.Repeat("a", 1200), RefreshToken: strings.Repeat("r", 64),
		IDToken: "eyJ" + strings.Repeat("i", 1000), Expiry: now.Add(2 * time.Minute),
	}
}

// BenchmarkRoundTrip measures Get and Update (a read, a WATCH/MULTI write) against the real
// redis-server, with the encrypted store and with the plain baseline: the crypto should be
// noise next to the network round trip.
func BenchmarkRoundTrip(b *testing.B) {
	stores := []struct {
		name string
		new  func(b *testing.B) auth.Store
	}{
		{"plain", func(b *testing.B) auth.Store {
			return redisstore.NewPlainStoreForBenchmark(client(b), redisstore.WithPrefix(redistest.Prefix()))
		}},
		{"encrypted", func(b *testing.B) auth.Store { return newStore(b, redistest.Prefix(), nil, newKey(b)) }},
		{"encrypted-2keys", func(b *testing.B) auth.Store { return newStore(b, redistest.Prefix(), nil, newKey(b), newKey(b)) }},
	}
	ctx := context.Background()
	for _, st := range stores {
		s := st.new(b)
		if err := s.Create(ctx, benchSession("bench"), time.Hour); err != nil {
			b.Fatal(err)
		}
		b.Run(st.name+"/Get", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Get(ctx, "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(st.name+"/Update", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Update(ctx, "bench", time.Hour, func(cur *auth.Session) error {
					cur.LastSeen = time.Now()
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
