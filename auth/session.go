package auth

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Session is one login: who (PID, at which ACR, in which ID-porten session SID), the user's
// choices in Innboks (Lang, PartyUUID) and the tokens. The token fields and PID are exported for
// the stores' serialization only: LogValue, String and GoString leave them out, so a session can
// be logged or printed without leaking them.
type Session struct {
	ID        string    `json:"id"`
	PID       string    `json:"pid"` // fødselsnummer or d-nummer: never log it
	ACR       string    `json:"acr"`
	SID       string    `json:"sid,omitempty"` // ID-porten's session id, for front-channel logout
	Lang      string    `json:"lang,omitempty"`
	PartyUUID string    `json:"party_uuid,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	LastSeen  time.Time `json:"last_seen"`

	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	IDToken      string    `json:"id_token"`
	Expiry       time.Time `json:"expiry"` // of the access token
	// TokenIssuedAt is when the access token was obtained (at the login, then at each
	// refresh): an upstream 401 for a token this fresh is a configuration error, not an
	// expired login. Zero for sessions stored before the field existed.
	TokenIssuedAt time.Time `json:"token_issued_at,omitzero"`
}

// LogValue implements slog.LogValuer without the tokens and the pid.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", shortID(s.ID)),
		slog.String("acr", s.ACR),
		slog.Time("created_at", s.CreatedAt),
		slog.Time("last_seen", s.LastSeen),
	)
}

// String describes the session without the tokens and the pid.
func (s Session) String() string {
	return fmt.Sprintf("auth.Session{ID:%s ACR:%s Lang:%s PartyUUID:%s CreatedAt:%s LastSeen:%s}",
		shortID(s.ID), s.ACR, s.Lang, s.PartyUUID, s.CreatedAt.Format(time.RFC3339), s.LastSeen.Format(time.RFC3339))
}

// GoString keeps %#v from printing the tokens.
func (s Session) GoString() string { return s.String() }

// Format makes every fmt verb (%v, %+v, %s, %#v) use String, so no verb prints the fields.
func (s Session) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// shortID is enough of a session id to correlate log lines, and too little to use it.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8] + "…"
	}
	return id
}

// TimedOut reports whether at now the session has been idle (since LastSeen) for idle or has
// lived (since CreatedAt) for absolute: the one rule for when a session ends by time.
func (s *Session) TimedOut(now time.Time, idle, absolute time.Duration) bool {
	return now.Sub(s.CreatedAt) >= absolute || now.Sub(s.LastSeen) >= idle
}

// clone returns a copy that shares nothing mutable with s.
func (s *Session) clone() *Session {
	c := *s
	return &c
}

type sessionKey struct{}

// SessionFrom returns the session Require or Optional loaded into the request context.
func SessionFrom(ctx context.Context) (*Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(*Session)
	return s, ok && s != nil
}

// withSession returns ctx carrying s.
func withSession(ctx context.Context, s *Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}
