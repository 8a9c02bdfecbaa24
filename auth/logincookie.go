package auth

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gorilla/sessions"
)

// A pending login (state, nonce, PKCE verifier, level asked for, return_to) lives in the browser
// that started it, in a cookie sealed with AES-256-GCM under a server key, and nowhere on the
// server: anonymous GET /login costs no memory, in this process or in Redis. The cookie is
// named after a short hash of its state, so that logins started in a few tabs all complete; the
// callback reads the cookie of the state it is given (a browser without it did not start this
// login), clears it, and claims the state in the store for the cookie's remaining life, so that
// a replayed callback fails even with a copy of the cookie.

// Limits of the login cookies.
const (
	maxPendingLogins = 3    // parallel login cookies per browser; the oldest go first
	maxLoginReturnTo = 1024 // a longer return_to is replaced by "/", to keep the cookie small
	loginCookieV1    = 1    // the first byte of a sealed login cookie: its format
)

// LoginKeyer is implemented by a Store that several instances share (auth/redisstore): the keys
// it returns seal the login cookie, so that any instance opens what another sealed. Each key
// is 32 bytes (AES-256); the first seals, all open (key rotation). Without a LoginKeyer, the
// relying party seals with a random key of its own, which is right for one instance only.
type LoginKeyer interface {
	LoginCookieKeys() [][]byte
}

// pendingLogin is a login attempt between the redirect to ID-porten and the callback.
type pendingLogin struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"` // the PKCE code_verifier
	ACR      string `json:"a"` // the level asked for
	ReturnTo string `json:"r"`
	Created  int64  `json:"t"` // Unix seconds
}

// createdAt is when the attempt started.
func (p *pendingLogin) createdAt() time.Time { return time.Unix(p.Created, 0) }

// loginSealer seals and opens login cookies.
type loginSealer struct {
	aeads []cipher.AEAD
}

