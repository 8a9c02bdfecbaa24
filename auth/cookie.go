package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
)

// cookieStore is a gorilla sessions.Store over the relying party's server-side Store. The
// cookie holds only the session id, 32 random bytes, so it needs no securecookie signing or
// encryption: an id is either in the store or worthless. The *Session sits in Values[valuesKey].
type cookieStore struct {
	rp *RP
}

// valuesKey is where a gorilla session keeps our *Session.
const valuesKey = "session"

// Get returns the request's session, loaded once per request through gorilla's registry.
func (c *cookieStore) Get(r *http.Request, name string) (*sessions.Session, error) {
	return sessions.GetRegistry(r).Get(c, name)
}

// New loads the session the request's cookie names; without a cookie, or when the session is
// unknown or has timed out, it returns an empty new session.
func (c *cookieStore) New(r *http.Request, name string) (*sessions.Session, error) {
	gs := c.fresh(name)
	ck, err := r.Cookie(name)
	if err != nil || !validID(ck.Value) {
		return gs, nil
	}
	s, err := c.rp.load(r.Context(), ck.Value)
	if errors.Is(err, ErrNotFound) {
		return gs, nil
	}
	if err != nil {
		return gs, err
	}
	gs.ID, gs.IsNew = s.ID, false
	gs.Values[valuesKey] = s
	return gs, nil
}

// fresh returns an empty new session with the cookie options.
func (c *cookieStore) fresh(name string) *sessions.Session {
	gs := sessions.NewSession(c, name)
	gs.IsNew = true
	gs.Options = c.options()
	return gs
}

// options are the session cookie's attributes. No Max-Age: the cookie ends with the browser,
// the server-side timeouts end the session.
func (c *cookieStore) options() *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		Secure:   c.rp.cfg.SecureCookies,
		HttpOnly: true,
		SameSite: http.SameSiteLaxMode,
	}
}

// Save persists gs and writes its cookie. A new session is created under a new random id
// (which is how the id is rotated at login); Options.MaxAge < 0 deletes the session and the
// cookie; an existing session has its app fields merged into the stored one.
func (c *cookieStore) Save(r *http.Request, w http.ResponseWriter, gs *sessions.Session) error {
	ctx := r.Context()
	if gs.Options != nil && gs.Options.MaxAge < 0 {
		if gs.ID != "" {
			if err := c.rp.store.Delete(ctx, gs.ID); err != nil {
				return fmt.Errorf("delete session: %w", err)
			}
		}
		http.SetCookie(w, sessions.NewCookie(gs.Name(), "", gs.Options))
		return nil
	}
	s, ok := gs.Values[valuesKey].(*Session)
	if !ok {
		return errors.New("auth: gorilla session without an auth session")
	}
	if gs.IsNew {
		s.ID = newID()
		if err := c.rp.store.Create(ctx, s, c.rp.ttl(s.CreatedAt)); err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		gs.ID, gs.IsNew = s.ID, false
	} else if err := c.rp.Save(ctx, s); err != nil {
		return err
	}
	http.SetCookie(w, sessions.NewCookie(gs.Name(), gs.ID, gs.Options))
	return nil
}

// clearCookie expires the named cookie in the browser.
func (c *cookieStore) clearCookie(w http.ResponseWriter, name string) {
	o := c.options()
	o.MaxAge = -1
	http.SetCookie(w, sessions.NewCookie(name, "", o))
}

// idBytes is the entropy of session ids and login-cookie values.
const idBytes = 32

// newID returns 32 random bytes from crypto/rand, base64url without padding (43 characters).
func newID() string {
	b := make([]byte, idBytes)
	rand.Read(b) // never fails; crashes the program if the system has no randomness
	return base64.RawURLEncoding.EncodeToString(b)
}

// validID reports whether v can be an id from newID, so that junk never reaches the store.
func validID(v string) bool {
	if len(v) != base64.RawURLEncoding.EncodedLen(idBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(v)
	return err == nil
}

// load returns the session with id when it has neither been idle for IdleTimeout nor lived for
// AbsoluteTimeout; a timed-out session is deleted and reported as ErrNotFound. LastSeen is
// written back at most every touchEvery, to spare the store a write per request.
func (rp *RP) load(ctx context.Context, id string) (*Session, error) {
	s, err := rp.store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	now := rp.cfg.Now()
	if s.TimedOut(now, rp.cfg.IdleTimeout, rp.cfg.AbsoluteTimeout) {
		if err := rp.store.Delete(ctx, id); err != nil {
			return nil, fmt.Errorf("delete timed-out session: %w", err)
		}
		rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "session timed out", sessionAttr(s))
		return nil, ErrNotFound
	}
	if now.Sub(s.LastSeen) >= rp.touchEvery() {
		s, err = rp.store.Update(ctx, id, rp.ttl(s.CreatedAt), func(cur *Session) error {
			cur.LastSeen = now
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// touchEvery is how stale LastSeen may get before a request writes it: a minute, or a tenth of
// the idle timeout when that is shorter.
func (rp *RP) touchEvery() time.Duration {
	return min(time.Minute, rp.cfg.IdleTimeout/10)
}

// ttl is how long a session created at created may still live in the store when it is written
// now: the idle timeout, cut short by the absolute one.
func (rp *RP) ttl(created time.Time) time.Duration {
	left := created.Add(rp.cfg.AbsoluteTimeout).Sub(rp.cfg.Now())
	return max(min(rp.cfg.IdleTimeout, left), time.Second)
}

// Save persists the app fields of s (Lang, PartyUUID) into the stored session, leaving the
// tokens as they are there (a concurrent refresh may have rotated them).
func (rp *RP) Save(ctx context.Context, s *Session) error {
	_, err := rp.store.Update(ctx, s.ID, rp.ttl(s.CreatedAt), func(cur *Session) error {
		cur.Lang, cur.PartyUUID = s.Lang, s.PartyUUID
		return nil
	})
	if err != nil {
		return fmt.Errorf("auth: save session: %w", err)
	}
	return nil
}
