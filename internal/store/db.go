package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Config says where the store lives: PostgreSQL when DatabaseURL is set, else a SQLite file
// in DataDir.
type Config struct {
	DataDir     string           // DATA_DIR: the folder of the SQLite file, made on first start
	DatabaseURL string           // DATABASE_URL: postgres://… for several instances
	Now         func() time.Time // the clock; time.Now when nil
}

// DB is the Store over SQLite or PostgreSQL: the same SQL text on both (the migration and the
// queries are written in the dialect the two share); only opening and locking differ.
type DB struct {
	db      *sql.DB
	backend string
	now     func() time.Time
	// locked, when set (by tests), runs once the owner's row is locked: a pause there widens
	// the window a missing lock would leave open, so the race tests catch it.
	locked func()
}

var _ Store = (*DB)(nil)

// Open opens the store Config names and runs the migrations. Two instances opening the same
// database at once are safe: on PostgreSQL one migrates under an advisory lock while the other
// waits; on SQLite the same through a lock file beside the database.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	d := &DB{now: cfg.Now}
	if d.now == nil {
		d.now = time.Now
	}
	var err error
	switch {
	case cfg.DatabaseURL != "":
		d.backend = "postgres"
		d.db, err = openPostgres(ctx, cfg.DatabaseURL)
	case cfg.DataDir != "":
		d.backend = "sqlite"
		d.db, err = openSQLite(ctx, cfg.DataDir)
	default:
		return nil, errors.New("store: neither DATA_DIR nor DATABASE_URL is set")
	}
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Backend is "sqlite" or "postgres".
func (d *DB) Backend() string { return d.backend }

// Close releases the database.
func (d *DB) Close() error { return d.db.Close() }

// migrate brings the schema up to date with goose.
func migrate(ctx context.Context, db *sql.DB, dialect goose.Dialect, opts ...goose.ProviderOption) error {
	fsys, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	opts = append(opts, goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	p, err := goose.NewProvider(dialect, db, fsys, opts...)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// tx runs fn in a transaction that holds the owner's row locked (made if missing), so that
// concurrent changes of one owner queue and the limits counted inside fn hold.
func (d *DB) tx(ctx context.Context, o Owner, fn func(*sql.Tx) error) error {
	if err := o.valid(); err != nil {
		return err
	}
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	// An upsert that updates takes the row lock on PostgreSQL; SQLite's transactions are
	// IMMEDIATE, so they hold the database's write lock from the start anyway.
	if _, err := tx.ExecContext(ctx, `INSERT INTO owners (owner) VALUES ($1)
		ON CONFLICT (owner) DO UPDATE SET owner = excluded.owner`, string(o)); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if d.locked != nil {
		d.locked()
	}
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}

// count is a COUNT(*) query's answer.
func count(ctx context.Context, tx *sql.Tx, query string, args ...any) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return n, nil
}

// affected turns an UPDATE or DELETE that touched no row into ErrNotFound.
func affected(res sql.Result, err error) error {
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// micros is t as stored; fromMicros is the way back (0 is the zero time).
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

// Forget deletes everything stored for the owner.
func (d *DB) Forget(ctx context.Context, o Owner) error {
	if err := o.valid(); err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, `DELETE FROM owners WHERE owner = $1`, string(o)); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
