package store

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/pgtest"
)

// pg is the one PostgreSQL server of this package's tests; each test gets its own database.
var pg *pgtest.Server

func TestMain(m *testing.M) {
	s, err := pgtest.Start()
	if err != nil {
		// Fail, never skip: `make test` installs PostgreSQL.
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pg = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

// backend makes a Config for a fresh, empty store of one kind.
type backend struct {
	name string
	cfg  func(t testing.TB) Config
}

var backends = []backend{
	{"sqlite", func(t testing.TB) Config { return Config{DataDir: t.TempDir(), Now: clock()} }},
	{"postgres", func(t testing.TB) Config { return Config{DatabaseURL: pg.NewDatabase(t), Now: clock()} }},
}

// each runs fn against a fresh store of every backend, in parallel.
func each(t *testing.T, fn func(t *testing.T, d *DB, cfg Config)) {
	t.Helper()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			cfg := b.cfg(t)
			fn(t, open(t, cfg), cfg)
		})
	}
}

func open(t testing.TB, cfg Config) *DB {
	t.Helper()
	d, err := Open(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// clock is a time that moves one second a reading, so orders and "last opened" are exact.
func clock() func() time.Time {
	var n atomic.Int64
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return func() time.Time { return start.Add(time.Duration(n.Add(1)) * time.Second) }
}

var testKey = []byte("a server key for the store tests")

// The identity numbers are synthetic.
var (
	alice = OwnerKey(testKey, "17054512345")
	bob   = OwnerKey(testKey, "24118712345")
)

// parties is n distinct party UUIDs.
func parties(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = uuid.NewString()
	}
	return out
}

// long is a name of n characters (two-byte ones, as characters count, not bytes).
func long(n int) string { return strings.Repeat("ø", n) }
