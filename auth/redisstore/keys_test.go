package redisstore_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/innboks/innboks/auth/redisstore"
)

func TestParseKeys(t *testing.T) {
	t.Parallel()
	raw := bytes.Repeat([]byte{0xfb, 0xff, 0x3e}, 11)[:32] // bytes whose base64 differs between alphabets
	raw2 := []byte(strings.Repeat("k", 32))
	var want, want2 redisstore.Key
	copy(want[:], raw)
	copy(want2[:], raw2)
	std, url := base64.StdEncoding.EncodeToString(raw), base64.URLEncoding.EncodeToString(raw)
	rawStd, rawURL := base64.RawStdEncoding.EncodeToString(raw), base64.RawURLEncoding.EncodeToString(raw)
	if std == url || std == rawStd {
		t.Fatalf("test keys do not tell the spellings apart: %s %s %s", std, url, rawStd)
	}
	for _, tc := range []struct {
		name, in string
		want     []redisstore.Key
	}{
		{"standard padded", std, []redisstore.Key{want}},
		{"standard unpadded", rawStd, []redisstore.Key{want}},
		{"URL padded", url, []redisstore.Key{want}},
		{"URL unpadded", rawURL, []redisstore.Key{want}},
		{"two, spaced", " " + std + " , " + base64.StdEncoding.EncodeToString(raw2) + " ", []redisstore.Key{want, want2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := redisstore.ParseKeys(tc.in)
			if err != nil {
				t.Fatalf("ParseKeys: %v", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d keys, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("key %d differs from the encoded one", i+1)
				}
			}
		})
	}
}

func TestParseKeysErrors(t *testing.T) {
	t.Parallel()
	good := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("g", 32)))
	short := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 16)))
	long := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("l", 33)))
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", "no key"},
		{"blank", "  ", "no key"},
		{"16 bytes", short, "key 1: decodes to 16 bytes, want 32"},
		{"33 bytes", long, "key 1: decodes to 33 bytes, want 32"},
		{"not base64", "this is not a key!", "key 1: not base64"},
		{"hex", strings.Repeat("ab", 32), "key 1: decodes to 48 bytes"},
		{"second bad", good + "," + short, "key 2: decodes to 16 bytes"},
		{"trailing comma", good + ",", "key 2: empty"},
		{"repeated", good + "," + good, "key 2 repeats key 1"},
		{"all zero", base64.StdEncoding.EncodeToString(make([]byte, 32)), "key 1: all zero bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := redisstore.ParseKeys(tc.in)
			if err == nil {
				t.Fatalf("ParseKeys(%s) = %d keys, want an error", tc.name, len(got))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q lacks %q", err, tc.want)
			}
			for _, secret := range []string{good, short, long} {
				if strings.Contains(tc.in, secret) && strings.Contains(err.Error(), secret) {
					t.Errorf("error %q quotes a key", err)
				}
			}
			if tc.in != "" && !strings.Contains(err.Error(), "repeats") && !strings.Contains(err.Error(), "empty") && !strings.Contains(err.Error(), "openssl rand -base64 32") {
				t.Errorf("error %q does not say how to make a key", err)
			}
		})
	}
}

// TestKeyNeverPrinted: fmt (every verb, also inside a struct or slice), slog and encoding/json
// print a key as [redacted].
func TestKeyNeverPrinted(t *testing.T) {
	t.Parallel()
	var k redisstore.Key
	for i := range k {
		k[i] = byte(0xa0 + i%16)
	}
	type config struct {
		Keys []redisstore.Key
		One  redisstore.Key
	}
	c := config{Keys: []redisstore.Key{k}, One: k}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("cfg", "key", k, "config", c)
	j, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c),
		"%s": fmt.Sprintf("%s", k), "%x": fmt.Sprintf("%x", k), "%d": fmt.Sprintf("%d", c),
		"slog": logged.String(), "json": string(j),
	}
	leaks := []string{fmt.Sprintf("%x", k[:]), base64.StdEncoding.EncodeToString(k[:]), "160", string(k[:])}
	for how, out := range outs {
		if !strings.Contains(out, "[redacted]") {
			t.Errorf("%s = %q, want [redacted]", how, out)
		}
		for _, leak := range leaks {
			if strings.Contains(out, leak) {
				t.Errorf("%s = %q leaks the key (%q)", how, out, leak)
			}
		}
	}
}
