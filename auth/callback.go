package auth

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// idClaims are the ID token claims the relying party reads beyond go-oidc's checks.
type idClaims struct {
	Nonce string `json:"nonce"`
	ACR   string `json:"acr"`
	PID   string `json:"pid"`
	SID   string `json:"sid"`
}

// Callback completes the login (GET /auth/callback): it opens this browser's login cookie for
// the state (and clears it), checks iss, claims the state so that it is used once, exchanges
// the code with the PKCE verifier, verifies the ID token, creates the session under a new id
// (deleting the one the browser had), and redirects to the return_to of the attempt. Every
// failure goes to OnError, and no session is created.
func (rp *RP) Callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()

	state := q.Get("state")
	if state == "" {
		rp.fail(w, r, newError(KindState, errors.New("no state in the callback")))
		return
	}
	p, authErr := rp.takeLogin(w, r, state) // the cookie is cleared, whatever happens next
	if authErr != nil {
		rp.fail(w, r, authErr)
		return
	}
	if code := q.Get("error"); code != "" {
		rp.fail(w, r, authorizationError(code, q.Get("error_description")))
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
	release, authErr := rp.claimLogin(r, p)
	if authErr != nil {
		rp.fail(w, r, authErr)
		return
	}
	s, authErr := rp.redeem(ctx, p, code)
	if authErr != nil {
		release()
		rp.fail(w, r, authErr)
		return
	}

	// Rotate: the session the browser had (if any) ends, the new one gets a new id.
	if old, err := rp.cookies.Get(r, rp.cfg.cookieName()); err == nil && !old.IsNew {
		if prev, ok := old.Values[valuesKey].(*Session); ok && prev.PID == s.PID {
			s.Lang, s.PartyUUID = prev.Lang, prev.PartyUUID // a step-up keeps the user's choices
		}
		if err := rp.store.Delete(ctx, old.ID); err != nil {
			release()
			rp.fail(w, r, newError(KindSession, err))
			return
		}
	}
	gs := rp.cookies.fresh(rp.cfg.cookieName())
	gs.Values[valuesKey] = s
	if err := gs.Save(r, w); err != nil {
		release()
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "logged in", sessionAttr(s))
	http.Redirect(w, r, p.ReturnTo, http.StatusSeeOther)
}

// redeem exchanges the code and checks the ID token, returning the new session (without id).
func (rp *RP) redeem(ctx context.Context, p *pendingLogin, code string) (*Session, *Error) {
	tok, err := rp.oauth.Exchange(rp.ctx(ctx), code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		return nil, tokenError(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, newError(KindIDToken, errors.New("no id_token in the token response"))
	}
	idt, err := rp.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, newError(KindIDToken, err)
	}
	c, authErr := readClaims(idt)
	if authErr != nil {
		return nil, authErr
	}
	if subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(p.Nonce)) != 1 {
		return nil, newError(KindNonce, errors.New("id_token nonce does not match this login"))
	}
	if acrRank(c.ACR) < acrRank(p.ACR) {
		return nil, newError(KindACR, fmt.Errorf("id_token acr %q is below %q", c.ACR, p.ACR))
	}
	if c.PID == "" {
		return nil, newError(KindIdentity, errors.New("id_token has no pid claim"))
	}
	if !validPID(c.PID) {
		return nil, newError(KindIdentity, errors.New("id_token pid is not 11 digits"))
	}
	now := rp.cfg.Now()
	return &Session{
		PID:           c.PID,
		ACR:           c.ACR,
		SID:           c.SID,
		CreatedAt:     now,
		LastSeen:      now,
		AccessToken:   tok.AccessToken,
		RefreshToken:  tok.RefreshToken,
		IDToken:       raw,
		Expiry:        rp.expiry(ctx, now, tok),
		TokenIssuedAt: now,
	}, nil
}

