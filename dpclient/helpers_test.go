package dpclient

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// basePath is the APIM prefix the test servers mount Dialogporten under, as in production.
const basePath = "/dialogporten"

// testToken is the client-level bearer token of setup.
const testToken = "client-token"

// setup starts a test server with an empty mux. The client's base URL is server+"/dialogporten"
// (so the platform URL defaults to the server root) and its token is testToken.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	opts = append([]Option{WithHTTPClient(srv.Client()), WithTokenSource(StaticToken(testToken))}, opts...)
	c, err := New(srv.URL+basePath, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, mux, srv
}

// fixture returns the bytes of testdata/name.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("read fixture: %v", err)
	}
	return b
}

// serveJSON writes body as application/json with status.
func serveJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// serveProblem writes body as application/problem+json with status.
func serveProblem(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// testMethod fails the test when r's method is not want.
func testMethod(t *testing.T, r *http.Request, want string) {
	t.Helper()
	if got := r.Method; got != want {
		t.Errorf("method = %q, want %q", got, want)
	}
}

// testHeader fails the test when r's header key is not want.
func testHeader(t *testing.T, r *http.Request, key, want string) {
	t.Helper()
	if got := r.Header.Get(key); got != want {
		t.Errorf("header %s = %q, want %q", key, got, want)
	}
}

// testBody fails the test when r's JSON body is not equal (as JSON) to want.
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	b, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	var got, exp any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("body %q is not JSON: %v", b, err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("want %q is not JSON: %v", want, err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("body = %s, want %s", b, want)
	}
}

// ts parses an RFC 3339 timestamp or fails.
func ts(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return v
}

func ptr[T any](v T) *T { return &v }

// newBenchServer starts a loopback server for a benchmark and returns its URL.
func newBenchServer(tb testing.TB, h http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}
