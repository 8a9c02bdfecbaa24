package auth

import (
	"context"
	"time"
)

// Store keeps sessions and short locks (a session's refresh, a login's state at its callback)
// server-side, each with a time to live after which it is gone. Pending logins are not kept
// here: they live in the browser's sealed login cookie (a Store shared by several instances
// says with which keys, see LoginKeyer). Implementations must be safe for concurrent use, also
// across processes when several instances share them (auth/redisstore). Absent ids give
// ErrNotFound.
type Store interface {
	// Get returns the session with id.
	Get(ctx context.Context, id string) (*Session, error)
	// Create stores a new session under s.ID, indexed by s.SID when it is set.
	Create(ctx context.Context, s *Session, ttl time.Duration) error
	// Update atomically reads the session with id, lets fn change it and writes it back with
	// ttl, so that concurrent updates of different fields (a rotated refresh token, a chosen
	// party) do not overwrite each other. It returns the session as written.
	Update(ctx context.Context, id string, ttl time.Duration, fn func(*Session) error) (*Session, error)
	// Delete removes the session with id; deleting an absent id is not an error.
	Delete(ctx context.Context, id string) error
	// DeleteBySID removes every session of the ID-porten session sid and returns those that
	// were live (so that their tokens can be revoked).
	DeleteBySID(ctx context.Context, sid string) ([]*Session, error)

	// Lock takes the named lock for at most ttl, or returns ErrLocked when someone holds it.
	// The returned func releases it if it is still ours.
	Lock(ctx context.Context, name string, ttl time.Duration) (unlock func(context.Context) error, err error)
}
