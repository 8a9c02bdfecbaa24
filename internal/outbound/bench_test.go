package outbound

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkDownload streams a 64 MiB body through Download from a loopback TLS server.
func BenchmarkDownload(b *testing.B) {
	const size = 64 << 20
	chunk := make([]byte, 256<<10)
	srv, c := tlsBench(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for sent := 0; sent < size; sent += len(chunk) {
			w.Write(chunk)
		}
	}))
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		d, err := c.Download(context.Background(), Request{URL: srv})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, d.Body); err != nil {
			b.Fatal(err)
		}
		d.Body.Close()
	}
}

func tlsBench(b *testing.B, h http.Handler) (string, *Client) {
	b.Helper()
	srv := httptest.NewTLSServer(h)
	b.Cleanup(srv.Close)
	return srv.URL, New(Config{AllowPrivateNetworks: true, RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs})
}
