package handlers

import (
	"context"
	"net/http"

	"github.com/innboks/innboks/dpclient"
)

// Auth is what the routes need from the OpenID Connect relying party and its session (auth.RP,
// adapted in internal/app). The http handlers are mounted as they are; the session is reached
// through the request context the Require/Optional middleware filled in.
type Auth interface {
	Login(w http.ResponseWriter, r *http.Request)              // GET /login?return_to=
	StepUp(w http.ResponseWriter, r *http.Request)             // GET /login/step-up?return_to=
	Callback(w http.ResponseWriter, r *http.Request)           // GET /auth/callback
	Logout(w http.ResponseWriter, r *http.Request)             // POST /logout (CSRF checked before)
	FrontChannelLogout(w http.ResponseWriter, r *http.Request) // GET /auth/frontchannel-logout
	Require(next http.Handler) http.Handler                    // a session or a redirect to /login
	Optional(next http.Handler) http.Handler                   // a session when there is one

	// Session returns the session loaded into ctx by Require or Optional.
	Session(ctx context.Context) (Session, bool)
	// SetLang and SetParty remember the user's choices in the session loaded into ctx.
	SetLang(ctx context.Context, lang string) error
	SetParty(ctx context.Context, partyUUID string) error
	// Token is the access token source for the session loaded into ctx, for dpclient calls.
	Token(ctx context.Context) dpclient.TokenSource
}

// Session is the part of the login session the handlers read. It never holds tokens.
type Session struct {
	ID        string // the server-side session id: the key of per-session caches, never shown
	Lang      string // "nb" | "nn" | "en" | "" (not chosen)
	PartyUUID string // the party last acted for, "" when none
}
