package auth_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkRequire measures loading a session for a request (cookie → store → timeouts →
// context), without the network: the cost every page pays.
func BenchmarkRequire(b *testing.B) {
	for _, kind := range storeKinds {
		b.Run(kind, func(b *testing.B) {
			e := newEnv(b, kind)
			br := e.browser()
			br.mustLogin("/login", "/")
			cookie := &http.Cookie{Name: "innboks", Value: br.sessionCookie()}
			h := e.rp.Require(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/me", nil)
				req.AddCookie(cookie)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusNoContent {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
