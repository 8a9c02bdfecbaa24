package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

// BenchmarkInstrument is the cost the request metrics add to a trivial route (compare the
// two sub-benchmarks).
func BenchmarkInstrument(b *testing.B) {
	for _, tc := range []struct {
		name       string
		instrument bool
	}{{"bare", false}, {"instrumented", true}} {
		b.Run(tc.name, func(b *testing.B) {
			e := echo.New()
			e.GET("/dialogs/:id", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
			if tc.instrument {
				New().Instrument(e)
			}
			req := httptest.NewRequest(http.MethodGet, "/dialogs/"+dialogID, nil)
			b.ReportAllocs()
			for b.Loop() {
				e.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}

// BenchmarkTransport is the cost of the upstream metrics around a round trip.
func BenchmarkTransport(b *testing.B) {
	ok := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody}, nil
	})
	tr := New().Transport(ok, Classifier{Upstreams: []Upstream{{Dialogporten, "http://127.0.0.1:8081/dialogporten"}, {IDPorten, "http://127.0.0.1:8082"}}})
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8081/dialogporten/api/v1/enduser/dialogs?party=x", nil)
	req = req.WithContext(WithRoute(req.Context(), "/inbox"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tr.RoundTrip(req); err != nil {
			b.Fatal(err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
