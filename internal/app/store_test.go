package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/innboks/innboks/internal/pgtest"
	"github.com/innboks/innboks/internal/store"
)

// TestStoreConfig: DATABASE_URL needs a postgres URL and STORE_KEY (so instances agree on
// owners); a bad STORE_KEY is named, and no message quotes the database URL's password.
func TestStoreConfig(t *testing.T) {
	t.Parallel()
	key := testKeyA
	for _, tc := range []struct {
		name string
		over map[string]string
		want string // "" = no error
	}{
		{"embedded", map[string]string{"DATA_DIR": "/var/lib/innboks"}, ""},
		{"postgres", map[string]string{"DATABASE_URL": "postgres://u:pw@db/innboks", "STORE_KEY": key}, ""},
		{"postgres without key", map[string]string{"DATABASE_URL": "postgres://u:pw@db/innboks"}, "STORE_KEY: required with DATABASE_URL"},
		{"not postgres", map[string]string{"DATABASE_URL": "mysql://u:pw@db/x", "STORE_KEY": key}, "DATABASE_URL: want a postgres"},
		{"bad key", map[string]string{"STORE_KEY": "short"}, "STORE_KEY:"},
		{"two keys", map[string]string{"STORE_KEY": testKeyA + "," + testKeyB}, "STORE_KEY: want one key"},
		{"profile", map[string]string{"PROFILE_API_URL": "https://platform.tt02.altinn.no/profile/api/v1/"}, ""},
		{"profile http", map[string]string{"PROFILE_API_URL": "http://platform.example/profile"}, "PROFILE_API_URL: must use https"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(env(tc.over))
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("got %v, want no error", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			case err != nil && strings.Contains(err.Error(), "pw@"):
				t.Fatalf("the error quotes the database password: %v", err)
			}
			if tc.name == "profile" && c.ProfileAPIURL != "https://platform.tt02.altinn.no/profile/api/v1" {
				t.Errorf("PROFILE_API_URL: got %q", c.ProfileAPIURL)
			}
		})
	}
}

// TestLoadOrMakeKey: the first start makes a key file only its owner reads; later starts, and
// instances starting at once, read the same key.
func TestLoadOrMakeKey(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data")
	keys := make([][]byte, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := loadOrMakeKey(dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = k
		})
	}
	wg.Wait()
	for _, k := range keys {
		if len(k) != 32 || !bytes.Equal(k, keys[0]) {
			t.Fatalf("got keys %x, want one 32-byte key", keys)
		}
	}
	again, err := loadOrMakeKey(dir)
	if err != nil || !bytes.Equal(again, keys[0]) {
		t.Fatalf("second start: got %x, %v; want the first key", again, err)
	}
	fi, err := os.Stat(filepath.Join(dir, storeKeyFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	if err := os.WriteFile(filepath.Join(dir, storeKeyFile), []byte("nonsense"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadOrMakeKey(dir); err == nil {
		t.Fatal("a damaged key file was accepted; want an error (a new key would orphan every row)")
	}
}

// TestNewOnPostgres: with DATABASE_URL and STORE_KEY two portals share one PostgreSQL: both
// migrate at start, and what one stores for a person the other reads under the same owner.
func TestNewOnPostgres(t *testing.T) {
	t.Parallel()
	pg := pgtest.Run(t)
	dsn := pg.NewDatabase(t)
	idp := fakeIdP(t)
	cfg, err := Load(env(map[string]string{
		"PUBLIC_URL": "http://127.0.0.1:8080", "IDPORTEN_ISSUER": idp.URL, "DIALOGPORTEN_URL": "http://127.0.0.1:1/dialogporten",
		"DATABASE_URL": dsn, "STORE_KEY": testKeyA,
	}))
	if err != nil {
		t.Fatal(err)
	}
	apps := make([]*App, 2)
	var wg sync.WaitGroup
	for i := range apps {
		wg.Go(func() {
			a, err := New(t.Context(), cfg, nil)
			if err != nil {
				t.Error(err)
				return
			}
			t.Cleanup(func() { _ = a.Close() })
			apps[i] = a
		})
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	owner := store.OwnerKey(cfg.StoreKey[0][:], "01017012345")
	if err := apps[0].Store.SetPreferences(t.Context(), owner, store.Preferences{Language: "nn"}); err != nil {
		t.Fatal(err)
	}
	if p, err := apps[1].Store.Preferences(t.Context(), owner); err != nil || p.Language != "nn" {
		t.Errorf("the other instance reads %+v, %v; want language nn", p, err)
	}
}