// newLoginSealer returns a sealer over keys (32 bytes each; the first seals), or over a fresh
// random key when keys is empty.
func newLoginSealer(keys [][]byte) (*loginSealer, error) {
	if len(keys) == 0 {
		keys = [][]byte{make([]byte, 32)}
		rand.Read(keys[0]) // never fails
	}
	s := &loginSealer{}
	for i, k := range keys {
		if len(k) != 32 {
			return nil, fmt.Errorf("auth: login cookie key %d has %d bytes, want 32", i+1, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("auth: login cookie key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("auth: login cookie key %d: %w", i+1, err)
		}
		s.aeads = append(s.aeads, aead)
	}
	return s, nil
}

// loginAD binds a sealed value to its format and cookie name: moved to another name, it does
// not open.
func loginAD(name string) []byte {
	return append([]byte{loginCookieV1}, "innboks login cookie\x00"+name...)
}

// seal returns the cookie value for p under name: version byte, nonce, ciphertext and tag,
// base64url.
func (s *loginSealer) seal(name string, p *pendingLogin) string {
	plain, _ := json.Marshal(p) // strings and an int: cannot fail
	out := s.aeads[0].Seal([]byte{loginCookieV1}, nil, plain, loginAD(name))
	return base64.RawURLEncoding.EncodeToString(out)
}

// open returns the pending login sealed in value under name, or an error when no key opens it.
func (s *loginSealer) open(name, value string) (*pendingLogin, error) {
	blob, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil || len(blob) < 1 || blob[0] != loginCookieV1 {
		return nil, errors.New("login cookie is malformed")
	}
	ad := loginAD(name)
	for _, aead := range s.aeads {
		plain, err := aead.Open(nil, nil, blob[1:], ad)
		if err != nil {
			continue
		}
		var p pendingLogin
		if err := json.Unmarshal(plain, &p); err != nil {
			return nil, fmt.Errorf("login cookie: %w", err)
		}
		return &p, nil
	}
	return nil, errors.New("login cookie does not open (tampered, or sealed with another key)")
}

// stateHash is a short tag of a state for the login cookie's name.
func stateHash(state string) string {
	sum := sha256.Sum256([]byte(state))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// loginCookieFor is the name of the login cookie of state.
func (c Config) loginCookieFor(state string) string {
	return c.loginCookieName() + "-" + stateHash(state)
}

// isLoginCookie reports whether name is one of our login cookies.
func (c Config) isLoginCookie(name string) bool {
	h, ok := strings.CutPrefix(name, c.loginCookieName()+"-")
	return ok && len(h) == 8
}

// setLoginCookie seals p into its own cookie, first clearing the oldest of the browser's login
// cookies (and any that do not open or have expired) so that at most maxPendingLogins remain.
func (rp *RP) setLoginCookie(w http.ResponseWriter, r *http.Request, p *pendingLogin) {
	type held struct {
		name    string
		created time.Time
	}
	var live []held
	now := rp.cfg.Now()
	for _, ck := range r.Cookies() {
		if !rp.cfg.isLoginCookie(ck.Name) || slices.ContainsFunc(live, func(h held) bool { return h.name == ck.Name }) {
			continue
		}
		old, err := rp.logins.open(ck.Name, ck.Value)
		if err != nil || !now.Before(old.createdAt().Add(pendingLoginTTL)) {
			rp.cookies.clearCookie(w, ck.Name)
			continue
		}
		live = append(live, held{ck.Name, old.createdAt()})
	}
	slices.SortFunc(live, func(a, b held) int { return a.created.Compare(b.created) })
	for len(live) >= maxPendingLogins {
		rp.cookies.clearCookie(w, live[0].name)
		live = live[1:]
	}
	name := rp.cfg.loginCookieFor(p.State)
	o := rp.cookies.options()
	o.MaxAge = int(pendingLoginTTL.Seconds())
	http.SetCookie(w, sessions.NewCookie(name, rp.logins.seal(name, p), o))
}

// takeLogin returns the pending login of state from this browser's login cookie and clears
// the cookie (a login cookie is used once, whatever happens next). A missing, foreign,
// tampered or expired cookie is a KindState error.
func (rp *RP) takeLogin(w http.ResponseWriter, r *http.Request, state string) (*pendingLogin, *Error) {
	name := rp.cfg.loginCookieFor(state)
	ck, err := r.Cookie(name)
	if err != nil {
		return nil, newError(KindState, errors.New("no login cookie for this state: started in another browser, expired, or already used"))
	}
	rp.cookies.clearCookie(w, name)
	p, err := rp.logins.open(name, ck.Value)
	if err != nil {
		return nil, newError(KindState, err)
	}
	if subtle.ConstantTimeCompare([]byte(p.State), []byte(state)) != 1 {
		return nil, newError(KindState, errors.New("the login cookie is for another state"))
	}
	if !rp.cfg.Now().Before(p.createdAt().Add(pendingLoginTTL)) {
		return nil, newError(KindState, errors.New("the login attempt has expired"))
	}
	return p, nil
}

// fullHash names a state in the store without keeping it.
func fullHash(state string) string {
	sum := sha256.Sum256([]byte(state))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// clearLoginCookies clears every login cookie the request carries (at logout).
func (rp *RP) clearLoginCookies(w http.ResponseWriter, r *http.Request) {
	for _, ck := range r.Cookies() {
		if rp.cfg.isLoginCookie(ck.Name) {
			rp.cookies.clearCookie(w, ck.Name)
		}
	}
}

// claimLogin marks the state of p as used in the store for the rest of its life, so that a
// second callback with it (a replay with a copy of the cookie, or two tabs racing) fails. The
// returned func releases the claim: the callback calls it when the login fails, so that junk
// callbacks leave nothing behind.
func (rp *RP) claimLogin(r *http.Request, p *pendingLogin) (release func(), e *Error) {
	ctx := r.Context()
	left := p.createdAt().Add(pendingLoginTTL).Sub(rp.cfg.Now())
	unlock, err := rp.store.Lock(ctx, "login:"+fullHash(p.State), max(left, time.Second))
	if errors.Is(err, ErrLocked) {
		return nil, newError(KindState, errors.New("the login attempt has already been used"))
	}
	if err != nil {
		return nil, newError(KindSession, err)
	}
	return func() {
		if err := unlock(context.WithoutCancel(ctx)); err != nil {
			rp.logError(ctx, "release login claim", err)
		}
	}, nil
}
