package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Favourites lists the owner's starred parties, oldest first.
func (d *DB) Favourites(ctx context.Context, o Owner) ([]string, error) {
	if err := o.valid(); err != nil {
		return nil, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT party FROM favourites WHERE owner = $1 ORDER BY seq`, string(o))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	defer rows.Close()
	parties := []string{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
		parties = append(parties, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return parties, nil
}

// AddFavourite stars a party (a party UUID); starring a starred party changes nothing.
func (d *DB) AddFavourite(ctx context.Context, o Owner, party string) error {
	p, err := cleanParty(party)
	if err != nil {
		return err
	}
	return d.tx(ctx, o, func(tx *sql.Tx) error {
		n, err := count(ctx, tx, `SELECT COUNT(*) FROM favourites WHERE owner = $1 AND party = $2`, string(o), p)
		if err != nil || n > 0 {
			return err
		}
		if n, err = count(ctx, tx, `SELECT COUNT(*) FROM favourites WHERE owner = $1`, string(o)); err != nil {
			return err
		}
		if n >= MaxFavourites {
			return &LimitError{Limit: "favourites", Max: MaxFavourites}
		}
		var seq int64
		if err := tx.QueryRowContext(ctx, `UPDATE owners SET fav_seq = fav_seq + 1 WHERE owner = $1
			RETURNING fav_seq`, string(o)).Scan(&seq); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO favourites (owner, party, seq) VALUES ($1, $2, $3)`,
			string(o), p, seq); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	})
}

// RemoveFavourite unstars a party; unstarring an unstarred party changes nothing.
func (d *DB) RemoveFavourite(ctx context.Context, o Owner, party string) error {
	if err := o.valid(); err != nil {
		return err
	}
	p, err := cleanParty(party)
	if err != nil {
		return err
	}
	if _, err := d.db.ExecContext(ctx, `DELETE FROM favourites WHERE owner = $1 AND party = $2`, string(o), p); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	return nil
}
