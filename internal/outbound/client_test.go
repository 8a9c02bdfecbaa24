package outbound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// tlsServer starts a loopback TLS server and returns it with a Client that trusts it (and may
// reach loopback), configured further by cfg.
func tlsServer(t *testing.T, h http.Handler, cfg Config) (*httptest.Server, *Client) {
	t.Helper()
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	cfg.RootCAs = srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	cfg.AllowPrivateNetworks = true
	return srv, New(cfg)
}

// counter is a handler that counts its calls and then runs h.
type counter struct {
	n atomic.Int32
	h http.HandlerFunc
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.n.Add(1); c.h(w, r) }

func TestFetchSendsTokenLanguageAndNoCookies(t *testing.T) {
	t.Parallel()
	var got http.Header
	mux := http.NewServeMux()
	mux.HandleFunc("GET /start", func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "tracker", Value: "1"})
		http.Redirect(w, r, "/content", http.StatusFound)
	})
	mux.HandleFunc("GET /content", func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		fmt.Fprint(w, "# Hello")
	})
	srv, c := tlsServer(t, mux, Config{})
	resp, err := c.Fetch(context.Background(), srv.URL+"/start", "tok-123", "nn")
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if string(resp.Body) != "# Hello" || resp.ContentType != "text/markdown; charset=utf-8" {
		t.Errorf("got %q (%s), want # Hello (text/markdown)", resp.Body, resp.ContentType)
	}
	for k, want := range map[string]string{"Authorization": "Bearer tok-123", "Accept-Language": "nn", "User-Agent": "Innboks", "Cookie": ""} {
		if g := got.Get(k); g != want {
			t.Errorf("%s = %q, want %q", k, g, want)
		}
	}
}

func TestRedirects(t *testing.T) {
	t.Parallel()
	other := &counter{h: func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "other") }}
	otherSrv := httptest.NewTLSServer(other)
	t.Cleanup(otherSrv.Close)
	plain := &counter{h: func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "plain") }}
	plainSrv := httptest.NewServer(plain)
	t.Cleanup(plainSrv.Close)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /cross", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherSrv.URL+"/x", http.StatusFound)
	})
	mux.HandleFunc("GET /downgrade", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plainSrv.URL+"/x", http.StatusFound)
	})
	mux.HandleFunc("GET /hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		if n == 0 {
			fmt.Fprint(w, r.Header.Get("Authorization"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
	})
	srv, c := tlsServer(t, mux, Config{AllowHTTPLoopback: true})

	tests := []struct {
		path    string
		want    string
		wantErr error
	}{
		{"/hop/5", "Bearer t", nil},            // five same-host redirects are followed
		{"/hop/6", "", ErrRedirectRefused},     // the sixth is not
		{"/cross", "", ErrRedirectRefused},     // another host (port) is never followed
		{"/downgrade", "", ErrRedirectRefused}, // nor https → http
	}
	for _, tt := range tests {
		resp, err := c.Fetch(context.Background(), srv.URL+tt.path, "t", "")
		if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
			t.Errorf("%s: err = %v, want %v", tt.path, err, tt.wantErr)
			continue
		}
		if err == nil && string(resp.Body) != tt.want {
			t.Errorf("%s: body %q, want %q", tt.path, resp.Body, tt.want)
		}
	}
	if n := other.n.Load(); n != 0 {
		t.Errorf("the other host was called %d times, want 0", n)
	}
	if n := plain.n.Load(); n != 0 {
		t.Errorf("the plain-http host was called %d times, want 0", n)
	}
}

func TestAllowList(t *testing.T) {
	t.Parallel()
	h := &counter{h: func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }}
	srv, refused := tlsServer(t, h, Config{AllowedHosts: []string{"*.example.no", "tjeneste.example"}})
	if _, err := refused.Fetch(context.Background(), srv.URL, "", ""); !errors.Is(err, ErrURLRefused) {
		t.Errorf("host off the allow-list: err = %v, want ErrURLRefused", err)
	}
	if n := h.n.Load(); n != 0 {
		t.Errorf("server called %d times, want 0", n)
	}
	_, allowed := tlsServer(t, h, Config{AllowedHosts: []string{"127.0.0.1"}})
	if _, err := allowed.Fetch(context.Background(), srv.URL, "", ""); err != nil {
		t.Errorf("host on the allow-list: %v", err)
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	c := New(Config{AllowedHosts: []string{"*.example.no", "app.tjeneste.example"}})
	dev := New(Config{AllowHTTPLoopback: true, AllowPrivateNetworks: true}) // as the dev stack
	tests := []struct {
		c    *Client
		url  string
		want bool
	}{
		{c, "https://a.example.no/x", true},
		{c, "https://A.B.EXAMPLE.NO./x", true},
		{c, "https://example.no/x", false},
		{c, "https://evil-example.no/x", false},
		{c, "https://a.example.no.evil.example/x", false},
		{c, "https://app.tjeneste.example:8443/x", true},
		{c, "http://a.example.no/x", false},
		{dev, "https://anything.example/", true},
		{dev, "http://127.0.0.1:8080/serviceowner/x", true},
		{dev, "http://localhost:8080/x", true},
		{dev, "http://[::1]:8080/x", true},
		{dev, "http://10.0.0.1/x", false},
		{dev, "http://example.no/x", false},
		{dev, "urn:dialogporten:unauthorized", false},
		{dev, "urn:dialogporten:expired", false},
		{dev, "javascript:alert(1)", false},
		{dev, "ftp://example.no/x", false},
		{dev, "file:///etc/passwd", false},
		{dev, "/relative", false},
		{dev, "//example.no/x", false},
		{dev, "https://user:pw@example.no/x", false},
		{dev, "https:opaque", false},
		{dev, "", false},
	}
	for _, tt := range tests {
		_, err := tt.c.Check(tt.url)
		if got := err == nil; got != tt.want {
			t.Errorf("Check(%q) err = %v, want allowed=%v", tt.url, err, tt.want)
		}
		if err != nil && !errors.Is(err, ErrURLRefused) {
			t.Errorf("Check(%q) err = %v, want ErrURLRefused", tt.url, err)
		}
	}
}

