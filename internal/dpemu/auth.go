package dpemu

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// Issuer is a token issuer Dialogporten trusts (ID-porten, the Altinn platform, …). Tokens are
// checked against Keys when given, otherwise against the JWKS discovered from
// {URL}/.well-known/openid-configuration.
type Issuer struct {
	URL        string              // the exact `iss` value
	Keys       *jose.JSONWebKeySet // static keys (tests); nil to discover
	HTTPClient *http.Client        // for discovery; nil means a client with a 10 s timeout
}

// clockSkew is the leeway on exp/nbf, as Dialogporten configures it.
const clockSkew = 2 * time.Second

// principal is the authenticated caller.
type principal struct {
	PID       string
	URN       string
	AuthLevel int
}

// tokenClaims are the claims Dialogporten reads from an end-user token.
type tokenClaims struct {
	jwt.Claims
	Scope     string          `json:"scope"`
	PID       string          `json:"pid"`
	ACR       string          `json:"acr"`
	AuthLevel json.RawMessage `json:"urn:altinn:authlevel"`
}

// errForbiddenType marks a valid token that is not an accepted end-user type or lacks scope.
var errForbiddenType = errors.New("dpemu: token not allowed on end-user endpoints")

// keyResolver finds verification keys for trusted issuers.
type keyResolver struct {
	mu      sync.RWMutex
	issuers map[string]*issuerKeys
}

type issuerKeys struct {
	Issuer
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

func newKeyResolver(issuers []Issuer) *keyResolver {
	kr := &keyResolver{issuers: map[string]*issuerKeys{}}
	for _, is := range issuers {
		kr.issuers[is.URL] = &issuerKeys{Issuer: is, keys: is.Keys}
	}
	return kr
}

// keys returns the issuer's key set, discovering (and re-discovering at most every 10 s when a
// kid is unknown) as needed.
func (kr *keyResolver) keys(ctx context.Context, iss, kid string) ([]jose.JSONWebKey, error) {
	// Every request checks its token here: a known kid is found under the read lock.
	kr.mu.RLock()
	if ik, ok := kr.issuers[iss]; ok && ik.keys != nil {
		if k := ik.keys.Key(kid); len(k) > 0 || ik.Issuer.Keys != nil {
			kr.mu.RUnlock()
			return k, nil
		}
	}
	kr.mu.RUnlock()
	kr.mu.Lock()
	defer kr.mu.Unlock()
	ik, ok := kr.issuers[iss]
	if !ok {
		return nil, fmt.Errorf("dpemu: untrusted issuer %q", iss)
	}
	if ik.Issuer.Keys != nil {
		return ik.keys.Key(kid), nil
	}
	if ik.keys != nil {
		if k := ik.keys.Key(kid); len(k) > 0 || time.Since(ik.fetched) < 10*time.Second {
			return k, nil
		}
	}
	set, err := discoverJWKS(ctx, ik.HTTPClient, iss)
	if err != nil {
		return nil, err
	}
	ik.keys, ik.fetched = set, time.Now()
	return set.Key(kid), nil
}

// discoverJWKS fetches the issuer's OpenID configuration and then its JWKS.
func discoverJWKS(ctx context.Context, c *http.Client, iss string) (*jose.JSONWebKeySet, error) {
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	var meta struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if err := getJSON(ctx, c, strings.TrimSuffix(iss, "/")+"/.well-known/openid-configuration", &meta); err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, c, meta.JWKSURI, &set); err != nil {
		return nil, err
	}
	return &set, nil
}

func getJSON(ctx context.Context, c *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("dpemu: discovery: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("dpemu: discovery: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("dpemu: discovery %s: status %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return fmt.Errorf("dpemu: discovery %s: %w", url, err)
	}
	return nil
}

var acceptedAlgs = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.ES256}

