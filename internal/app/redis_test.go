package app

import (
	"context"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/internal/redistest"
)

// startRedis runs a real redis-server for t (internal/redistest) and returns a client and its
// redis:// URL.
func startRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	s := redistest.Run(t)
	return s.NewClient(t), s.URL()
}

// TestNewSealsSessionsInRedis: with REDIS_URL and SESSION_ENCRYPTION_KEYS, a login leaves in
// Redis one hashed key with a sealed value, which a store with the configured key opens.
func TestNewSealsSessionsInRedis(t *testing.T) {
	t.Parallel()
	rdb, redisURL := startRedis(t)
	idp := fakeIdP(t)
	cfg, err := Load(env(map[string]string{
		"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": idp.URL, "DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
		"REDIS_URL": redisURL, "SESSION_ENCRYPTION_KEYS": testKeyA,
	}))
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	a.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1:8080/login?return_to=/inbox", nil))
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil || rec.Code/100 != 3 {
		t.Fatalf("login: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	state, nonce := loc.Query().Get("state"), loc.Query().Get("nonce")
	if state == "" || nonce == "" {
		t.Fatalf("authorize URL %q has no state or nonce", loc)
	}

	ctx := context.Background()
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !regexp.MustCompile(`^innboks:auth:l:[0-9a-f]{64}$`).MatchString(keys[0]) {
		t.Fatalf("keys in Redis after a login: %q, want one innboks:auth:l:<hash>", keys)
	}
	v := rdb.Get(ctx, keys[0]).Val()
	if v == "" || v[0] != 1 {
		t.Errorf("pending login value is not sealed (first byte %q)", v[:min(len(v), 1)])
	}
	for _, secret := range []string{state, nonce, "/inbox", "verifier"} {
		if strings.Contains(keys[0], secret) || strings.Contains(v, secret) {
			t.Errorf("Redis shows %q", secret)
		}
	}

	// The configured key opens it: the portal used it, not some other key.
	s, err := redisstore.NewRedisStore(rdb, cfg.SessionEncryptionKeys)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.TakeLogin(ctx, state)
	if err != nil || p.Nonce != nonce || p.ReturnTo != "/inbox" {
		t.Errorf("TakeLogin with the configured key = %+v, %v; want the login with nonce and return_to", p, err)
	}
}

// TestNewRefusesRedisWithoutKeys: a Config built by hand (not by Load) with REDIS_URL and no
// key does not start.
func TestNewRefusesRedisWithoutKeys(t *testing.T) {
	t.Parallel()
	cfg, err := Load(env(map[string]string{"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": "http://127.0.0.1:1"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RedisURL = "redis://127.0.0.1:1/0"
	if _, err := New(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "SESSION_ENCRYPTION_KEYS") {
		t.Errorf("New = %v, want an error naming SESSION_ENCRYPTION_KEYS", err)
	}
}
