package store

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoIdentityNumberStored writes everything a person can have and then searches the whole
// database for their identity number: in the SQLite file's bytes (with its WAL), in every
// PostgreSQL table's rows as text. The owner key is searched for too, so the search is shown to
// find what is there.
func TestNoIdentityNumberStored(t *testing.T) {
	t.Parallel()
	const pid = "29048812345" // synthetic
	owner := OwnerKey(testKey, pid)
	fill := func(t *testing.T, d *DB) {
		ctx := t.Context()
		p := parties(3)
		g, err := d.CreateGroup(ctx, owner, "Clients", p)
		if err != nil {
			t.Fatal(err)
		}
		s, err := d.SaveSearch(ctx, owner, "Unread", "folder=inbox&read=unread")
		if err != nil {
			t.Fatal(err)
		}
		errs := []error{
			d.AddFavourite(ctx, owner, p[0]),
			d.SetPreferences(ctx, owner, Preferences{Language: "nb", StartParty: "group:" + g.ID}),
		}
		_, err = d.OpenSavedSearch(ctx, owner, s.ID)
		for _, err := range append(errs, err) {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		d := open(t, Config{DataDir: dir})
		fill(t, d)
		var all []byte
		for _, name := range []string{SQLiteFile, SQLiteFile + "-wal"} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		if !bytes.Contains(all, []byte(owner)) {
			t.Fatal("the owner key is not in the files: the search cannot be trusted")
		}
		if bytes.Contains(all, []byte(pid)) {
			t.Fatal("the identity number is in the SQLite file")
		}
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		d := open(t, Config{DatabaseURL: pg.NewDatabase(t)})
		fill(t, d)
		var dump strings.Builder
		for _, table := range []string{"owners", "favourites", "party_groups", "saved_searches", "goose_db_version"} {
			rows, err := d.db.QueryContext(t.Context(), `SELECT CAST(t AS text) FROM `+table+` t`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var row sql.NullString
				if err := rows.Scan(&row); err != nil {
					t.Fatal(err)
				}
				dump.WriteString(row.String + "\n")
			}
			_ = rows.Close()
		}
		if !strings.Contains(dump.String(), string(owner)) {
			t.Fatal("the owner key is not in the tables: the search cannot be trusted")
		}
		if strings.Contains(dump.String(), pid) {
			t.Fatal("the identity number is in a table")
		}
	})
}