// authenticate verifies a bearer token as Dialogporten does (§3.1). An error wrapping
// errForbiddenType means 403; any other error 401.
func (kr *keyResolver) authenticate(ctx context.Context, raw string, now time.Time) (principal, error) {
	tok, err := jwt.ParseSigned(raw, acceptedAlgs)
	if err != nil {
		return principal{}, fmt.Errorf("dpemu: parse token: %w", err)
	}
	var unverified jwt.Claims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return principal{}, fmt.Errorf("dpemu: token claims: %w", err)
	}
	kid := ""
	if len(tok.Headers) > 0 {
		kid = tok.Headers[0].KeyID
	}
	keys, err := kr.keys(ctx, unverified.Issuer, kid)
	if err != nil {
		return principal{}, err
	}
	var c tokenClaims
	verified := false
	for _, k := range keys {
		if err := tok.Claims(k.Key, &c); err == nil {
			verified = true
			break
		}
	}
	if !verified {
		return principal{}, errors.New("dpemu: token signature not verified")
	}
	if c.Expiry == nil {
		return principal{}, errors.New("dpemu: token without exp")
	}
	if err := c.Claims.ValidateWithLeeway(jwt.Expected{Time: now}, clockSkew); err != nil {
		return principal{}, fmt.Errorf("dpemu: token: %w", err)
	}
	scopes := strings.Fields(c.Scope)
	if !hasAny(scopes, "digdir:dialogporten", "digdir:dialogporten.noconsent") {
		return principal{}, fmt.Errorf("%w: missing scope", errForbiddenType)
	}
	if !ident.ValidPID(c.PID) {
		return principal{}, fmt.Errorf("%w: no valid pid", errForbiddenType)
	}
	if hasAny(scopes, "digdir:dialogporten.serviceprovider") {
		return principal{}, fmt.Errorf("%w: service owner token", errForbiddenType)
	}
	return principal{PID: c.PID, URN: personPrefix + c.PID, AuthLevel: authLevel(c)}, nil
}

func hasAny(list []string, want ...string) bool {
	for _, s := range list {
		for _, w := range want {
			if s == w {
				return true
			}
		}
	}
	return false
}

// authLevel reads urn:altinn:authlevel (exchanged tokens) or maps acr (§3.1).
func authLevel(c tokenClaims) int {
	if len(c.AuthLevel) > 0 {
		s := strings.Trim(string(c.AuthLevel), `"`)
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	}
	switch c.ACR {
	case "idporten-loa-high", "Level4":
		return 4
	case "idporten-loa-substantial", "Level3":
		return 3
	}
	return 0
}

// PlatformSigner issues the emulator's "Altinn platform" tokens (RS256), as the token
// exchange at /authentication/api/v1/exchange/… would. Dialogporten trusts its issuer.
type PlatformSigner struct {
	issuer string
	key    *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

func newPlatformSigner(issuer string) (*PlatformSigner, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("dpemu: platform key: %w", err)
	}
	const kid = "dpemu-platform-1"
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("dpemu: platform signer: %w", err)
	}
	return &PlatformSigner{issuer: issuer, key: key, kid: kid, signer: sig}, nil
}

// Issuer returns the platform issuer, {emulator}/authentication/api/v1/openid/.
func (p *PlatformSigner) Issuer() string { return p.issuer }

// JWKS returns the public key set that verifies platform tokens.
func (p *PlatformSigner) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: p.kid, Algorithm: string(jose.RS256), Use: "sig"}}}
}

// Sign signs claims (iss is set to the platform issuer when missing) as an RS256 JWT.
func (p *PlatformSigner) Sign(claims map[string]any) (string, error) {
	c := make(map[string]any, len(claims)+1)
	for k, v := range claims {
		c[k] = v
	}
	if _, ok := c["iss"]; !ok {
		c["iss"] = p.issuer
	}
	s, err := jwt.Signed(p.signer).Claims(c).Serialize()
	if err != nil {
		return "", fmt.Errorf("dpemu: sign platform token: %w", err)
	}
	return s, nil
}
