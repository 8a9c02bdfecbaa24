package outbound

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestErrorsCarryNoPathOrQuery: a service owner's URL may carry a national identity number in
// its path or query, and errors end up in logs. Every refusal and failure names at most the
// origin, and no *url.Error (which holds the whole URL) is left in the chain.
func TestErrorsCarryNoPathOrQuery(t *testing.T) {
	t.Parallel()
	const id = "01017012345"
	const pq = "/p/" + id + "/x?fnr=" + id
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	wait := func(r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	other := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(other.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(plain.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("/ok/", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("/cross/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+pq, http.StatusFound)
	})
	mux.HandleFunc("/downgrade/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+pq, http.StatusFound)
	})
	mux.HandleFunc("/loop/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.String(), http.StatusFound)
	})
	mux.HandleFunc("/badlocation/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/p/"+id+"/%zz?fnr="+id)
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/to-refused/", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/refused"+pq, http.StatusFound)
	})
	mux.HandleFunc("/big/", func(w http.ResponseWriter, r *http.Request) { w.Write(bytes.Repeat([]byte("a"), 2000)) })
	mux.HandleFunc("/no-headers/", func(w http.ResponseWriter, r *http.Request) { wait(r) })
	mux.HandleFunc("/slow-body/", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("start"))
		w.(http.Flusher).Flush()
		wait(r)
	})
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusting client's handshake failure
	srv.StartTLS()
	t.Cleanup(srv.Close)
	roots := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	dev := New(Config{RootCAs: roots, AllowPrivateNetworks: true, AllowHTTPLoopback: true,
		ContentLimit: 1000, DownloadLimit: 1000, HeaderTimeout: 50 * time.Millisecond,
		TotalTimeout: 300 * time.Millisecond, DownloadTimeout: 300 * time.Millisecond})
	prod := New(Config{RootCAs: roots})
	listed := New(Config{RootCAs: roots, AllowedHosts: []string{"tjeneste.example"}})
	untrusting := New(Config{AllowPrivateNetworks: true})
	closed := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	closed.Close()
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	ownOnly := func(u *url.URL) error {
		if !strings.HasPrefix(u.Path, "/to-refused/") {
			return errNotOwn
		}
		return nil
	}
	// A guard breaking its contract by quoting the URL: the whole URL, path and query are cut.
	quoting := func(u *url.URL) error { return fmt.Errorf("refused %s (path %q, query %s)", u, u.Path, u.RawQuery) }
	call := func(c *Client, r Request) error {
		_, err := c.Call(context.Background(), r)
		return err
	}
	download := func(c *Client, r Request) error {
		d, err := c.Download(context.Background(), r)
		if err != nil {
			return err
		}
		defer d.Body.Close()
		_, err = io.ReadAll(d.Body)
		return err
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"not https", call(dev, Request{URL: "http://example.org" + pq}), ErrURLRefused},
		{"host not allowed", call(listed, Request{URL: srv.URL + pq}), ErrURLRefused},
		{"user info", call(dev, Request{URL: "https://u:" + id + "@example.org" + pq}), ErrURLRefused},
		{"unparseable", call(dev, Request{URL: "https://example.org/p/" + id + "/%zz?fnr=" + id}), ErrURLRefused},
		{"method", call(dev, Request{Method: "TRACE", URL: srv.URL + pq}), ErrURLRefused},
		{"literal address", call(prod, Request{URL: srv.URL + pq}), ErrAddressRefused},
		{"address at dial", call(prod, Request{URL: localhost + pq}), ErrAddressRefused},
		{"redirect to another host", call(dev, Request{URL: srv.URL + "/cross" + pq}), ErrRedirectRefused},
		{"redirect to http", call(dev, Request{URL: srv.URL + "/downgrade" + pq}), ErrRedirectRefused},
		{"too many redirects", call(dev, Request{URL: srv.URL + "/loop" + pq}), ErrRedirectRefused},
		{"Location does not parse", call(dev, Request{URL: srv.URL + "/badlocation" + pq}), ErrRedirectRefused},
		{"guard, first URL", call(dev, Request{URL: srv.URL + pq, Guard: ownOnly}), ErrURLRefused},
		{"guard, redirect", call(dev, Request{URL: srv.URL + "/to-refused" + pq, Guard: ownOnly}), ErrRedirectRefused},
		{"guard quoting the URL", call(dev, Request{URL: srv.URL + pq, Guard: quoting}), ErrURLRefused},
		{"too large", call(dev, Request{URL: srv.URL + "/big" + pq}), ErrTooLarge},
		{"too large download", download(dev, Request{URL: srv.URL + "/big" + pq}), ErrTooLarge},
		{"header timeout", call(dev, Request{URL: srv.URL + "/no-headers" + pq}), ErrTimeout},
		{"total timeout", call(dev, Request{URL: srv.URL + "/slow-body" + pq}), ErrTimeout},
		{"download timeout", download(dev, Request{URL: srv.URL + "/slow-body" + pq}), ErrTimeout},
		{"connection refused", call(dev, Request{URL: closed.URL + pq}), ErrUnavailable},
		{"unknown certificate authority", call(untrusting, Request{URL: srv.URL + pq}), ErrUnavailable},
		{"status", call(dev, Request{URL: srv.URL + "/nothing" + pq}), nil},
	}
	for _, tt := range tests {
		if tt.err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if tt.want != nil && !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
		if msg := tt.err.Error(); strings.Contains(msg, id) {
			t.Errorf("%s: error %q carries the URL's path or query", tt.name, msg)
		}
		if ue := (*url.Error)(nil); errors.As(tt.err, &ue) {
			t.Errorf("%s: a *url.Error with the whole URL is in the chain: %v", tt.name, ue.URL)
		}
	}
}
