package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/redistest"
	"github.com/innboks/innboks/internal/testlog"
)

// startRedis runs a real redis-server for t (internal/redistest) and returns a client and its
// redis:// URL.
func startRedis(t *testing.T) (*redis.Client, string) {
	t.Helper()
	s := redistest.Run(t)
	return s.NewClient(t), s.URL()
}

// TestNewSealsLoginsWithTheSessionKeys: with REDIS_URL and SESSION_ENCRYPTION_KEYS, a login
// attempt leaves nothing in Redis (it lives in the browser's sealed login cookie), and the
// cookie is sealed with a key derived from SESSION_ENCRYPTION_KEYS: another instance with the
// same keys opens it (the callback gets past the state check to the token endpoint), one with
// another key does not.
func TestNewSealsLoginsWithTheSessionKeys(t *testing.T) {
	t.Parallel()
	rdb, redisURL := startRedis(t)
	idp := fakeIdP(t)
	dataDir := t.TempDir()
	load := func(key string) Config {
		cfg, err := Load(env(map[string]string{
			"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": idp.URL, "DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
			"REDIS_URL": redisURL, "SESSION_ENCRYPTION_KEYS": key, "DATA_DIR": dataDir,
		}))
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	instance := func(key string) (*App, *testlog.Buffer) {
		var logs testlog.Buffer
		a, err := New(t.Context(), load(key), slog.New(slog.NewJSONHandler(&logs, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = a.Close() })
		return a, &logs
	}
	first, _ := instance(testKeyA)

	rec := httptest.NewRecorder()
	first.Handler.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1:8080/login?return_to=/inbox", nil))
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil || rec.Code/100 != 3 {
		t.Fatalf("login: %d → %q", rec.Code, rec.Header().Get("Location"))
	}
	state := loc.Query().Get("state")
	var login *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if strings.HasPrefix(c.Name, "innboks-login-") {
			login = c
		}
	}
	if state == "" || login == nil {
		t.Fatalf("login: state %q, cookies %v; want a state and a login cookie", state, rec.Result().Cookies())
	}
	if keys, err := rdb.Keys(context.Background(), "*").Result(); err != nil || len(keys) != 0 {
		t.Errorf("keys in Redis after GET /login: %q (%v), want none", keys, err)
	}

	callback := func(a *App) {
		req := httptest.NewRequest("GET", "http://127.0.0.1:8080/auth/callback?"+url.Values{
			"state": {state}, "code": {"code-1"}, "iss": {idp.URL}}.Encode(), nil)
		req.AddCookie(login)
		a.Handler.ServeHTTP(httptest.NewRecorder(), req)
	}
	for _, tc := range []struct {
		key, wantKind string
	}{
		{testKeyA, `"kind":"code"`},  // opened: the fake IdP has no token endpoint
		{testKeyB, `"kind":"state"`}, // not opened
	} {
		a, logs := instance(tc.key)
		callback(a)
		if !strings.Contains(logs.String(), tc.wantKind) {
			t.Errorf("callback at an instance with key %.6s…: logs %s, want %s", tc.key, logs, tc.wantKind)
		}
	}
}

// TestNewRefusesRedisWithoutKeys: a Config built by hand (not by Load) with REDIS_URL and no
// key does not start.
func TestNewRefusesRedisWithoutKeys(t *testing.T) {
	t.Parallel()
	cfg, err := Load(env(map[string]string{"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": "http://127.0.0.1:1", "DATA_DIR": t.TempDir()}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RedisURL = "redis://127.0.0.1:1/0"
	if _, err := New(t.Context(), cfg, nil); err == nil || !strings.Contains(err.Error(), "SESSION_ENCRYPTION_KEYS") {
		t.Errorf("New = %v, want an error naming SESSION_ENCRYPTION_KEYS", err)
	}
}