func TestPrivateAddressesRefusedByDefault(t *testing.T) {
	t.Parallel()
	h := &counter{h: func(w http.ResponseWriter, r *http.Request) {}}
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	c := New(Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs})
	_, err := c.Fetch(context.Background(), srv.URL, "", "")
	if !errors.Is(err, ErrAddressRefused) {
		t.Errorf("err = %v, want ErrAddressRefused", err)
	}
	if n := h.n.Load(); n != 0 {
		t.Errorf("server called %d times, want 0", n)
	}
}

func TestPlainHTTPOnlyForDevLoopback(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "dev") }))
	t.Cleanup(srv.Close)
	if _, err := New(Config{AllowPrivateNetworks: true}).Fetch(context.Background(), srv.URL, "", ""); !errors.Is(err, ErrURLRefused) {
		t.Errorf("prod: err = %v, want ErrURLRefused", err)
	}
	resp, err := New(Config{AllowPrivateNetworks: true, AllowHTTPLoopback: true}).Fetch(context.Background(), srv.URL, "", "")
	if err != nil || string(resp.Body) != "dev" {
		t.Errorf("dev: %v, %v; want dev", resp, err)
	}
}

func TestContentLimit(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /len/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		w.Write(bytes.Repeat([]byte("a"), n))
	})
	mux.HandleFunc("GET /chunked/{n}", func(w http.ResponseWriter, r *http.Request) {
		var n int
		fmt.Sscan(r.PathValue("n"), &n)
		for i := 0; i < n; i += 1000 {
			w.Write(bytes.Repeat([]byte("a"), min(1000, n-i)))
			w.(http.Flusher).Flush()
		}
	})
	srv, c := tlsServer(t, mux, Config{})
	tests := []struct {
		path    string
		wantErr error
	}{
		{"/len/100000", nil},
		{"/len/100001", ErrTooLarge},
		{"/chunked/100000", nil},
		{"/chunked/100001", ErrTooLarge},
		{"/chunked/5000000", ErrTooLarge},
	}
	for _, tt := range tests {
		resp, err := c.Fetch(context.Background(), srv.URL+tt.path, "", "")
		if tt.wantErr == nil {
			if err != nil || len(resp.Body) != 100000 {
				t.Errorf("%s: err %v, want 100000 bytes", tt.path, err)
			}
			continue
		}
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: err = %v, want %v", tt.path, err, tt.wantErr)
		}
	}
}

func TestDownloadLimit(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /announced", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "5000")
		w.Write(bytes.Repeat([]byte("a"), 5000))
	})
	mux.HandleFunc("GET /streamed", func(w http.ResponseWriter, r *http.Request) {
		for range 5 {
			w.Write(bytes.Repeat([]byte("a"), 1000))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /fits", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="a.pdf"`)
		w.Write(bytes.Repeat([]byte("a"), 1000))
	})
	srv, c := tlsServer(t, mux, Config{DownloadLimit: 1000})
	if _, err := c.Download(context.Background(), Request{URL: srv.URL + "/announced"}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("announced: err = %v, want ErrTooLarge", err)
	}
	d, err := c.Download(context.Background(), Request{URL: srv.URL + "/streamed"})
	if err != nil {
		t.Fatalf("streamed: %v", err)
	}
	n, err := io.Copy(io.Discard, d.Body)
	d.Body.Close()
	if !errors.Is(err, ErrTooLarge) || n != 1000 {
		t.Errorf("streamed: copied %d, err %v; want 1000, ErrTooLarge", n, err)
	}
	d, err = c.Download(context.Background(), Request{URL: srv.URL + "/fits"})
	if err != nil {
		t.Fatalf("fits: %v", err)
	}
	defer d.Body.Close()
	b, err := io.ReadAll(d.Body)
	if err != nil || len(b) != 1000 || d.ContentType != "application/pdf" || d.ContentDisposition != `attachment; filename="a.pdf"` || d.ContentLength != 1000 {
		t.Errorf("fits: %d bytes, %v, %q, %q, %d", len(b), err, d.ContentType, d.ContentDisposition, d.ContentLength)
	}
}

