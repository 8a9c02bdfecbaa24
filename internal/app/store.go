package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/innboks/innboks/internal/store"
)

// storeKeyFile is the owner key an embedded store keeps beside its database when STORE_KEY
// is not set.
const storeKeyFile = "store.key"

// DefaultDataDir is where the embedded store lives when DATA_DIR is not set: the user's state
// folder ($XDG_STATE_HOME/innboks, else ~/.local/state/innboks), so that a portal started
// anywhere finds what it remembered last time.
func DefaultDataDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "innboks"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("DATA_DIR is not set and there is no home folder for its default: %w", err)
	}
	return filepath.Join(home, ".local", "state", "innboks"), nil
}

// openStore opens what Innboks remembers (PostgreSQL with DATABASE_URL, else SQLite in
// DATA_DIR), runs the migrations and returns the store with the owner key its rows are keyed
// under.
func openStore(ctx context.Context, cfg Config) (*store.DB, []byte, error) {
	sc := store.Config{DatabaseURL: cfg.DatabaseURL, DataDir: cfg.DataDir}
	if sc.DatabaseURL == "" && sc.DataDir == "" {
		var err error
		if sc.DataDir, err = DefaultDataDir(); err != nil {
			return nil, nil, err
		}
	}
	var key []byte
	if len(cfg.StoreKey) > 0 {
		key = cfg.StoreKey[0][:]
	} else {
		if sc.DataDir == "" {
			return nil, nil, errors.New("STORE_KEY: required with DATABASE_URL")
		}
		var err error
		if key, err = loadOrMakeKey(sc.DataDir); err != nil {
			return nil, nil, fmt.Errorf("DATA_DIR: %w", err)
		}
	}
	db, err := store.Open(ctx, sc)
	if err != nil {
		return nil, nil, err
	}
	return db, key, nil
}

// loadOrMakeKey reads dir's owner key, making it (32 random bytes, readable by the owner only)
// on first start. Two instances starting at once on one folder agree: the key is written to a
// temporary file and linked into place, which fails for the second, who then reads the first's.
func loadOrMakeKey(dir string) ([]byte, error) {
	path := filepath.Join(dir, storeKeyFile)
	if key, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, storeKeyFile+".*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readKey(path)
		}
		return nil, err
	}
	return key, nil
}

// readKey reads an owner key file.
func readKey(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("%s is not the base64 of 32 bytes", path)
	}
	return key, nil
}
