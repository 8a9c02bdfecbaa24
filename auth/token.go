package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenSource gives the access token for outbound calls.
type TokenSource interface {
	// Token returns a valid access token, refreshing it first when it is about to expire.
	Token(ctx context.Context) (string, error)
	// IssuedAt is when the token Token last returned (before the first call: the session's)
	// was obtained from the provider, at the login or a refresh. An upstream 401 for a token
	// this fresh is a configuration error (scope, audience, issuer), not an expired login.
	IssuedAt() time.Time
}

// TokenSource returns the access-token source of s: the ID-porten access token, renewed from
// the refresh token RefreshAhead before it expires. Refreshes run once per session at a time,
// however many requests ask together: in this process through singleflight, across instances
// through the store's lock (the instance that does not get it waits and re-reads the session).
// When the refresh fails the session is deleted and Token returns ErrSessionEnded.
func (rp *RP) TokenSource(s *Session) TokenSource {
	return &tokenSource{rp: rp, id: s.ID, access: s.AccessToken, expiry: s.Expiry, issued: s.TokenIssuedAt}
}

type tokenSource struct {
	rp *RP
	id string

	mu     sync.Mutex
	access string
	expiry time.Time
	issued time.Time
}

// accessToken is a refresh's result.
type accessToken struct {
	value  string
	expiry time.Time
	issued time.Time
}

// current is s's access token.
func current(s *Session) accessToken { return accessToken{s.AccessToken, s.Expiry, s.TokenIssuedAt} }

func (ts *tokenSource) IssuedAt() time.Time {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.issued
}

func (ts *tokenSource) Token(ctx context.Context) (string, error) {
	ts.mu.Lock()
	if ts.rp.fresh(ts.access, ts.expiry) {
		defer ts.mu.Unlock()
		return ts.access, nil
	}
	ts.mu.Unlock()

	// The refresh outlives a caller that gives up, so the others waiting on it still get it.
	ch := ts.rp.flight.DoChan(ts.id, func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*refreshLockTTL)
		defer cancel()
		return ts.rp.refresh(rctx, ts.id)
	})
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return "", res.Err
		}
		t := res.Val.(accessToken)
		ts.mu.Lock()
		ts.access, ts.expiry, ts.issued = t.value, t.expiry, t.issued
		ts.mu.Unlock()
		return t.value, nil
	}
}

// fresh reports whether an access token expiring at expiry is good for RefreshAhead more.
func (rp *RP) fresh(access string, expiry time.Time) bool {
	return access != "" && rp.cfg.Now().Add(rp.cfg.RefreshAhead).Before(expiry)
}

// refreshPoll is how often an instance waiting for another's refresh re-reads the session.
const refreshPoll = 25 * time.Millisecond

// refresh renews the access token of session id, unless someone already has.
func (rp *RP) refresh(ctx context.Context, id string) (accessToken, error) {
	for {
		s, err := rp.store.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return accessToken{}, ErrSessionEnded
		}
		if err != nil {
			return accessToken{}, fmt.Errorf("auth: refresh: %w", err)
		}
		if rp.fresh(s.AccessToken, s.Expiry) {
			return current(s), nil
		}
		unlock, err := rp.store.Lock(ctx, "refresh:"+id, refreshLockTTL)
		if errors.Is(err, ErrLocked) {
			// Another instance is refreshing: wait, then read what it stored.
			select {
			case <-ctx.Done():
				return accessToken{}, fmt.Errorf("auth: refresh: waiting for another instance: %w", ctx.Err())
			case <-time.After(refreshPoll):
			}
			continue
		}
		if err != nil {
			return accessToken{}, fmt.Errorf("auth: refresh lock: %w", err)
		}
		t, err := rp.refreshLocked(ctx, id)
		if uerr := unlock(context.WithoutCancel(ctx)); uerr != nil {
			rp.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "refresh unlock failed", slog.String("err", uerr.Error()))
		}
		return t, err
	}
}

// refreshLocked renews the token while holding the session's refresh lock.
func (rp *RP) refreshLocked(ctx context.Context, id string) (accessToken, error) {
	s, err := rp.store.Get(ctx, id) // re-read: the previous holder may just have refreshed
	if errors.Is(err, ErrNotFound) {
		return accessToken{}, ErrSessionEnded
	}
	if err != nil {
		return accessToken{}, fmt.Errorf("auth: refresh: %w", err)
	}
	if rp.fresh(s.AccessToken, s.Expiry) {
		return current(s), nil
	}
	if s.RefreshToken == "" {
		return accessToken{}, rp.endSession(ctx, s, errors.New("no refresh token"))
	}
	tok, err := rp.oauth.TokenSource(rp.ctx(ctx), &oauth2.Token{RefreshToken: s.RefreshToken}).Token()
	if err != nil {
		pe := asProviderError(err)
		if !pe.rejected() && rp.cfg.Now().Before(s.Expiry) {
			// ID-porten is unreachable but the token still works: use it, retry next time.
			rp.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "token refresh failed, using the current token", append(errAttrs(pe), sessionAttr(s))...)
			return current(s), nil
		}
		return accessToken{}, rp.endSession(ctx, s, pe)
	}
	now := rp.cfg.Now()
	exp := rp.expiry(ctx, now, tok)
	_, err = rp.store.Update(ctx, id, rp.ttl(s.CreatedAt), func(cur *Session) error {
		cur.AccessToken, cur.Expiry, cur.TokenIssuedAt = tok.AccessToken, exp, now
		if tok.RefreshToken != "" { // it may rotate: keep the newest
			cur.RefreshToken = tok.RefreshToken
		}
		return nil
	})
	if errors.Is(err, ErrNotFound) {
		return accessToken{}, ErrSessionEnded // logged out while refreshing
	}
	if err != nil {
		return accessToken{}, fmt.Errorf("auth: store refreshed token: %w", err)
	}
	return accessToken{tok.AccessToken, exp, now}, nil
}

// endSession deletes s after a failed refresh and returns ErrSessionEnded with the cause.
func (rp *RP) endSession(ctx context.Context, s *Session, cause error) error {
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "token refresh failed, session ended", append(errAttrs(cause), sessionAttr(s))...)
	if err := rp.store.Delete(ctx, s.ID); err != nil {
		return fmt.Errorf("%w (and deleting it failed: %w)", ErrSessionEnded, err)
	}
	return fmt.Errorf("%w: %w", ErrSessionEnded, cause)
}
