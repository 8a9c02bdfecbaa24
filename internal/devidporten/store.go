package devidporten

import (
	"crypto/rand"
	"encoding/base64"
	"slices"
	"sync"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

const (
	authRequestTTL = 30 * time.Minute
	codeTTL        = 60 * time.Second
	ssoIdleTTL     = 30 * time.Minute  // ID-porten's SSO idle timeout
	ssoMaxTTL      = 120 * time.Minute // ID-porten's SSO absolute timeout
)

// authRequest is one authorization request, from /authorize until its code is redeemed.
// It implements op.AuthRequest. The store hands out copies, so readers never race writers.
type authRequest struct {
	id           string
	created      time.Time
	clientID     string
	redirectURI  string
	state        string
	nonce        string
	scopes       []string
	responseMode oidc.ResponseMode
	challenge    *oidc.CodeChallenge
	acrRequested string
	locale       string
	loginHint    string
	prompt       []string

	// Set when the user has logged in.
	done       bool
	pid        string
	sub        string
	acr        string
	amr        []string
	sid        string
	authTime   time.Time
	code       string
	codeIssued time.Time
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return a.acr }
func (a *authRequest) GetAMR() []string                      { return a.amr }
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return oidc.ResponseTypeCode }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.sub }
func (a *authRequest) Done() bool                            { return a.done }

// grant is what a login grants a client; each refresh token carries one. It implements
// op.RefreshTokenRequest.
type grant struct {
	clientID string
	pid      string
	sub      string
	acr      string
	amr      []string
	sid      string
	locale   string
	scopes   []string
	authTime time.Time
	// authzExpires ends the chain of refreshes (authorization lifetime).
	authzExpires time.Time
}

func (g *grant) GetAMR() []string                 { return g.amr }
func (g *grant) GetAudience() []string            { return []string{g.clientID} }
func (g *grant) GetAuthTime() time.Time           { return g.authTime }
func (g *grant) GetClientID() string              { return g.clientID }
func (g *grant) GetScopes() []string              { return g.scopes }
func (g *grant) GetSubject() string               { return g.sub }
func (g *grant) SetCurrentScopes(scopes []string) { g.scopes = scopes }

// refreshEntry is a stored refresh token.
type refreshEntry struct {
	grant   grant
	expires time.Time // idle expiry
}

// ssoSession is a browser's single sign-on session, keyed by a random cookie value that is
// never the sid (the sid travels in tokens and front-channel URLs).
type ssoSession struct {
	sid      string
	pid      string
	acr      string
	amr      []string
	authTime time.Time
	lastSeen time.Time
	clients  []string
}

// store holds the double's state in memory.
type store struct {
	mu       sync.Mutex
	requests map[string]authRequest
	codes    map[string]string // code -> request id
	refresh  map[string]refreshEntry
	sessions map[string]ssoSession // cookie value -> session
}

func newStore() *store {
	return &store{
		requests: map[string]authRequest{},
		codes:    map[string]string{},
		refresh:  map[string]refreshEntry{},
		sessions: map[string]ssoSession{},
	}
}

// randomID returns n random bytes, base64url encoded.
func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("devidporten: crypto/rand failed: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *store) sweep(now time.Time) {
	for id, r := range s.requests {
		if now.Sub(r.created) > authRequestTTL {
			delete(s.requests, id)
			if r.code != "" {
				delete(s.codes, r.code)
			}
		}
	}
	for t, e := range s.refresh {
		if !now.Before(e.expires) {
			delete(s.refresh, t)
		}
	}
	for k, ss := range s.sessions {
		if !ss.alive(now) {
			delete(s.sessions, k)
		}
	}
}

func (ss ssoSession) alive(now time.Time) bool {
	return now.Sub(ss.lastSeen) < ssoIdleTTL && now.Sub(ss.authTime) < ssoMaxTTL
}

func (s *store) addRequest(r authRequest, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.requests[r.id] = r
}

func (s *store) request(id string) (*authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return nil, false
	}
	return &r, true
}

// updateRequest applies fn to the stored request and returns a copy of the result; false when
// it is gone.
func (s *store) updateRequest(id string, fn func(*authRequest)) (*authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return nil, false
	}
	fn(&r)
	s.requests[id] = r
	return &r, true
}

func (s *store) saveCode(id, code string, now time.Time) bool {
	_, ok := s.updateRequest(id, func(r *authRequest) {
		r.code = code
		r.codeIssued = now
		s.codes[code] = id
	})
	return ok
}

func (s *store) requestByCode(code string, now time.Time) (*authRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, false
	}
	r, ok := s.requests[id]
	if !ok || !r.done || now.Sub(r.codeIssued) > codeTTL {
		return nil, false
	}
	return &r, true
}

// takeRequest deletes a request and its code; false when another caller got it first, so a
// code is redeemed at most once.
func (s *store) takeRequest(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok {
		return false
	}
	delete(s.requests, id)
	delete(s.codes, r.code)
	return true
}

func (s *store) deleteRequest(id string) { s.takeRequest(id) }

func (s *store) addRefresh(token string, e refreshEntry, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	s.refresh[token] = e
}

// refreshGrant returns the grant of a live refresh token.
func (s *store) refreshGrant(token string, now time.Time) (*grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.refresh[token]
	if !ok || !now.Before(e.expires) || !now.Before(e.grant.authzExpires) {
		return nil, false
	}
	g := e.grant
	g.scopes = slices.Clone(g.scopes)
	return &g, true
}

// useRefresh deletes a refresh token; false when it was already used, revoked or expired.
func (s *store) useRefresh(token string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.refresh[token]
	delete(s.refresh, token)
	return ok && now.Before(e.expires)
}

// revokeRefreshOfSession deletes the refresh tokens of sid that carry only openid/profile:
// ID-porten's logout leaves tokens with API scopes alive.
func (s *store) revokeRefreshOfSession(sid string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, e := range s.refresh {
		if e.grant.sid == sid && onlyIdentityScopes(e.grant.scopes) {
			delete(s.refresh, t)
		}
	}
}

func onlyIdentityScopes(scopes []string) bool {
	for _, sc := range scopes {
		if sc != oidc.ScopeOpenID && sc != oidc.ScopeProfile {
			return false
		}
	}
	return true
}

// session returns the live SSO session behind a cookie value and marks it seen.
func (s *store) session(cookie string, now time.Time) (*ssoSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[cookie]
	if !ok {
		return nil, false
	}
	if !ss.alive(now) {
		delete(s.sessions, cookie)
		return nil, false
	}
	ss.lastSeen = now
	s.sessions[cookie] = ss
	ss.clients = slices.Clone(ss.clients)
	return &ss, true
}

func (s *store) putSession(cookie string, ss ssoSession) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[cookie] = ss
}

// addSessionClient records that clientID took part in the session.
func (s *store) addSessionClient(cookie, clientID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.sessions[cookie]
	if ok && !slices.Contains(ss.clients, clientID) {
		ss.clients = append(ss.clients, clientID)
		s.sessions[cookie] = ss
	}
}

// endSession deletes the session with the cookie value, or failing that the one with sid.
func (s *store) endSession(cookie, sid string) (*ssoSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss, ok := s.sessions[cookie]; ok && cookie != "" {
		delete(s.sessions, cookie)
		return &ss, true
	}
	if sid == "" {
		return nil, false
	}
	for k, ss := range s.sessions {
		if ss.sid == sid {
			delete(s.sessions, k)
			return &ss, true
		}
	}
	return nil, false
}
