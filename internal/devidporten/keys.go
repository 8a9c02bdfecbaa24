package devidporten

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha256" // for the kid thumbprint
	"encoding/base64"
	"encoding/json"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// signingKeys is the double's one RS256 key pair; it satisfies op.SigningKey and op.Key.
type signingKeys struct {
	priv   *rsa.PrivateKey
	kid    string
	signer jose.Signer
}

func newSigningKeys(priv *rsa.PrivateKey, kid string) (*signingKeys, error) {
	if priv == nil {
		var err error
		if priv, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			return nil, fmt.Errorf("devidporten: generate signing key: %w", err)
		}
	}
	if kid == "" {
		pub := jose.JSONWebKey{Key: &priv.PublicKey}
		thumb, err := pub.Thumbprint(crypto.SHA256)
		if err != nil {
			return nil, fmt.Errorf("devidporten: key thumbprint: %w", err)
		}
		kid = base64.RawURLEncoding.EncodeToString(thumb)
	}
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: priv, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"),
	)
	if err != nil {
		return nil, fmt.Errorf("devidporten: signer: %w", err)
	}
	return &signingKeys{priv: priv, kid: kid, signer: signer}, nil
}

// sign serialises claims as a compact RS256 JWS with the key's kid.
func (k *signingKeys) sign(claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("marshal claims: %w", err)
	}
	jws, err := k.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("sign: %w", err)
	}
	return jws.CompactSerialize()
}

// publicJWK is the JWKS entry for the key.
func (k *signingKeys) publicJWK() jose.JSONWebKey {
	return jose.JSONWebKey{Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: string(jose.RS256), Use: "sig"}
}

// SignatureAlgorithm implements op.SigningKey.
func (k *signingKeys) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }

// Algorithm implements op.Key.
func (k *signingKeys) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }

// Use implements op.Key.
func (k *signingKeys) Use() string { return "sig" }

// ID implements op.SigningKey and op.Key.
func (k *signingKeys) ID() string { return k.kid }

// Key implements op.SigningKey (the private key); see pubKey for op.Key.
func (k *signingKeys) Key() any { return k.priv }

// pubKey adapts signingKeys to op.Key, whose Key must be the public key.
type pubKey struct{ *signingKeys }

// Key implements op.Key.
func (k pubKey) Key() any { return &k.priv.PublicKey }
