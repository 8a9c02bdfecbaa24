package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/andybalholm/brotli"
)

func page(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `<li class="dialog-row" data-testid="dialog-row" data-dialog-id="%08d">Melding %d</li>`, i, i)
	}
	return []byte(b.String())
}

func decode(t testing.TB, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader
	switch enc {
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("gzip: %v", err)
		}
		r = zr
	default:
		return body
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return out
}

// TestCompress: the browser's preferred encoding is used for bodies worth it, the bytes come
// back exactly, small bodies and refused encodings go out as they are, and Vary is always set.
func TestCompress(t *testing.T) {
	t.Parallel()
	big := page(200)
	tests := []struct {
		accept string
		body   []byte
		want   string
	}{
		{"gzip, deflate, br, zstd", big, "br"},
		{"gzip", big, "gzip"},
		{"br;q=0, gzip", big, "gzip"},
		{"identity", big, ""},
		{"", big, ""},
		{"br", []byte("<p>kort</p>"), ""},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(http.MethodGet, "/inbox", nil)
		r.Header.Set("Accept-Encoding", tt.accept)
		h := http.Header{}
		out := Compress(h, r, tt.body)
		if got := h.Get("Content-Encoding"); got != tt.want {
			t.Errorf("Accept-Encoding %q, %d bytes: Content-Encoding %q, want %q", tt.accept, len(tt.body), got, tt.want)
		}
		if h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tt.accept, h.Get("Vary"))
		}
		if tt.want != "" && len(out) >= len(tt.body)/3 {
			t.Errorf("%s: %d bytes from %d, want a third or less", tt.want, len(out), len(tt.body))
		}
		if !bytes.Equal(decode(t, tt.want, out), tt.body) {
			t.Errorf("Accept-Encoding %q: the body does not decode to what was rendered", tt.accept)
		}
	}
}

// TestCompressConcurrentReuse: the pooled encoders, shared by many requests at once, never mix
// one response's bytes into another's.
func TestCompressConcurrentReuse(t *testing.T) {
	t.Parallel()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for i := range 20 {
				body := page(50 + g*7 + i)
				for _, enc := range []string{"br", "gzip"} {
					r := httptest.NewRequest(http.MethodGet, "/", nil)
					r.Header.Set("Accept-Encoding", enc)
					h := http.Header{}
					if got := decode(t, enc, Compress(h, r, body)); !bytes.Equal(got, body) {
						t.Errorf("goroutine %d, %s: decoded %d bytes, want %d", g, enc, len(got), len(body))
						return
					}
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkCompress: a 50-row inbox page, as the browser asks for it.
func BenchmarkCompress(b *testing.B) {
	body := page(700) // about the size of a 50-row inbox page's HTML
	for _, enc := range []string{"br", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Accept-Encoding", enc)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				Compress(http.Header{}, r, body)
			}
		})
	}
}
func TestAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"BR", "br"},
		{"identity", ""},
		{"", ""},
		{"gzip;q=0", ""},
	} {
		if got := accepts(tc.header); got != tc.want {
			t.Errorf("accepts(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
