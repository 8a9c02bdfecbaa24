package redisstore

import (
	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

func testKeyring(t testing.TB, n int) (*keyring, []Key) {
	t.Helper()
	keys := make([]Key, n)
	for i := range keys {
		rand.Read(keys[i][:])
	}
	kr, err := newKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	return kr, keys
}

func TestSealOpen(t *testing.T) {
	t.Parallel()
	kr, keys := testKeyring(t, 1)
	plain := []byte(`{"access_token":"at"}`)
	a, b := kr.seal("p:s:1", plain), kr.seal("p:s:1", plain)
	if a[0] != blobVersion || len(a) != 1+12+len(plain)+16 {
		t.Errorf("sealed = version %d, %d bytes; want version %d, %d bytes", a[0], len(a), blobVersion, 1+12+len(plain)+16)
	}
	if bytes.Equal(a[1:13], b[1:13]) || bytes.Equal(a, b) {
		t.Error("two seals of one value share a nonce")
	}
	if bytes.Contains(a, plain) || bytes.Contains(a, []byte("access_token")) {
		t.Error("sealed value contains the plaintext")
	}
	if got, ok := kr.open("p:s:1", a); !ok || !bytes.Equal(got, plain) {
		t.Errorf("open = %q, %v; want %q", got, ok, plain)
	}
	if _, ok := kr.open("p:s:2", a); ok {
		t.Error("a value opened under another key name")
	}
	// A keyring whose old key is this one opens it; its new key seals what this one cannot open.
	other, _ := testKeyring(t, 1)
	rotated, err := newKeyring([]Key{{1}, keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := rotated.open("p:s:1", a); !ok || !bytes.Equal(got, plain) {
		t.Errorf("rotated open of an old value = %q, %v; want %q", got, ok, plain)
	}
	if _, ok := kr.open("p:s:1", rotated.seal("p:s:1", plain)); ok {
		t.Error("the old key opened a value sealed with the new one")
	}
	if _, ok := other.open("p:s:1", a); ok {
		t.Error("another key opened the value")
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	kr, keys := testKeyring(t, 2)
	a := kr.names(kindSession, "x")
	if len(a) != 2 || a[0] == a[1] || len(a[0]) != 64 || strings.Contains(a[0], "x") {
		t.Fatalf("names = %q, want two different 64-digit hex hashes", a)
	}
	if b := kr.names(kindSession, "x"); b[0] != a[0] || b[1] != a[1] {
		t.Errorf("names are not stable: %q then %q", a, b)
	}
	if sid := kr.names(kindSID, "x"); sid[0] == a[0] {
		t.Error("a session id and an equal sid hash alike")
	}
	// The name key is derived per key: the order of keys decides only which comes first.
	swapped, err := newKeyring([]Key{keys[1], keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	if s := swapped.names(kindSession, "x"); s[0] != a[1] || s[1] != a[0] {
		t.Errorf("swapped keys give %q, want %q reversed", s, a)
	}
}

// BenchmarkSeal is the crypto alone, for a session-sized value.
func BenchmarkSeal(b *testing.B) {
	kr, _ := testKeyring(b, 1)
	plain := bytes.Repeat([]byte("x"), 2600)
	b.Run("seal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			kr.seal("innboks:auth:s:0123", plain)
		}
	})
	blob := kr.seal("innboks:auth:s:0123", plain)
	b.Run("open", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := kr.open("innboks:auth:s:0123", blob); !ok {
				b.Fatal("does not open")
			}
		}
	})
	b.Run("names", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			kr.names(kindSession, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
		}
	})
}
