package app

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/innboks/innboks/auth/redisstore"
)

// Test keys: base64 of 32 bytes, standard with padding and URL-safe without.
var (
	testKeyA = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789ABCDEF"))
	testKeyB = base64.RawURLEncoding.EncodeToString([]byte{0xfb, 0xff, 0xbf, 0xfe, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31})
)

func TestLoadSessionEncryptionKeys(t *testing.T) {
	t.Parallel()
	short := base64.StdEncoding.EncodeToString([]byte("only sixteen b.."))
	var wantA redisstore.Key
	copy(wantA[:], "0123456789abcdef0123456789ABCDEF")
	for _, tc := range []struct {
		name, redis, keys string
		wantN             int
		wantErr           []string // each must be in the error; none means no error
	}{
		{"redis with one key", "redis://redis:6379/0", testKeyA, 1, nil},
		{"redis with two keys", "redis://redis:6379/0", testKeyB + ", " + testKeyA, 2, nil},
		{"redis without keys", "redis://redis:6379/0", "", 0,
			[]string{"SESSION_ENCRYPTION_KEYS: required with REDIS_URL", "openssl rand -base64 32"}},
		{"redis with a short key", "redis://redis:6379/0", short, 0,
			[]string{"SESSION_ENCRYPTION_KEYS: key 1: decodes to 16 bytes, want 32", "openssl rand -base64 32"}},
		{"redis with a bad second key", "rediss://redis:6380", testKeyA + ",not base64!", 0,
			[]string{"SESSION_ENCRYPTION_KEYS: key 2: not base64"}},
		{"no redis, no keys", "", "", 0, nil},
		{"no redis, keys unused", "", testKeyA, 1, nil},
		{"no redis, malformed keys", "", "changeme", 0, []string{"SESSION_ENCRYPTION_KEYS: key 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(map[string]string{"REDIS_URL": tc.redis, "SESSION_ENCRYPTION_KEYS": tc.keys}))
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				if got := len(c.SessionEncryptionKeys); got != tc.wantN {
					t.Fatalf("got %d keys, want %d", got, tc.wantN)
				}
				if strings.HasPrefix(tc.keys, testKeyA) && c.SessionEncryptionKeys[0] != wantA {
					t.Error("the first key is not the one given first")
				}
				// The config may be printed (tests do, on failure): its keys must not be.
				for _, out := range []string{fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c)} {
					if strings.Contains(out, "48, 49, 50") || strings.Contains(out, "[48 49 50") || strings.Contains(out, testKeyA) {
						t.Errorf("printed config shows a key: %s", out)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("Load = nil error, want one with %q", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			for _, secret := range []string{testKeyA, short, "changeme"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes the key %q", err, secret)
				}
			}
		})
	}
}
