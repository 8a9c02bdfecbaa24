package inbox

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// dialogTokenFallback is how long a dialog token whose expiry cannot be read is taken to last:
// half of Dialogporten's 600 s, so the watch renews it in time all the same.
const dialogTokenFallback = 5 * time.Minute

// DialogTokenSource yields a fresh dialog token of one dialog and when it expires
// (live.DialogTokenSource has the same shape).
type DialogTokenSource = func(ctx context.Context) (token string, expires time.Time, err error)

// WatchTokens checks that dialog id is the user's (Load: fresh, with the ownership check) and
// returns the source of its dialog token for the dialogEvents subscription. The source's first
// call gives the token just loaded; later calls load the dialog again, with the ctx they are
// given and never the request's: the watch outlives the request that started it, and renews the
// token for as long as the page is open. The user's access token (u.Token) is renewed by its own
// source, which is kept by session id, not by request.
func (s *Dialogs) WatchTokens(ctx context.Context, u *User, ix *PartyIndex, id string) (DialogTokenSource, error) {
	d, err := s.Load(ctx, u, ix, id)
	if err != nil {
		return nil, err
	}
	first := d.DialogToken
	return func(ctx context.Context) (string, time.Time, error) {
		if first != "" {
			tok := first
			first = "" // called from the watch's one goroutine only
			if exp := tokenExpiry(tok, s.now()); exp.After(s.now()) {
				return tok, exp, nil
			}
		}
		d, err := s.Load(ctx, u, ix, id)
		if err != nil {
			return "", time.Time{}, err
		}
		return d.DialogToken, tokenExpiry(d.DialogToken, s.now()), nil
	}, nil
}

// tokenExpiry reads the exp claim of a JWT without checking its signature: the token is only
// passed on (to Dialogporten, which checks it); its expiry only decides when to renew it. An
// unreadable token is taken to last dialogTokenFallback from now.
func tokenExpiry(tok string, now time.Time) time.Time {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return now.Add(dialogTokenFallback)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return now.Add(dialogTokenFallback)
	}
	var claims struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(raw, &claims) != nil || claims.Exp == 0 {
		return now.Add(dialogTokenFallback)
	}
	return time.Unix(claims.Exp, 0)
}
