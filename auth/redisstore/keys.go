package redisstore

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// KeySize is the length of a Key in bytes: AES-256.
const KeySize = 32

// Key is one 32-byte secret that sessions in Redis are encrypted and their key names hashed
// with. Every fmt verb, slog and encoding/json print it as "[redacted]", so a Config holding
// keys can be printed or logged without leaking them.
type Key [KeySize]byte

// redacted is how a Key prints.
const redacted = "[redacted]"

// String returns "[redacted]".
func (Key) String() string { return redacted }

// GoString returns "[redacted]", for %#v.
func (Key) GoString() string { return redacted }

// Format makes every fmt verb (%v, %s, %x, %d, %#v) print "[redacted]".
func (Key) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue implements slog.LogValuer: "[redacted]".
func (Key) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns "[redacted]", so encoding/json and friends never write the key.
func (Key) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// HowToMakeKey tells an operator how to make a key, for error messages.
const HowToMakeKey = "make one with `openssl rand -base64 32`"

// ParseKeys parses SESSION_ENCRYPTION_KEYS: comma-separated keys, each standard or URL-safe
// base64, padded or not, of exactly 32 bytes. The first encrypts; all decrypt. Errors name the
// position of a bad key, never its value.
func ParseKeys(s string) ([]Key, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("no key; %s", HowToMakeKey)
	}
	var keys []Key
	for i, part := range strings.Split(s, ",") {
		k, err := parseKey(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		for j, prev := range keys {
			if prev == k {
				return nil, fmt.Errorf("key %d repeats key %d", i+1, j+1)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// parseKey decodes one base64 key of either alphabet, with or without padding.
func parseKey(s string) (Key, error) {
	var k Key
	if s == "" {
		return k, errors.New("empty (a stray comma?)")
	}
	// One decoder for the four spellings: URL-safe to standard alphabet, padding off.
	norm := strings.TrimRight(strings.NewReplacer("-", "+", "_", "/").Replace(s), "=")
	b, err := base64.RawStdEncoding.DecodeString(norm)
	if err != nil {
		// The decoder's error quotes no input, only an offset; still, keep it out.
		return k, fmt.Errorf("not base64; %s", HowToMakeKey)
	}
	if len(b) != KeySize {
		return k, fmt.Errorf("decodes to %d bytes, want %d; %s", len(b), KeySize, HowToMakeKey)
	}
	copy(k[:], b)
	if k == (Key{}) {
		return k, fmt.Errorf("all zero bytes; %s", HowToMakeKey)
	}
	return k, nil
}
