package redisstore

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
)

// blobVersion is the first byte of every value this package writes: a later format can be told
// apart, and a value written by the plaintext store before it (JSON, '{') is never opened.
const blobVersion byte = 1

// HKDF labels: one secret, three purposes, three independent derived keys.
const (
	infoAEAD  = "innboks redisstore v1 aes-256-gcm"
	infoName  = "innboks redisstore v1 hmac-sha256 key names"
	infoLogin = "innboks auth v1 login cookie aes-256-gcm"
)

// codec seals values and hides key names; the keyring is the real one, tests add a plain one
// to measure what the crypto costs.
type codec interface {
	// names returns the hashed forms of value (of a kind: "s", "sid", "lock") under every
	// key, the current key first.
	names(kind, value string) []string
	// seal encrypts plain for the Redis key name.
	seal(name string, plain []byte) []byte
	// open decrypts a blob read from name; false when no key opens it.
	open(name string, blob []byte) ([]byte, bool)
	// loginKeys are the keys that seal auth's login cookie, the current key's first.
	loginKeys() [][]byte
}

// keyring holds, for each configured Key, an AES-256-GCM AEAD (random 96-bit nonce per seal),
// an HMAC-SHA256 key for names and an AES-256 key for auth's login cookie, all derived with
// HKDF-SHA256 under distinct labels. The first key seals; all open.
type keyring struct {
	aeads      []cipher.AEAD
	nameKeys   [][]byte
	cookieKeys [][]byte
}

// newKeyring derives the keyring from keys.
func newKeyring(keys []Key) (*keyring, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("no encryption key; %s", HowToMakeKey)
	}
	kr := &keyring{}
	for i, k := range keys {
		if k == (Key{}) {
			return nil, fmt.Errorf("key %d is all zero bytes; %s", i+1, HowToMakeKey)
		}
		aeadKey, err := hkdf.Key(sha256.New, k[:], nil, infoAEAD, 32)
		if err != nil {
			return nil, fmt.Errorf("derive key %d: %w", i+1, err)
		}
		nameKey, err := hkdf.Key(sha256.New, k[:], nil, infoName, 32)
		if err != nil {
			return nil, fmt.Errorf("derive key %d: %w", i+1, err)
		}
		loginKey, err := hkdf.Key(sha256.New, k[:], nil, infoLogin, 32)
		if err != nil {
			return nil, fmt.Errorf("derive key %d: %w", i+1, err)
		}
		block, err := aes.NewCipher(aeadKey)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		aead, err := cipher.NewGCMWithRandomNonce(block)
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		kr.aeads = append(kr.aeads, aead)
		kr.nameKeys = append(kr.nameKeys, nameKey)
		kr.cookieKeys = append(kr.cookieKeys, loginKey)
	}
	return kr, nil
}

// loginKeys implements codec.
func (kr *keyring) loginKeys() [][]byte { return kr.cookieKeys }

// names implements codec: hex HMAC-SHA256 of kind, a zero byte and value, so that a session id
// and a sid that happen to be equal still hash apart.
func (kr *keyring) names(kind, value string) []string {
	out := make([]string, len(kr.nameKeys))
	var sum [sha256.Size]byte
	for i, k := range kr.nameKeys {
		m := hmac.New(sha256.New, k)
		writeNameInput(m, kind, value)
		out[i] = hex.EncodeToString(m.Sum(sum[:0]))
	}
	return out
}

func writeNameInput(h hash.Hash, kind, value string) {
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(value))
}

// additionalData binds a blob to its format version and Redis key: moved to another key, it no
// longer opens.
func additionalData(name string) []byte {
	ad := make([]byte, 0, 1+len(name))
	return append(append(ad, blobVersion), name...)
}

// seal implements codec: version byte, then nonce, ciphertext and tag.
func (kr *keyring) seal(name string, plain []byte) []byte {
	aead := kr.aeads[0]
	out := make([]byte, 1, 1+len(plain)+aead.Overhead())
	out[0] = blobVersion
	return aead.Seal(out, nil, plain, additionalData(name))
}

// open implements codec, trying every key.
func (kr *keyring) open(name string, blob []byte) ([]byte, bool) {
	if len(blob) < 1+kr.aeads[0].Overhead() || blob[0] != blobVersion {
		return nil, false
	}
	ad := additionalData(name)
	for _, aead := range kr.aeads {
		if plain, err := aead.Open(nil, nil, blob[1:], ad); err == nil {
			return plain, true
		}
	}
	return nil, false
}