// readClaims reads the claims the relying party uses beyond go-oidc's checks. Each must be a
// string when present: a provider that sends acr as an array (or pid as a number) is not set
// up the way Innboks reads it, and no new attempt changes that.
func readClaims(idt *oidc.IDToken) (idClaims, *Error) {
	var raw map[string]json.RawMessage
	if err := idt.Claims(&raw); err != nil {
		return idClaims{}, newError(KindIDToken, err)
	}
	var c idClaims
	for _, f := range []struct {
		name string
		dst  *string
		kind ErrorKind
	}{
		{"nonce", &c.Nonce, KindNonce},
		{"acr", &c.ACR, KindConfig},
		{"pid", &c.PID, KindIdentity},
		{"sid", &c.SID, KindConfig},
	} {
		v, ok := raw[f.name]
		if !ok || string(v) == "null" {
			continue
		}
		if err := json.Unmarshal(v, f.dst); err != nil {
			return idClaims{}, newError(f.kind, fmt.Errorf("id_token claim %s is a JSON %s, not a string", f.name, jsonType(v)))
		}
	}
	return c, nil
}

// jsonType names the JSON type of v (never its value, which may be a pid).
func jsonType(v json.RawMessage) string {
	switch v[0] {
	case '[':
		return "array"
	case '{':
		return "object"
	case 't', 'f':
		return "boolean"
	case '"':
		return "string"
	}
	return "number"
}

// maxExpiresIn bounds the provider's expires_in, in seconds. ID-porten's access tokens live two
// minutes; one provider sends nanoseconds (x/oauth2 caps those at 2^31-1 s, 68 years), which
// would mean never refreshing. Anything over a day is taken as such a mistake.
const maxExpiresIn = 24 * 60 * 60

// expiry is when the access token expires by the provider's expires_in, counted on our clock:
// defaultAccessTTL when it is missing or beyond a day (warned about once per process), so that
// the refresh still comes ahead of the real expiry.
func (rp *RP) expiry(ctx context.Context, now time.Time, tok *oauth2.Token) time.Time {
	switch {
	case tok.ExpiresIn > maxExpiresIn:
		rp.absurdExpiry.Do(func() {
			rp.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "the provider's expires_in is over a day; taken as a mistake (seconds expected), the access token is refreshed as if it lived the default",
				slog.Int64("expires_in", tok.ExpiresIn), slog.Duration("default", defaultAccessTTL))
		})
	case tok.ExpiresIn > 0:
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

// tokenError classifies a failed token request by what the provider said: unreachable or 5xx
// is KindProvider, a refused client or request KindConfig, any other refusal (invalid_grant: a
// used or expired code, a wrong PKCE verifier) KindCode.
func tokenError(err error) *Error {
	pe := asProviderError(err)
	switch {
	case !pe.rejected():
		return newError(KindProvider, pe)
	case pe.configError():
		return newError(KindConfig, pe)
	}
	return newError(KindCode, pe)
}

// authorizationError is the error of an authorization response (error=… on the callback): the
// user cancelled (access_denied) or the provider could not log in now (KindProvider, 400), or
// it refused the request as such (KindConfig).
func authorizationError(code, description string) *Error {
	pe := &ProviderError{Endpoint: "authorization", Code: cleanProviderText(code), Description: cleanProviderText(description)}
	if pe.configError() {
		return newError(KindConfig, pe)
	}
	e := newError(KindProvider, pe)
	e.Status = http.StatusBadRequest
	return e
}

// asProviderError keeps the status, error and error_description of a failed token request and
// drops the rest of the body, which a misbehaving provider could fill with anything.
func asProviderError(err error) *ProviderError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		pe := &ProviderError{Endpoint: "token", Code: cleanProviderText(re.ErrorCode), Description: cleanProviderText(re.ErrorDescription)}
		if re.Response != nil {
			pe.Status = re.Response.StatusCode
		}
		return pe
	}
	return &ProviderError{Endpoint: "token", cause: err}
}