func TestTimeouts(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	mux := http.NewServeMux()
	mux.HandleFunc("GET /no-headers", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	mux.HandleFunc("GET /slow-body", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("start"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	_, headerC := tlsServer(t, mux, Config{HeaderTimeout: 50 * time.Millisecond})
	srv, totalC := tlsServer(t, mux, Config{TotalTimeout: 100 * time.Millisecond})
	if _, err := headerC.Fetch(context.Background(), srv.URL+"/no-headers", "", ""); !errors.Is(err, ErrTimeout) {
		t.Errorf("header timeout: err = %v, want ErrTimeout", err)
	}
	if _, err := totalC.Fetch(context.Background(), srv.URL+"/slow-body", "", ""); !errors.Is(err, ErrTimeout) {
		t.Errorf("total timeout: err = %v, want ErrTimeout", err)
	}
	_, dlC := tlsServer(t, mux, Config{DownloadTimeout: 100 * time.Millisecond})
	d, err := dlC.Download(context.Background(), Request{URL: srv.URL + "/slow-body"})
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	defer d.Body.Close()
	if _, err := io.ReadAll(d.Body); !errors.Is(err, ErrTimeout) {
		t.Errorf("download timeout: err = %v, want ErrTimeout", err)
	}
}

func TestCallerCancel(t *testing.T) {
	t.Parallel()
	srv, c := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }), Config{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Fetch(ctx, srv.URL, "", ""); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestStatusAndMethods(t *testing.T) {
	t.Parallel()
	var gotMethod, gotBody, gotType string
	mux := http.NewServeMux()
	mux.HandleFunc("/status/{code}", func(w http.ResponseWriter, r *http.Request) {
		var code int
		fmt.Sscan(r.PathValue("code"), &code)
		b, _ := io.ReadAll(r.Body)
		gotMethod, gotBody, gotType = r.Method, string(b), r.Header.Get("Content-Type")
		w.WriteHeader(code)
	})
	srv, c := tlsServer(t, mux, Config{})
	resp, err := c.Call(context.Background(), Request{Method: "post", URL: srv.URL + "/status/204", Body: strings.NewReader("{}"), ContentType: "application/json"})
	if err != nil || resp.StatusCode != 204 || gotMethod != "POST" || gotBody != "{}" || gotType != "application/json" {
		t.Errorf("POST: %v %v %s %q %q", resp, err, gotMethod, gotBody, gotType)
	}
	tests := []struct {
		code        int
		unavailable bool
	}{{400, false}, {403, false}, {404, false}, {429, true}, {500, true}, {503, true}}
	for _, tt := range tests {
		_, err := c.Call(context.Background(), Request{URL: fmt.Sprintf("%s/status/%d", srv.URL, tt.code)})
		var se *StatusError
		if !errors.As(err, &se) || se.StatusCode != tt.code {
			t.Errorf("%d: err = %v, want StatusError", tt.code, err)
		}
		if got := errors.Is(err, ErrUnavailable); got != tt.unavailable {
			t.Errorf("%d: Is(ErrUnavailable) = %v, want %v", tt.code, got, tt.unavailable)
		}
	}
	if _, err := c.Call(context.Background(), Request{Method: "CONNECT", URL: srv.URL}); !errors.Is(err, ErrURLRefused) {
		t.Errorf("CONNECT: err = %v, want ErrURLRefused", err)
	}
}

// TestCallHeaders: Call sends the language, time-zone preference and Accept it is given.
func TestCallHeaders(t *testing.T) {
	t.Parallel()
	var got http.Header
	mux := http.NewServeMux()
	mux.HandleFunc("GET /embed", func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		fmt.Fprint(w, "ok")
	})
	srv, c := tlsServer(t, mux, Config{})
	_, err := c.Call(context.Background(), Request{URL: srv.URL + "/embed", AcceptLanguage: "nn, nb;q=0.9",
		Prefer: `timezone="Europe/Oslo"`, Accept: EmbedAccept})
	if err != nil {
		t.Fatalf("Call: %v", err)
	}
	for k, want := range map[string]string{"Accept-Language": "nn, nb;q=0.9", "Prefer": `timezone="Europe/Oslo"`, "Accept": EmbedAccept} {
		if g := got.Get(k); g != want {
			t.Errorf("%s = %q, want %q", k, g, want)
		}
	}
}
