package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// Sessions is what the handlers read and change of the login session (auth.RP's, adapted in
// internal/app). The session is the one the Require/Optional middleware put in the context.
type Sessions interface {
	// Session returns the session loaded into ctx.
	Session(ctx context.Context) (Session, bool)
	// SetLang and SetParty remember the user's choices in the session loaded into ctx.
	SetLang(ctx context.Context, lang string) error
	SetParty(ctx context.Context, partyUUID string) error
	// Token is the access token source for the session loaded into ctx.
	Token(ctx context.Context) dpclient.TokenSource
}

// Session is the part of the login session the handlers read. It never holds tokens.
type Session struct {
	ID        string // the server-side session id: the key of per-session caches, never shown
	Lang      string // "nb" | "nn" | "en" | "" (not chosen)
	PartyUUID string // the party last acted for, "" when none
	// Owner is what Innboks remembers the person under (internal/store): an HMAC of their
	// identity number under a server key, never the number itself.
	Owner string
	// TokenIssuedAt is when the current access token was issued (zero: unknown). A 401 right
	// after it is a configuration error, not an expired login.
	TokenIssuedAt time.Time
}

// LoginRoutes are the OpenID Connect relying party's own routes and middleware (auth.RP's), as
// they are: routes.go mounts them.
type LoginRoutes struct {
	Login              http.HandlerFunc // GET /login?return_to=
	StepUp             http.HandlerFunc // GET /login/step-up?return_to=
	Callback           http.HandlerFunc // GET /auth/callback
	Logout             http.HandlerFunc // POST /logout (CSRF checked before)
	FrontChannelLogout http.HandlerFunc // GET /auth/frontchannel-logout
	// Require lets a request on only with a session (else to /login); Optional loads one when
	// there is one.
	Require, Optional func(http.Handler) http.Handler
}
