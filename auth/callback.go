package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"
)

// idClaims are the ID token claims the relying party reads beyond go-oidc's checks.
type idClaims struct {
	Nonce string `json:"nonce"`
	ACR   string `json:"acr"`
	PID   string `json:"pid"`
	SID   string `json:"sid"`
}

// Callback completes the login (GET /auth/callback): it checks state, browser binding and iss,
// exchanges the code with the PKCE verifier, verifies the ID token, creates the session under a
// new id (deleting the one the browser had), and redirects to the return_to of the attempt.
// Every failure goes to OnError, and no session is created.
func (rp *RP) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()

	state := q.Get("state")
	if state == "" {
		rp.fail(w, r, newError(KindState, errors.New("no state in the callback")))
		return
	}
	p, err := rp.store.TakeLogin(ctx, state) // used once, whatever happens next
	if errors.Is(err, ErrNotFound) {
		rp.fail(w, r, newError(KindState, errors.New("unknown, expired or used state")))
		return
	}
	if err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	ck, err := r.Cookie(rp.cfg.loginCookieName())
	if err != nil || subtle.ConstantTimeCompare([]byte(bindingHash(ck.Value)), []byte(p.Binding)) != 1 {
		rp.fail(w, r, newError(KindState, errors.New("the login was started in another browser")))
		return
	}
	if e := q.Get("error"); e != "" {
		err := newError(KindProvider, fmt.Errorf("authorization error %q", e))
		err.Status = http.StatusBadRequest
		rp.fail(w, r, err)
		return
	}
	// RFC 9207: the iss parameter says which issuer sent the response (mix-up attacks).
	if iss, ok := q["iss"]; ok || rp.meta.IssParamSupported {
		if !ok || !sameIssuer(iss[0], rp.cfg.Issuer) {
			rp.fail(w, r, newError(KindIssuer, errors.New("authorization response from another issuer")))
			return
		}
	}
	code := q.Get("code")
	if code == "" {
		rp.fail(w, r, newError(KindCode, errors.New("no code in the callback")))
		return
	}

	s, authErr := rp.redeem(ctx, p, code)
	if authErr != nil {
		rp.fail(w, r, authErr)
		return
	}

	// Rotate: the session the browser had (if any) ends, the new one gets a new id.
	if old, err := rp.cookies.Get(r, rp.cfg.cookieName()); err == nil && !old.IsNew {
		if prev, ok := old.Values[valuesKey].(*Session); ok && prev.PID == s.PID {
			s.Lang, s.PartyUUID = prev.Lang, prev.PartyUUID // a step-up keeps the user's choices
		}
		if err := rp.store.Delete(ctx, old.ID); err != nil {
			rp.fail(w, r, newError(KindSession, err))
			return
		}
	}
	gs := rp.cookies.fresh(rp.cfg.cookieName())
	gs.Values[valuesKey] = s
	if err := gs.Save(r, w); err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	rp.cookies.clearCookie(w, rp.cfg.loginCookieName())
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "logged in", sessionAttr(s))
	http.Redirect(w, r, p.ReturnTo, http.StatusSeeOther)
}

// redeem exchanges the code and checks the ID token, returning the new session (without id).
func (rp *RP) redeem(ctx context.Context, p *PendingLogin, code string) (*Session, *Error) {
	tok, err := rp.oauth.Exchange(rp.ctx(ctx), code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		te := asTokenEndpointError(err)
		if te.rejected() {
			return nil, newError(KindCode, te)
		}
		return nil, newError(KindProvider, te)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, newError(KindIDToken, errors.New("no id_token in the token response"))
	}
	idt, err := rp.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, newError(KindIDToken, err)
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return nil, newError(KindIDToken, err)
	}
	if subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(p.Nonce)) != 1 {
		return nil, newError(KindNonce, errors.New("id_token nonce does not match this login"))
	}
	if acrRank(c.ACR) < acrRank(p.ACR) {
		return nil, newError(KindACR, fmt.Errorf("id_token acr %q is below %q", c.ACR, p.ACR))
	}
	if !validPID(c.PID) {
		return nil, newError(KindIdentity, errors.New("id_token has no valid pid"))
	}
	now := rp.cfg.Now()
	return &Session{
		PID:          c.PID,
		ACR:          c.ACR,
		SID:          c.SID,
		CreatedAt:    now,
		LastSeen:     now,
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		IDToken:      raw,
		Expiry:       expiry(now, tok),
	}, nil
}

// expiry is when the access token expires by the provider's expires_in, counted on our clock.
func expiry(now time.Time, tok *oauth2.Token) time.Time {
	if tok.ExpiresIn > 0 {
		return now.Add(time.Duration(tok.ExpiresIn) * time.Second)
	}
	return now.Add(defaultAccessTTL)
}

// validPID reports whether pid looks like a Norwegian national identity number: 11 digits.
func validPID(pid string) bool {
	if len(pid) != 11 {
		return false
	}
	for _, c := range pid {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// asTokenEndpointError keeps the status and error code of a failed token request and drops
// the response body.
func asTokenEndpointError(err error) *tokenEndpointError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te := &tokenEndpointError{Code: re.ErrorCode}
		if re.Response != nil {
			te.Status = re.Response.StatusCode
		}
		return te
	}
	return &tokenEndpointError{cause: err}
}
