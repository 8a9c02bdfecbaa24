package auth

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/cryptosigner"
	"github.com/go-jose/go-jose/v4/jwt"
)

// clientAssertionType is RFC 7523's assertion type for private_key_jwt.
const clientAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// withClientAssertion returns a copy of cfg.HTTPClient that adds a fresh private_key_jwt client
// assertion to every form POST to the token endpoint and the other endpoints in also (the
// revocation endpoint). x/oauth2 has no hook for client assertions on refresh (only on
// Exchange, through options), so the transport adds them to both grants alike.
func withClientAssertion(cfg Config, tokenURL string, also ...string) (*http.Client, error) {
	signer, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.RS256, Key: cryptosigner.Opaque(cfg.PrivateKey)},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader(jose.HeaderKey("kid"), cfg.KeyID),
	)
	if err != nil {
		return nil, fmt.Errorf("auth: private_key_jwt signer: %w", err)
	}
	base := cfg.HTTPClient.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c := *cfg.HTTPClient
	urls := map[string]bool{tokenURL: true}
	for _, u := range also {
		if u != "" {
			urls[u] = true
		}
	}
	c.Transport = &assertionTransport{
		base:     base,
		urls:     urls,
		signer:   signer,
		clientID: cfg.ClientID,
		audience: cfg.Issuer,
		now:      cfg.Now,
	}
	return &c, nil
}

// assertionTransport signs a client assertion into form POSTs to urls.
type assertionTransport struct {
	base     http.RoundTripper
	urls     map[string]bool
	signer   jose.Signer
	clientID string
	audience string
	now      func() time.Time
}

func (t *assertionTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	mt, _, _ := mime.ParseMediaType(req.Header.Get("Content-Type"))
	if req.Method != http.MethodPost || !t.urls[req.URL.String()] || mt != "application/x-www-form-urlencoded" || req.Body == nil {
		return t.base.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("auth: read token request: %w", err)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("auth: parse token request: %w", err)
	}
	assertion, err := t.assertion()
	if err != nil {
		return nil, err
	}
	form.Set("client_id", t.clientID)
	form.Set("client_assertion_type", clientAssertionType)
	form.Set("client_assertion", assertion)
	encoded := form.Encode()
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader([]byte(encoded)))
	r.ContentLength = int64(len(encoded))
	r.Header.Set("Content-Length", strconv.Itoa(len(encoded)))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader([]byte(encoded))), nil }
	return t.base.RoundTrip(r)
}

// assertion signs a short-lived, single-use client assertion: iss = sub = client_id,
// aud = the issuer, a random jti, exp one minute ahead, and the registered kid in the header.
func (t *assertionTransport) assertion() (string, error) {
	now := t.now()
	claims := jwt.Claims{
		Issuer:    t.clientID,
		Subject:   t.clientID,
		Audience:  jwt.Audience{t.audience},
		ID:        rand.Text(),
		IssuedAt:  jwt.NewNumericDate(now),
		NotBefore: jwt.NewNumericDate(now.Add(-5 * time.Second)),
		Expiry:    jwt.NewNumericDate(now.Add(60 * time.Second)),
	}
	s, err := jwt.Signed(t.signer).Claims(claims).Serialize()
	if err != nil {
		return "", fmt.Errorf("auth: sign client assertion: %w", err)
	}
	return s, nil
}
