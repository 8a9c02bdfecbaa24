package dpemu

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DialogTokenLifetime is how long a dialog token is valid (§8).
const DialogTokenLifetime = 600 * time.Second

// DialogTokenClaims are the claims of a dialog token (§8).
type DialogTokenClaims struct {
	JTI       string `json:"jti"`
	Caller    string `json:"c"`
	Level     int    `json:"l"`
	Party     string `json:"p"`
	Resource  string `json:"s"`
	DialogID  string `json:"i"`
	Actions   string `json:"a"`
	Issuer    string `json:"iss"`
	IssuedAt  int64  `json:"iat"`
	NotBefore int64  `json:"nbf"`
	Expires   int64  `json:"exp"`
}

// Allows reports whether the token's `a` claim holds action, on the main resource when
// attribute is "" or on that authorizationAttribute otherwise.
func (c *DialogTokenClaims) Allows(action, attribute string) bool {
	want := action
	if attribute != "" {
		want = action + "," + attribute
	}
	for _, a := range strings.Split(c.Actions, ";") {
		if a == want {
			return true
		}
	}
	return false
}

type dialogKey struct {
	kid  string
	priv ed25519.PrivateKey
	pub  ed25519.PublicKey
}

// DialogTokenKeys holds the Ed25519 keys of dialog tokens: the primary signs, both are published.
type DialogTokenKeys struct {
	issuer   string
	lifetime time.Duration
	keys     [2]dialogKey
}

func newDialogTokenKeys(issuer string, lifetime time.Duration) (*DialogTokenKeys, error) {
	if lifetime < time.Second {
		lifetime = DialogTokenLifetime
	}
	k := &DialogTokenKeys{issuer: issuer, lifetime: lifetime}
	for i := range k.keys {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("dpemu: dialog token key: %w", err)
		}
		k.keys[i] = dialogKey{kid: fmt.Sprintf("dp-emu-%d-%s", i+1, uuid.NewString()[:8]), priv: priv, pub: pub}
	}
	return k, nil
}

// Issuer returns the dialog-token issuer, {dialogporten base}/api/v1.
func (k *DialogTokenKeys) Issuer() string { return k.issuer }

// PublicKeys returns the published keys by kid.
func (k *DialogTokenKeys) PublicKeys() map[string]ed25519.PublicKey {
	out := map[string]ed25519.PublicKey{}
	for _, dk := range k.keys {
		out[dk.kid] = dk.pub
	}
	return out
}

var b64 = base64.RawURLEncoding

// Sign issues a token for claims; jti, iss, iat, nbf and exp are set here.
func (k *DialogTokenKeys) Sign(c DialogTokenClaims, now time.Time) (string, error) {
	c.JTI = uuid.NewString()
	c.Issuer = k.issuer
	c.IssuedAt = now.Unix()
	c.NotBefore = c.IssuedAt
	c.Expires = c.IssuedAt + int64(k.lifetime/time.Second)
	primary := k.keys[0]
	header, err := json.Marshal(map[string]string{"alg": "EdDSA", "typ": "JWT", "kid": primary.kid})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	signing := b64.EncodeToString(header) + "." + b64.EncodeToString(payload)
	return signing + "." + b64.EncodeToString(ed25519.Sign(primary.priv, []byte(signing))), nil
}

// Verify checks a dialog token against these keys; see VerifyDialogToken.
func (k *DialogTokenKeys) Verify(token string, now time.Time) (*DialogTokenClaims, error) {
	return VerifyDialogToken(token, k.PublicKeys(), k.issuer, now)
}

// ErrInvalidDialogToken is returned for a dialog token that fails verification.
var ErrInvalidDialogToken = errors.New("dpemu: invalid dialog token")

// VerifyDialogToken verifies an EdDSA dialog token the way a resource server does (§8): the
// key is picked by kid, the signature checked over header.payload, iss compared (when issuer
// is not empty) and nbf/exp checked with 2 s of skew. Callers then check DialogID and Allows.
func VerifyDialogToken(token string, keys map[string]ed25519.PublicKey, issuer string, now time.Time) (*DialogTokenClaims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%w: not a compact JWS", ErrInvalidDialogToken)
	}
	hb, err1 := b64.DecodeString(parts[0])
	pb, err2 := b64.DecodeString(parts[1])
	sig, err3 := b64.DecodeString(parts[2])
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidDialogToken, err)
	}
	var h struct{ Alg, Kid string }
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrInvalidDialogToken, err)
	}
	pub, ok := keys[h.Kid]
	if h.Alg != "EdDSA" || !ok {
		return nil, fmt.Errorf("%w: unknown key or algorithm", ErrInvalidDialogToken)
	}
	if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig) {
		return nil, fmt.Errorf("%w: bad signature", ErrInvalidDialogToken)
	}
	var c DialogTokenClaims
	if err := json.Unmarshal(pb, &c); err != nil {
		return nil, fmt.Errorf("%w: claims: %w", ErrInvalidDialogToken, err)
	}
	if issuer != "" && c.Issuer != issuer {
		return nil, fmt.Errorf("%w: issuer %q", ErrInvalidDialogToken, c.Issuer)
	}
	skew := int64(clockSkew / time.Second)
	if n := now.Unix(); n+skew < c.NotBefore || n-skew >= c.Expires {
		return nil, fmt.Errorf("%w: expired or not yet valid", ErrInvalidDialogToken)
	}
	return &c, nil
}

type wJWK struct {
	Kty string `json:"kty"`
	Use string `json:"use"`
	Kid string `json:"kid"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Alg string `json:"alg"`
}

func (k *DialogTokenKeys) jwks() map[string][]wJWK {
	out := make([]wJWK, 0, len(k.keys))
	for _, dk := range k.keys {
		out = append(out, wJWK{Kty: "OKP", Use: "sig", Kid: dk.kid, Crv: "Ed25519", X: b64.EncodeToString(dk.pub), Alg: "EdDSA"})
	}
	return map[string][]wJWK{"keys": out}
}
