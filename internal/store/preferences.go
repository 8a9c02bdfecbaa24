package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Preferences are the owner's preferences; the zero value when none were saved.
func (d *DB) Preferences(ctx context.Context, o Owner) (Preferences, error) {
	if err := o.valid(); err != nil {
		return Preferences{}, err
	}
	var p Preferences
	err := d.db.QueryRowContext(ctx, `SELECT language, start_party, show_deleted FROM owners WHERE owner = $1`,
		string(o)).Scan(&p.Language, &p.StartParty, &p.ShowDeleted)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Preferences{}, fmt.Errorf("store: %w", err)
	}
	return p, nil
}

// SetPreferences saves the owner's preferences. A group start party must be one of the
// owner's groups.
func (d *DB) SetPreferences(ctx context.Context, o Owner, p Preferences) error {
	p, err := cleanPreferences(p)
	if err != nil {
		return err
	}
	return d.tx(ctx, o, func(tx *sql.Tx) error {
		if id, ok := strings.CutPrefix(p.StartParty, "group:"); ok {
			n, err := count(ctx, tx, `SELECT COUNT(*) FROM party_groups WHERE owner = $1 AND id = $2`, string(o), id)
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: the start party names no group of yours", ErrInvalid)
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE owners SET language = $1, start_party = $2, show_deleted = $3
			WHERE owner = $4`, p.Language, p.StartParty, p.ShowDeleted, string(o))
		if err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
}
