package handlers

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/static"
)

func benchHarness(b *testing.B) *harness {
	b.Helper()
	a := newFakeAuth()
	page := pageOf(100)
	page.HasNextPage, page.ContinuationToken = true, "next"
	dp := &fakeDP{parties: testParties(), search: func(*dpclient.SearchParams) (*dpclient.SearchResult, error) { return page, nil }}
	srv := newTestServer(Config{PublicURL: "https://innboks.test", SecureCookies: true}, a, dp)
	return &harness{t: &testing.T{}, srv: srv, auth: a, dp: dp}
}

func benchGet(b *testing.B, h *harness, target string, htmx bool) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", "https://innboks.test"+target, nil)
	r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	if htmx {
		r.Header.Set("HX-Request", "true")
	}
	rec := httptest.NewRecorder()
	h.srv.Echo.ServeHTTP(rec, r)
	if rec.Code != 200 {
		b.Fatalf("status %d", rec.Code)
	}
	return rec
}

// BenchmarkInboxPage100 is the server time for a full inbox page with 100 dialogs (the upstream
// answer is prebuilt, so it is excluded; parties come from the cache as on every view but the
// first).
func BenchmarkInboxPage100(b *testing.B) {
	h := benchHarness(b)
	target := "/inbox?party=" + selfUUID
	benchGet(b, h, target, false)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, h, target, false)
	}
}

// BenchmarkInboxFragment100 is the same list as the htmx fragment a search or filter swaps in.
func BenchmarkInboxFragment100(b *testing.B) {
	h := benchHarness(b)
	target := "/inbox?q=skatt&party=" + selfUUID
	benchGet(b, h, target, true)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		benchGet(b, h, target, true)
	}
}

// BenchmarkFirstLoadBytes reports the bytes a first inbox load (100 dialogs) sends: the HTML
// gzip-compressed, CSS and JS as served to a browser accepting brotli.
func BenchmarkFirstLoadBytes(b *testing.B) {
	h := benchHarness(b)
	html := benchGet(b, h, "/inbox?party="+selfUUID, false).Body.Bytes()
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	_, _ = w.Write(html)
	_ = w.Close()
	assets := 0
	for _, name := range []string{static.StyleBundle, static.ScriptBundle, "favicon.svg"} {
		r := httptest.NewRequest("GET", static.Path(name), nil)
		r.Header.Set("Accept-Encoding", "br, gzip")
		rec := httptest.NewRecorder()
		static.Handler().ServeHTTP(rec, r)
		assets += rec.Body.Len()
	}
	for b.Loop() {
	}
	b.ReportMetric(float64(len(html)), "html-bytes")
	b.ReportMetric(float64(gz.Len()), "html-gzip-bytes")
	b.ReportMetric(float64(assets), "assets-br-bytes")
	b.ReportMetric(float64(gz.Len()+assets), "first-load-bytes")
}
