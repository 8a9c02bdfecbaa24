package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

const searchColumns = `id, name, query, created_at, opened_at`

// scanSearch reads a row of searchColumns.
func scanSearch(row interface{ Scan(...any) error }) (SavedSearch, error) {
	var s SavedSearch
	var created, opened int64
	if err := row.Scan(&s.ID, &s.Name, &s.Query, &created, &opened); err != nil {
		return SavedSearch{}, err
	}
	s.Created, s.OpenedAt = fromMicros(created), fromMicros(opened)
	return s, nil
}

// SavedSearches lists the owner's saved searches by name.
func (d *DB) SavedSearches(ctx context.Context, o Owner) ([]SavedSearch, error) {
	if err := o.valid(); err != nil {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+searchColumns+` FROM saved_searches
		WHERE owner = $1 ORDER BY name_key, id`, string(o))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	list := []SavedSearch{}
	for rows.Next() {
		s, err := scanSearch(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		list = append(list, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return list, nil
}

// SavedSearch is one saved search.
func (d *DB) SavedSearch(ctx context.Context, o Owner, id string) (SavedSearch, error) {
	if err := o.valid(); err != nil {
		return SavedSearch{}, err
	}
	return getSearch(ctx, d.db, o, id)
}

// getSearch reads one of the owner's saved searches through db or a transaction.
func getSearch(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, o Owner, id string) (SavedSearch, error) {
	id, ok := cleanID(id)
	if !ok {
		return SavedSearch{}, ErrNotFound
	}
	s, err := scanSearch(q.QueryRowContext(ctx, `SELECT `+searchColumns+` FROM saved_searches
		WHERE owner = $1 AND id = $2`, string(o), id))
	if errors.Is(err, sql.ErrNoRows) {
		return SavedSearch{}, ErrNotFound
	}
	if err != nil {
		return SavedSearch{}, fmt.Errorf("store: %w", err)
	}
	return s, nil
}

// SaveSearch saves an inbox query (the query string of query.Query.URL, without "?").
func (d *DB) SaveSearch(ctx context.Context, o Owner, name, query string) (SavedSearch, error) {
	name, key, err := cleanName(name)
	if err != nil {
		return SavedSearch{}, err
	}
	if query, err = cleanQuery(query); err != nil {
		return SavedSearch{}, err
	}
	s := SavedSearch{ID: uuid.NewString(), Name: name, Query: query, Created: fromMicros(micros(d.now()))}
	err = d.tx(ctx, o, func(tx *sql.Tx) error {
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM saved_searches WHERE owner = $1`, string(o))
		if err != nil {
			return err
		}
		if n >= MaxSavedSearches {
			return &LimitError{Limit: "saved searches", Max: MaxSavedSearches}
		}
		if err := nameFree(ctx, tx, "saved_searches", o, key, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO saved_searches (id, owner, name, name_key, query, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, s.ID, string(o), name, key, query, micros(s.Created))
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
	if err != nil {
		return SavedSearch{}, err
	}
	return s, nil
}

// RenameSavedSearch renames a saved search.
func (d *DB) RenameSavedSearch(ctx context.Context, o Owner, id, name string) error {
	return d.rename(ctx, "saved_searches", o, id, name)
}

// DeleteSavedSearch deletes a saved search.
func (d *DB) DeleteSavedSearch(ctx context.Context, o Owner, id string) error {
	if err := o.valid(); err != nil {
		return err
	}
	id, ok := cleanID(id)
	if !ok {
		return ErrNotFound
	}
	return affected(d.db.ExecContext(ctx, `DELETE FROM saved_searches WHERE owner = $1 AND id = $2`, string(o), id))
}

// OpenSavedSearch records that the search was opened now, and returns it as it was before:
// its OpenedAt is the previous opening (zero the first time), for "new since last opened".
func (d *DB) OpenSavedSearch(ctx context.Context, o Owner, id string) (SavedSearch, error) {
	var s SavedSearch
	err := d.tx(ctx, o, func(tx *sql.Tx) error {
		var err error
		if s, err = getSearch(ctx, tx, o, id); err != nil {
			return err
		}
		return affected(tx.ExecContext(ctx, `UPDATE saved_searches SET opened_at = $1 WHERE owner = $2 AND id = $3`,
			micros(d.now()), string(o), s.ID))
	})
	return s, err
}
