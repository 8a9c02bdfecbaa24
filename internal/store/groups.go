package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// A group's parties are one text column, one UUID a line: a group is only ever read and
// replaced whole, so one row keeps its order and makes a 20,000-party group one read and one
// write on either database.

// Groups lists the owner's groups by name, with Size but without Parties.
func (d *DB) Groups(ctx context.Context, o Owner) ([]Group, error) {
	if err := o.valid(); err != nil {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, size, created_at, updated_at FROM party_groups
		WHERE owner = $1 ORDER BY name_key, id`, string(o))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	groups := []Group{}
	for rows.Next() {
		var g Group
		var created, updated int64
		if err := rows.Scan(&g.ID, &g.Name, &g.Size, &created, &updated); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		g.Created, g.Updated = fromMicros(created), fromMicros(updated)
		groups = append(groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return groups, nil
}

// Group is one group with its parties in order.
func (d *DB) Group(ctx context.Context, o Owner, id string) (Group, error) {
	if err := o.valid(); err != nil {
		return Group{}, err
	}
	id, ok := cleanID(id)
	if !ok {
		return Group{}, ErrNotFound
	}
	var g Group
	var parties string
	var created, updated int64
	err := d.db.QueryRowContext(ctx, `SELECT id, name, size, parties, created_at, updated_at FROM party_groups
		WHERE owner = $1 AND id = $2`, string(o), id).Scan(&g.ID, &g.Name, &g.Size, &parties, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Group{}, ErrNotFound
	}
	if err != nil {
		return Group{}, fmt.Errorf("store: %w", err)
	}
	g.Created, g.Updated = fromMicros(created), fromMicros(updated)
	g.Parties = []string{}
	if parties != "" {
		g.Parties = strings.Split(parties, "\n")
	}
	return g, nil
}

// CreateGroup makes a group of parties (party UUIDs; duplicates dropped, order kept).
func (d *DB) CreateGroup(ctx context.Context, o Owner, name string, parties []string) (Group, error) {
	name, key, err := cleanName(name)
	if err != nil {
		return Group{}, err
	}
	if parties, err = cleanParties(parties); err != nil {
		return Group{}, err
	}
	now := fromMicros(micros(d.now()))
	g := Group{ID: uuid.NewString(), Name: name, Size: len(parties), Parties: parties, Created: now, Updated: now}
	err = d.tx(ctx, o, func(tx *sql.Tx) error {
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM party_groups WHERE owner = $1`, string(o))
		if err != nil {
			return err
		}
		if n >= MaxGroups {
			return &LimitError{Limit: "groups", Max: MaxGroups}
		}
		if err := nameFree(ctx, tx, "party_groups", o, key, ""); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO party_groups (id, owner, name, name_key, size, parties,
			created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
			g.ID, string(o), name, key, len(parties), strings.Join(parties, "\n"), micros(now))
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
	if err != nil {
		return Group{}, err
	}
	return g, nil
}

// nameFree answers ErrNameTaken when another row of the owner's in table (not id) has the name.
func nameFree(ctx context.Context, tx *sql.Tx, table string, o Owner, key, id string) error {
	n, err := count(ctx, tx, `SELECT COUNT(*) FROM `+table+` WHERE owner = $1 AND name_key = $2 AND id <> $3`,
		string(o), key, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return ErrNameTaken
	}
	return nil
}

// RenameGroup renames a group.
func (d *DB) RenameGroup(ctx context.Context, o Owner, id, name string) error {
	return d.rename(ctx, "party_groups", o, id, name)
}

// rename renames a row of table (party_groups or saved_searches).
func (d *DB) rename(ctx context.Context, table string, o Owner, id, name string) error {
	name, key, err := cleanName(name)
	if err != nil {
		return err
	}
	id, ok := cleanID(id)
	if !ok {
		return ErrNotFound
	}
	return d.tx(ctx, o, func(tx *sql.Tx) error {
		if err := nameFree(ctx, tx, table, o, key, id); err != nil {
			return err
		}
		set, args := "name = $1, name_key = $2", []any{name, key, string(o), id}
		if table == "party_groups" {
			set, args = set+", updated_at = $5", append(args, micros(d.now()))
		}
		return affected(tx.ExecContext(ctx, `UPDATE `+table+` SET `+set+` WHERE owner = $3 AND id = $4`, args...))
	})
}

// SetGroupParties replaces a group's parties (party UUIDs; duplicates dropped, order kept).
func (d *DB) SetGroupParties(ctx context.Context, o Owner, id string, parties []string) error {
	if err := o.valid(); err != nil {
		return err
	}
	parties, err := cleanParties(parties)
	if err != nil {
		return err
	}
	id, ok := cleanID(id)
	if !ok {
		return ErrNotFound
	}
	return affected(d.db.ExecContext(ctx, `UPDATE party_groups SET size = $1, parties = $2, updated_at = $3
		WHERE owner = $4 AND id = $5`, len(parties), strings.Join(parties, "\n"), micros(d.now()), string(o), id))
}

// DeleteGroup deletes a group; a StartParty preference naming it is cleared.
func (d *DB) DeleteGroup(ctx context.Context, o Owner, id string) error {
	id, ok := cleanID(id)
	if !ok {
		if err := o.valid(); err != nil {
			return err
		}
		return ErrNotFound
	}
	return d.tx(ctx, o, func(tx *sql.Tx) error {
		if err := affected(tx.ExecContext(ctx, `DELETE FROM party_groups WHERE owner = $1 AND id = $2`,
			string(o), id)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE owners SET start_party = '' WHERE owner = $1 AND start_party = $2`,
			string(o), "group:"+id)
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
}
