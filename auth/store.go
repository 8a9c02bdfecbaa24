package auth

import (
	"context"
	"time"
)

// Store keeps sessions, pending logins and short locks server-side, each with a time to live
// after which it is gone. Implementations must be safe for concurrent use, also across
// processes when several instances share them (auth/redisstore). Absent ids give ErrNotFound.
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

	// PutLogin stores a pending login under its state.
	PutLogin(ctx context.Context, p *PendingLogin, ttl time.Duration) error
	// TakeLogin returns the pending login stored under state and removes it, so that it can be
	// used once only.
	TakeLogin(ctx context.Context, state string) (*PendingLogin, error)

	// Lock takes the named lock for at most ttl, or returns ErrLocked when someone holds it.
	// The returned func releases it if it is still ours.
	Lock(ctx context.Context, name string, ttl time.Duration) (unlock func(context.Context) error, err error)
}

// PendingLogin is what the relying party remembers between sending the browser to ID-porten
// and the callback. It is keyed by State and bound to the browser by Binding, a hash of the
// random value in the login cookie.
type PendingLogin struct {
	State     string    `json:"state"`
	Nonce     string    `json:"nonce"`
	Verifier  string    `json:"verifier"` // the PKCE code_verifier
	Binding   string    `json:"binding"`
	ACR       string    `json:"acr"` // the level asked for
	ReturnTo  string    `json:"return_to"`
	CreatedAt time.Time `json:"created_at"`
}
