package redisstore_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"testing"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/auth/storetest"
	"github.com/innboks/innboks/internal/redistest"
	"github.com/innboks/innboks/internal/testlog"
	"github.com/redis/go-redis/v9"
)

// server is the package's redis-server, started once in TestMain.
var server *redistest.Server

func TestMain(m *testing.M) {
	s, err := redistest.Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server = s
	code := m.Run()
	s.Stop()
	os.Exit(code)
}

// newKey returns a fresh random key.
func newKey(t testing.TB) redisstore.Key {
	t.Helper()
	var k redisstore.Key
	rand.Read(k[:])
	return k
}

// client returns a client of the package's server, closed when t ends.
func client(t testing.TB) *redis.Client {
	t.Helper()
	c := server.Client()
	t.Cleanup(func() { c.Close() })
	return c
}

// newStore returns a store with keys under prefix, logging to log (nil discards).
func newStore(t testing.TB, prefix string, log *slog.Logger, keys ...redisstore.Key) *redisstore.Store {
	t.Helper()
	s, err := redisstore.NewRedisStore(client(t), keys, redisstore.WithPrefix(prefix), redisstore.WithLogger(log))
	if err != nil {
		t.Fatalf("NewRedisStore: %v", err)
	}
	return s
}

func TestRedisStore(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) auth.Store {
		return newStore(t, redistest.Prefix(), nil, newKey(t))
	})
}

// TestRedisStoreRotating runs the suite mid-rotation: a new key first, an old one after.
func TestRedisStoreRotating(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) auth.Store {
		return newStore(t, redistest.Prefix(), nil, newKey(t), newKey(t))
	})
}

func TestNewRedisStoreNeedsAKey(t *testing.T) {
	t.Parallel()
	c := client(t)
	for _, tc := range []struct {
		name string
		keys []redisstore.Key
	}{
		{"nil", nil},
		{"empty", []redisstore.Key{}},
		{"zero key", []redisstore.Key{{}}},
		{"zero old key", []redisstore.Key{newKey(t), {}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := redisstore.NewRedisStore(c, tc.keys)
			if err == nil || s != nil {
				t.Fatalf("NewRedisStore(%s) = %v, %v; want nil and an error", tc.name, s, err)
			}
			if !bytes.Contains([]byte(err.Error()), []byte("openssl rand -base64 32")) {
				t.Errorf("error %q does not say how to make a key", err)
			}
		})
	}
	if _, err := redisstore.NewRedisStore(nil, []redisstore.Key{newKey(t)}); err == nil {
		t.Error("NewRedisStore(nil client) = nil error, want one")
	}
}

// logger returns a JSON logger into a buffer.
func logger() (*slog.Logger, *testlog.Buffer) {
	var buf testlog.Buffer
	return slog.New(slog.NewJSONHandler(&buf, nil)), &buf
}
