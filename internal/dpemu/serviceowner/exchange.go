package serviceowner

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
)

// Signer signs the emulator's Altinn platform tokens and publishes its public keys.
// *dpemu.PlatformSigner (Emulator.Platform) satisfies it, so the end-user API trusts the
// exchanged tokens.
type Signer interface {
	// Sign returns a compact JWS over claims.
	Sign(claims map[string]any) (string, error)
	// JWKS returns the public keys tokens are verified with.
	JWKS() jose.JSONWebKeySet
}

// PlatformSigner is the default Signer: RS256 with one RSA key, as Altinn Authentication signs.
type PlatformSigner struct {
	key    *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

// NewPlatformSigner returns an RS256 signer over key; a nil key generates a 2048-bit one.
func NewPlatformSigner(key *rsa.PrivateKey) (*PlatformSigner, error) {
	if key == nil {
		var err error
		if key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("serviceowner: platform key: %w", err)
		}
	}
	jwk := jose.JSONWebKey{Key: key, Algorithm: string(jose.RS256), Use: "sig"}
	pub := jwk.Public()
	tp, err := pub.Thumbprint(cryptoSHA256)
	if err != nil {
		return nil, fmt.Errorf("serviceowner: platform key id: %w", err)
	}
	kid := fmt.Sprintf("%X", tp[:10])
	jwk.KeyID = kid
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jwk}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return nil, fmt.Errorf("serviceowner: platform signer: %w", err)
	}
	return &PlatformSigner{key: key, kid: kid, signer: sig}, nil
}

// Sign returns an RS256 JWT over claims.
func (p *PlatformSigner) Sign(claims map[string]any) (string, error) {
	return jwt.Signed(p.signer).Claims(claims).Serialize()
}

// JWKS returns the public key as a JWKS.
func (p *PlatformSigner) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: p.kid, Algorithm: string(jose.RS256), Use: "sig"}}}
}

// authLevel maps an ID-porten acr to Altinn's authentication level (§A.6).
func authLevel(acr string) int {
	switch acr {
	case "idporten-loa-high", "Level4", "eidas-loa-high":
		return 4
	case "idporten-loa-substantial", "Level3", "eidas-loa-substantial":
		return 3
	default:
		return 0
	}
}

// dropOnExchange are the incoming claims that an exchanged token does not copy (§A.6).
var dropOnExchange = []string{"aud", "sub", "at_hash", "sid", "iss", "iat", "nbf", "jti", "client_amr"}

// exchange serves GET /authentication/api/v1/exchange/id-porten: an ID-porten access token in,
// an Altinn platform token (text/plain) out, with the same exp.
func (s *Side) exchange(w http.ResponseWriter, r *http.Request) {
	c, err := s.idporten.verify(r.Context(), bearer(r))
	if err != nil {
		s.writeAuthError(w, r, err, 0)
		return
	}
	if c.PID == "" || c.ACR == "" {
		s.writeAuthError(w, r, unauthorized("token lacks pid or acr", nil), 0)
		return
	}
	if !c.hasScopePrefix("altinn:") {
		s.writeAuthError(w, r, forbidden("token has no altinn: scope"), 0)
		return
	}
	user, ok := s.store.User(c.PID)
	if !ok {
		s.writeAuthError(w, r, unauthorized("no Altinn user for this person", nil), 0)
		return
	}
	// A user normally has a person party; without one the party claims are left out.
	party, hasParty := s.store.Party(user.URN())
	claims := make(map[string]any, len(c.all)+8)
	for k, v := range c.all {
		claims[k] = v
	}
	for _, k := range dropOnExchange {
		delete(claims, k)
	}
	now := s.now().Unix()
	method := "NotDefined"
	if amr, ok := c.all["amr"].([]any); ok && len(amr) > 0 {
		if m, ok := amr[0].(string); ok {
			method = m
		}
	}
	claims["iss"] = s.PlatformIssuer()
	claims["iat"], claims["nbf"] = now, now
	claims["exp"] = c.Expiry.Time().Unix()
	claims["jti"] = uuid.NewString()
	claims["sid"] = uuid.NewString()
	claims["urn:altinn:userid"] = strconv.Itoa(userID(user.PID, party.PartyID))
	if hasParty {
		claims["urn:altinn:partyid"] = strconv.Itoa(party.PartyID)
		claims["urn:altinn:party:uuid"] = party.UUID.String()
	}
	claims["urn:altinn:authlevel"] = strconv.Itoa(authLevel(c.ACR))
	claims["urn:altinn:authenticatemethod"] = method
	tok, err := s.signer.Sign(claims)
	if err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: sign platform token", "err", err)
		writeProblem(w, http.StatusInternalServerError, "Could not issue a token.")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(tok))
}

// userID derives a stable Altinn user id from the person's party id, or from the pid when
// the person has no party (the emulator has no separate user register).
func userID(pid string, partyID int) int {
	if partyID != 0 {
		return 20_000_000 + partyID
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(pid))
	return 30_000_000 + int(h.Sum32()%10_000_000)
}

// openIDConfiguration serves the platform issuer's discovery document.
func (s *Side) openIDConfiguration(w http.ResponseWriter, _ *http.Request) {
	iss := s.PlatformIssuer()
	writeCachedJSON(w, map[string]any{
		"issuer":                                iss,
		"jwks_uri":                              iss + ".well-known/openid-configuration/jwks",
		"response_types_supported":              []string{"token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"token_endpoint_auth_methods_supported": []string{"none"},
	})
}

// platformJWKS serves the platform issuer's public keys.
func (s *Side) platformJWKS(w http.ResponseWriter, _ *http.Request) {
	writeCachedJSON(w, s.signer.JWKS())
}

func writeCachedJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_ = json.NewEncoder(w).Encode(v)
}

// platformClaims are the fields of an exchanged Altinn token that Correspondence reads.
type platformClaims struct {
	jwt.Claims
	PID   string `json:"pid"`
	Scope string `json:"scope"`
}

// verifyPlatform checks an Altinn platform token issued by this emulator.
func (s *Side) verifyPlatform(r *http.Request, raw string) (*platformClaims, error) {
	var c platformClaims
	if err := verifyJWS(r.Context(), raw, idTokenAlgs, StaticKeys(s.signer.JWKS().Keys...), &c); err != nil {
		return nil, err
	}
	if c.Issuer != s.PlatformIssuer() {
		return nil, unauthorized("unknown issuer", nil)
	}
	if err := checkTimes(c.Claims, s.now(), 0); err != nil {
		return nil, err
	}
	return &c, nil
}
