package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// errNotOwn is what the test's guard says about a path outside /own/.
var errNotOwn = errors.New("not this dialog's path")

// ownGuard allows only paths under /own/ (read with CanonicalPath) and records every URL it
// was asked about.
type ownGuard struct {
	mu   sync.Mutex
	seen []string
}

func (g *ownGuard) check(u *url.URL) error {
	g.mu.Lock()
	g.seen = append(g.seen, u.String())
	g.mu.Unlock()
	p, err := CanonicalPath(u)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(p, "/own/") {
		return errNotOwn
	}
	return nil
}

// TestGuard: the Request's Guard is asked about the first URL and every same-host redirect
// before it is sent; a URL it refuses is never sent, so the token never reaches it.
func TestGuard(t *testing.T) {
	t.Parallel()
	other := &counter{h: func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, r.Header.Get("Authorization")) }}
	mux := http.NewServeMux()
	mux.Handle("/other/", other)
	mux.HandleFunc("GET /own/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/own/next", http.StatusFound)
	})
	mux.HandleFunc("GET /own/next", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/other/x?fnr=01017012345", http.StatusFound)
	})
	mux.HandleFunc("GET /own/sneaky", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/own/%2e%2e/other/x", http.StatusFound)
	})
	mux.HandleFunc("GET /own/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/own/end", http.StatusFound)
	})
	mux.HandleFunc("GET /own/end", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, r.Header.Get("Authorization"))
	})
	srv, c := tlsServer(t, mux, Config{})

	tests := []struct {
		path     string
		wantErr  error // also wraps errNotOwn when not nil
		wantSeen []string
	}{
		{"/own/start", ErrRedirectRefused, []string{"/own/start", "/own/next", "/other/x?fnr=01017012345"}},
		{"/own/sneaky", ErrRedirectRefused, []string{"/own/sneaky", "/own/%2e%2e/other/x"}},
		{"/other/x", ErrURLRefused, []string{"/other/x"}},
		{"/own/../other/x", ErrURLRefused, []string{"/own/../other/x"}},
		{"/own//../../other/x", ErrURLRefused, []string{"/own//../../other/x"}},
		{"/own/a", nil, []string{"/own/a", "/own/end"}},
	}
	for _, tt := range tests {
		for _, download := range []bool{false, true} {
			g := &ownGuard{}
			r := Request{URL: srv.URL + tt.path, Token: "secret", Guard: g.check}
			var body string
			var err error
			if download {
				var d *Download
				if d, err = c.Download(context.Background(), r); err == nil {
					var b []byte
					b, err = io.ReadAll(d.Body)
					d.Body.Close()
					body = string(b)
				}
			} else {
				var resp *Response
				if resp, err = c.Call(context.Background(), r); err == nil {
					body = string(resp.Body)
				}
			}
			switch {
			case tt.wantErr == nil && (err != nil || body != "Bearer secret"):
				t.Errorf("%s (download %v): %q, %v; want the token at /own/end", tt.path, download, body, err)
			case tt.wantErr != nil && (!errors.Is(err, tt.wantErr) || !errors.Is(err, errNotOwn)):
				t.Errorf("%s (download %v): err = %v, want %v wrapping the guard's error", tt.path, download, err, tt.wantErr)
			}
			var want []string
			for _, p := range tt.wantSeen {
				want = append(want, srv.URL+p)
			}
			if fmt.Sprint(g.seen) != fmt.Sprint(want) {
				t.Errorf("%s (download %v): the guard saw %q, want %q", tt.path, download, g.seen, want)
			}
		}
	}
	if n := other.n.Load(); n != 0 {
		t.Errorf("a refused URL was sent %d times (with the token), want 0", n)
	}
}

// TestGuardGetsACopy: a guard cannot change where the request goes.
func TestGuardGetsACopy(t *testing.T) {
	t.Parallel()
	other := &counter{h: func(w http.ResponseWriter, r *http.Request) {}}
	mux := http.NewServeMux()
	mux.Handle("/other/", other)
	mux.HandleFunc("GET /own/end", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "own") })
	srv, c := tlsServer(t, mux, Config{})
	guard := func(u *url.URL) error { u.Path = "/other/x"; return nil }
	resp, err := c.Call(context.Background(), Request{URL: srv.URL + "/own/end", Guard: guard})
	if err != nil || string(resp.Body) != "own" || other.n.Load() != 0 {
		t.Errorf("got %v, %v, other called %d times; want own, 0", resp, err, other.n.Load())
	}
}
