package serviceowner

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// skew is the clock skew tolerated on exp/nbf (Dialogporten allows 2 s).
const skew = 2 * time.Second

// dialogTokenMaxAge is how old a dialog token may be at a content provider (10 min, §E).
const dialogTokenMaxAge = 10 * time.Minute

// authError is a refused credential: status 401 (missing, malformed, bad signature, expired)
// or 403 (valid but not for this). reason is safe to show; err is the internal cause.
type authError struct {
	status int
	reason string
	err    error
}

func (e *authError) Error() string {
	if e.err != nil {
		return "serviceowner: " + e.reason + ": " + e.err.Error()
	}
	return "serviceowner: " + e.reason
}

func (e *authError) Unwrap() error { return e.err }

func unauthorized(reason string, err error) *authError {
	return &authError{status: http.StatusUnauthorized, reason: reason, err: err}
}

func forbidden(reason string) *authError {
	return &authError{status: http.StatusForbidden, reason: reason}
}

// bearer returns the bearer token of r, or "".
func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// verifyJWS checks raw's signature with a key of keys (chosen by kid) and decodes its claims
// into dest. Only the algorithms in algs are accepted.
func verifyJWS(ctx context.Context, raw string, algs []jose.SignatureAlgorithm, keys KeySet, dest ...any) error {
	tok, err := jwt.ParseSigned(raw, algs)
	if err != nil {
		return unauthorized("malformed token", err)
	}
	kid := ""
	if len(tok.Headers) > 0 {
		kid = tok.Headers[0].KeyID
	}
	cands, err := keys(ctx, kid)
	if err != nil {
		return unauthorized("signing keys unavailable", err)
	}
	for _, k := range cands {
		if !k.IsPublic() {
			k = k.Public()
		}
		if err := tok.Claims(k.Key, dest...); err == nil {
			return nil
		}
	}
	return unauthorized("bad signature", errNoKey)
}

// checkTimes validates exp/nbf (with skew) and, when maxAge > 0, that iat is recent.
func checkTimes(c jwt.Claims, now time.Time, maxAge time.Duration) error {
	if c.Expiry == nil {
		return unauthorized("token has no exp", nil)
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Time: now}, skew); err != nil {
		return unauthorized("token expired or not yet valid", err)
	}
	if maxAge > 0 {
		if c.IssuedAt == nil || now.Sub(c.IssuedAt.Time()) > maxAge+skew {
			return unauthorized("token too old", nil)
		}
	}
	return nil
}

// DialogClaims are the claims of a Dialogporten dialog token (ENDUSER-API.md §8).
type DialogClaims struct {
	jwt.Claims
	Actor           string `json:"c"`
	AuthLevel       int    `json:"l"`
	Party           string `json:"p"`
	ServiceResource string `json:"s"`
	DialogID        string `json:"i"`
	Actions         string `json:"a"`
}

// Allows reports whether the token's `a` claim grants action, plain or with an
// authorization attribute ("read" matches "read" and "read,urn:altinn:subresource:x").
func (c *DialogClaims) Allows(action string) bool {
	for _, a := range strings.Split(c.Actions, ";") {
		name, _, _ := strings.Cut(a, ",")
		if strings.EqualFold(strings.TrimSpace(name), action) {
			return true
		}
	}
	return false
}

// AllowsAttr reports whether `a` grants action for the authorization attribute attr ("" means
// the main resource).
func (c *DialogClaims) AllowsAttr(action, attr string) bool {
	if attr == "" {
		return c.Allows(action)
	}
	for _, a := range strings.Split(c.Actions, ";") {
		name, at, _ := strings.Cut(a, ",")
		if strings.EqualFold(name, action) && strings.EqualFold(at, attr) {
			return true
		}
	}
	return false
}

// dialogTokens verifies dialog tokens as a content provider does: EdDSA only, exact issuer,
// lifetime with zero-ish skew, at most 10 minutes old.
type dialogTokens struct {
	issuer string
	keys   KeySet
	now    func() time.Time
}

func (v *dialogTokens) verify(ctx context.Context, raw string) (*DialogClaims, error) {
	if raw == "" {
		return nil, unauthorized("no bearer token", nil)
	}
	var c DialogClaims
	if err := verifyJWS(ctx, raw, []jose.SignatureAlgorithm{jose.EdDSA}, v.keys, &c); err != nil {
		return nil, err
	}
	if c.Issuer != v.issuer {
		return nil, unauthorized("not a dialog token", fmt.Errorf("issuer %q", c.Issuer))
	}
	if err := checkTimes(c.Claims, v.now(), dialogTokenMaxAge); err != nil {
		return nil, err
	}
	if c.DialogID == "" || c.Party == "" {
		return nil, unauthorized("dialog token lacks i or p", nil)
	}
	return &c, nil
}

// idTokenAlgs are the algorithms accepted on ID-porten and platform access tokens.
var idTokenAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256, jose.EdDSA}

// Issuer is an identity provider whose access tokens the token exchange accepts (ID-porten or
// its double). Keys defaults to discovery from {URL}/.well-known/openid-configuration.
type Issuer struct {
	URL  string
	Keys KeySet
}

// accessClaims are the fields of an ID-porten or Altinn access token that the emulator reads;
// all is the full claim set (copied into exchanged tokens).
type accessClaims struct {
	jwt.Claims
	PID   string `json:"pid"`
	ACR   string `json:"acr"`
	Scope string `json:"scope"`
	all   map[string]any
}

// hasScopePrefix reports whether any scope of the token starts with p.
func (c *accessClaims) hasScopePrefix(p string) bool {
	for _, f := range strings.Fields(c.Scope) {
		if strings.HasPrefix(f, p) {
			return true
		}
	}
	return false
}

// accessTokens verifies RS256-style access tokens from a set of trusted issuers.
type accessTokens struct {
	issuers []Issuer
	now     func() time.Time
}

func (v *accessTokens) verify(ctx context.Context, raw string) (*accessClaims, error) {
	if raw == "" {
		return nil, unauthorized("no bearer token", nil)
	}
	tok, err := jwt.ParseSigned(raw, idTokenAlgs)
	if err != nil {
		return nil, unauthorized("malformed token", err)
	}
	var peek jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&peek); err != nil {
		return nil, unauthorized("malformed token", err)
	}
	var iss *Issuer
	for i := range v.issuers {
		if strings.TrimSuffix(v.issuers[i].URL, "/") == strings.TrimSuffix(peek.Issuer, "/") {
			iss = &v.issuers[i]
		}
	}
	if iss == nil {
		return nil, unauthorized("unknown issuer", errors.New(peek.Issuer))
	}
	c := &accessClaims{}
	if err := verifyJWS(ctx, raw, idTokenAlgs, iss.Keys, c, &c.all); err != nil {
		return nil, err
	}
	if err := checkTimes(c.Claims, v.now(), 0); err != nil {
		return nil, err
	}
	return c, nil
}
