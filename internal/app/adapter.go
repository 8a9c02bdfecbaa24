package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/handlers"
	"github.com/innboks/innboks/internal/store"
)

// sessions presents auth.RP's sessions as handlers.Sessions, through the request context.
// ownerKey is the store's server key: the session's Owner is the HMAC of its identity number
// under it, so the handlers never see the identity number.
type sessions struct {
	rp       *auth.RP
	ownerKey []byte
}

var _ handlers.Sessions = sessions{}

// loginRoutes are auth.RP's own routes and middleware, as they are.
func loginRoutes(rp *auth.RP) handlers.LoginRoutes {
	return handlers.LoginRoutes{
		Login: rp.Login, StepUp: rp.StepUp, Callback: rp.Callback, Logout: rp.Logout,
		FrontChannelLogout: rp.FrontChannelLogout, Require: rp.Require, Optional: rp.Optional,
	}
}

// errNoSession is returned when a handler changes a session that is not loaded.
var errNoSession = errors.New("app: no session in context")

// Session returns the handlers' view of the session loaded by Require/Optional.
func (a sessions) Session(ctx context.Context) (handlers.Session, bool) {
	s, ok := auth.SessionFrom(ctx)
	if !ok {
		return handlers.Session{}, false
	}
	return handlers.Session{
		ID: s.ID, Lang: s.Lang, PartyUUID: s.PartyUUID, TokenIssuedAt: s.TokenIssuedAt,
		Owner: string(store.OwnerKey(a.ownerKey, s.PID)),
	}, true
}

// SetLang remembers the UI language in the session.
func (a sessions) SetLang(ctx context.Context, lang string) error {
	return a.update(ctx, func(s *auth.Session) { s.Lang = lang })
}

// SetParty remembers the chosen party in the session.
func (a sessions) SetParty(ctx context.Context, partyUUID string) error {
	return a.update(ctx, func(s *auth.Session) { s.PartyUUID = partyUUID })
}

func (a sessions) update(ctx context.Context, f func(*auth.Session)) error {
	s, ok := auth.SessionFrom(ctx)
	if !ok {
		return errNoSession
	}
	f(s)
	if err := a.rp.Save(ctx, s); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// Token is the session's access token for dpclient. An ended session (refresh failed) reads as
// dpclient.ErrUnauthorized, so the user is asked to log in again.
func (a sessions) Token(ctx context.Context) dpclient.TokenSource {
	s, ok := auth.SessionFrom(ctx)
	if !ok {
		return dpclient.TokenFunc(func(context.Context) (string, error) {
			return "", fmt.Errorf("%w: %w", dpclient.ErrUnauthorized, errNoSession)
		})
	}
	ts := a.rp.TokenSource(s)
	return dpclient.TokenFunc(func(ctx context.Context) (string, error) {
		tok, err := ts.Token(ctx)
		if errors.Is(err, auth.ErrSessionEnded) {
			return "", fmt.Errorf("%w: %w", dpclient.ErrUnauthorized, err)
		}
		return tok, err
	})
}
