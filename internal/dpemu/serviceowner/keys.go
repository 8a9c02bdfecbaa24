package serviceowner

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// KeySet returns the public keys that may have signed a token whose header names kid. A key
// without a key id matches any kid.
type KeySet func(ctx context.Context, kid string) ([]jose.JSONWebKey, error)

// StaticKeys returns a KeySet that always answers from keys (tests, in-process wiring).
func StaticKeys(keys ...jose.JSONWebKey) KeySet {
	return func(_ context.Context, kid string) ([]jose.JSONWebKey, error) { return pickKeys(keys, kid), nil }
}

// Ed25519Keys returns a KeySet over Ed25519 public keys by kid, the shape
// dpemu.DialogTokenKeys.PublicKeys returns.
func Ed25519Keys(keys map[string]ed25519.PublicKey) KeySet {
	set := make([]jose.JSONWebKey, 0, len(keys))
	for kid, k := range keys {
		set = append(set, jose.JSONWebKey{Key: k, KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"})
	}
	return StaticKeys(set...)
}

// maxMetadataBody bounds JWKS and discovery documents.
const maxMetadataBody = 1 << 20

// RemoteKeys returns a KeySet that fetches a JWKS from jwksURL and caches it for ttl. A kid that
// is not in the cache triggers one refetch (at most once per second), so rotated keys are found.
func RemoteKeys(client *http.Client, jwksURL string, ttl time.Duration) KeySet {
	c := &remoteKeys{client: client, url: func(context.Context) (string, error) { return jwksURL, nil }, ttl: ttl}
	return c.get
}

// DiscoveredKeys returns a KeySet that reads jwks_uri from
// {issuer}/.well-known/openid-configuration, then behaves like RemoteKeys.
func DiscoveredKeys(client *http.Client, issuer string, ttl time.Duration) KeySet {
	c := &remoteKeys{client: client, ttl: ttl}
	c.url = func(ctx context.Context) (string, error) {
		var meta struct {
			JWKSURI string `json:"jwks_uri"`
		}
		u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
		if err := getJSON(ctx, c.client, u, &meta); err != nil {
			return "", err
		}
		if meta.JWKSURI == "" {
			return "", fmt.Errorf("serviceowner: %s has no jwks_uri", u)
		}
		return meta.JWKSURI, nil
	}
	return c.get
}

type remoteKeys struct {
	client *http.Client
	url    func(context.Context) (string, error)
	ttl    time.Duration

	mu      sync.Mutex
	keys    []jose.JSONWebKey
	fetched time.Time
}

func (c *remoteKeys) get(ctx context.Context, kid string) ([]jose.JSONWebKey, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	age := time.Since(c.fetched)
	if c.keys != nil && age < c.ttl {
		if ks := pickKeys(c.keys, kid); len(ks) > 0 || age < time.Second {
			return ks, nil
		}
		// An unknown kid: the set may have rotated; refetch (at most once a second).
	}
	u, err := c.url(ctx)
	if err != nil {
		return nil, err
	}
	var set jose.JSONWebKeySet
	if err := getJSON(ctx, c.client, u, &set); err != nil {
		if c.keys != nil {
			return pickKeys(c.keys, kid), nil // keep serving the last good set
		}
		return nil, err
	}
	c.keys, c.fetched = set.Keys, time.Now()
	return pickKeys(c.keys, kid), nil
}

func getJSON(ctx context.Context, client *http.Client, u string, v any) error {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("serviceowner: fetch keys: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("serviceowner: fetch %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("serviceowner: fetch %s: status %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMetadataBody)).Decode(v); err != nil {
		return fmt.Errorf("serviceowner: decode %s: %w", u, err)
	}
	return nil
}

// errNoKey means no key of the set matches the token's kid.
var errNoKey = errors.New("serviceowner: no key for token")

// pickKeys returns the candidate keys for kid.
func pickKeys(keys []jose.JSONWebKey, kid string) []jose.JSONWebKey {
	var out []jose.JSONWebKey
	for _, k := range keys {
		if k.KeyID == "" || kid == "" || k.KeyID == kid {
			out = append(out, k)
		}
	}
	return out
}

// cryptoSHA256 is the hash for JWK thumbprints (key ids).
const cryptoSHA256 = crypto.SHA256
