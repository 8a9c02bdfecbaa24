package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver, "sqlite"
)

// SQLiteFile is the database's file name in DataDir.
const SQLiteFile = "innboks.db"

// openSQLite opens (making on first start) DataDir/innboks.db and migrates it. WAL lets reads
// run beside a write; every transaction is IMMEDIATE (it takes the write lock at BEGIN, so two
// never deadlock upgrading a read lock), and a writer waits up to 10 s for another.
func openSQLite(ctx context.Context, dir string) (*sql.DB, error) {
	if strings.ContainsAny(dir, "?#") {
		return nil, errors.New("store: DATA_DIR may not contain ? or #")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: DATA_DIR: %w", err)
	}
	path := filepath.Join(dir, SQLiteFile)
	// Made here, so it is readable by the owner only (SQLite gives its -wal and -shm the same).
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	_ = f.Close()
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
	unlock, err := lockFile(ctx, path+".lock")
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	defer unlock()
	if err := migrate(ctx, db, goose.DialectSQLite3); err != nil {
		_ = db.Close()
		return nil, err
	}
	return db, nil
}
