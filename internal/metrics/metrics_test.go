package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	dto "github.com/prometheus/client_model/go"
)

const (
	dialogID = "0193a9c4-5b1e-7c2d-8e3f-4a5b6c7d8e9f"
	fakeJWT  = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"
	fakePID  = "14038512345"
)

// series returns every sample of the named family as label sets with their value (counter
// value or histogram sample count).
func series(t *testing.T, m *Metrics, name string) []map[string]string {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, s := range mf.GetMetric() {
			l := map[string]string{"_value": sampleValue(s)}
			for _, lp := range s.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			out = append(out, l)
		}
	}
	return out
}

func sampleValue(s *dto.Metric) string {
	switch {
	case s.Counter != nil:
		return trimFloat(s.Counter.GetValue())
	case s.Histogram != nil:
		return trimFloat(float64(s.Histogram.GetSampleCount()))
	}
	return "?"
}

func trimFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// find returns the value of the sample whose labels include want ("" when none matches).
func find(samples []map[string]string, want map[string]string) string {
	for _, s := range samples {
		ok := true
		for k, v := range want {
			if s[k] != v {
				ok = false
				break
			}
		}
		if ok {
			return s["_value"]
		}
	}
	return ""
}

// portal is a small echo app, instrumented, whose /dialogs/:id handler calls an upstream
// through the instrumented client with the request's context.
func portal(t *testing.T, m *Metrics, upstreamURL string) *httptest.Server {
	t.Helper()
	hc := m.InstrumentClient(nil, Classifier{Upstreams: []Upstream{{Dialogporten, upstreamURL + "/dialogporten"}}})
	e := echo.New()
	e.GET("/inbox", func(c echo.Context) error { return c.String(http.StatusOK, "inbox") })
	e.GET("/dialogs/:id", func(c echo.Context) error {
		for _, p := range []string{"/dialogporten/api/v1/enduser/dialogs/" + c.Param("id"), "/content/" + c.Param("id")} {
			req, _ := http.NewRequestWithContext(c.Request().Context(), http.MethodGet, upstreamURL+p, nil)
			resp, err := hc.Do(req)
			if err != nil {
				return err
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		return c.String(http.StatusOK, "dialog")
	})
	e.GET("/gone/:id", func(c echo.Context) error { return echo.NewHTTPError(http.StatusGone, "gone") })
	e.GET("/boom", func(c echo.Context) error { return errors.New("boom") })
	m.Instrument(e) // after the routes, as internal/app does
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, u string, hdr ...string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func TestRequestsAreCountedByRoutePatternAndStatusClass(t *testing.T) {
	t.Parallel()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/content/") {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(up.Close)
	m := New()
	srv := portal(t, m, up.URL)

	get(t, srv.URL+"/inbox?q="+fakePID)
	get(t, srv.URL+"/inbox")
	get(t, srv.URL+"/dialogs/"+dialogID+"?token="+fakeJWT, "Authorization", "Bearer "+fakeJWT)
	if code := get(t, srv.URL+"/gone/"+dialogID); code != http.StatusGone {
		t.Fatalf("gone: got %d, want 410", code)
	}
	if code := get(t, srv.URL+"/boom"); code != http.StatusInternalServerError {
		t.Fatalf("boom: got %d, want 500", code)
	}
	get(t, srv.URL+"/no/such/"+dialogID)

	reqs := series(t, m, RequestsTotal)
	for _, tc := range []struct {
		route, code, want string
	}{
		{"/inbox", "2xx", "2"},
		{"/dialogs/:id", "2xx", "1"},
		{"/gone/:id", "4xx", "1"},
		{"/boom", "5xx", "1"},
		{NoRoute, "4xx", "1"},
	} {
		if got := find(reqs, map[string]string{"method": "GET", "route": tc.route, "code": tc.code}); got != tc.want {
			t.Errorf("%s %s{route=%q,code=%q}: got %q, want %q", RequestsTotal, "GET", tc.route, tc.code, got, tc.want)
		}
	}
	if got := find(series(t, m, RequestDuration), map[string]string{"route": "/inbox", "code": "2xx"}); got != "2" {
		t.Errorf("%s{route=/inbox} sample count: got %q, want 2", RequestDuration, got)
	}

	ups := series(t, m, UpstreamRequestsTotal)
	for _, tc := range []struct {
		upstream, code, want string
	}{
		{Dialogporten, "2xx", "1"},
		{ServiceOwner, "4xx", "1"},
	} {
		got := find(ups, map[string]string{"upstream": tc.upstream, "code": tc.code, "route": "/dialogs/:id", "method": "GET"})
		if got != tc.want {
			t.Errorf("%s{upstream=%q,code=%q,route=/dialogs/:id}: got %q, want %q", UpstreamRequestsTotal, tc.upstream, tc.code, got, tc.want)
		}
	}
	assertNoSecretLabels(t, m)
}

func TestUpstreamErrorsAndCallsOutsideARequest(t *testing.T) {
	t.Parallel()
	m := New()
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	hc := m.InstrumentClient(&http.Client{}, Classifier{Upstreams: []Upstream{{IDPorten, deadURL}}})
	resp, err := hc.Get(deadURL + "/.well-known/openid-configuration")
	if err == nil {
		resp.Body.Close()
		t.Fatal("call to a closed server succeeded")
	}
	got := find(series(t, m, UpstreamRequestsTotal), map[string]string{"upstream": IDPorten, "code": "error", "route": NoRoute})
	if got != "1" {
		t.Errorf("failed call outside a request: got %q, want 1", got)
	}
}

func TestInstrumentClientLeavesTheOriginalAlone(t *testing.T) {
	t.Parallel()
	m := New()
	orig := &http.Client{}
	hc := m.InstrumentClient(orig, Classifier{})
	if orig.Transport != nil {
		t.Errorf("original client's transport changed to %T", orig.Transport)
	}
	if _, ok := hc.Transport.(*Transport); !ok {
		t.Errorf("instrumented client's transport is %T, want *Transport", hc.Transport)
	}
	if def := m.InstrumentClient(nil, Classifier{}); def.Timeout == 0 {
		t.Error("client from nil has no timeout")
	}
}

func TestClassifier(t *testing.T) {
	t.Parallel()
	c := Classifier{Upstreams: []Upstream{
		{Dialogporten, "http://127.0.0.1:8081/dialogporten/"},
		{IDPorten, "HTTP://127.0.0.1:8082"},
		{"platform", "https://platform.tt02.altinn.no"},
		{Dialogporten, "https://platform.tt02.altinn.no/dialogporten"},
	}}
	for _, tc := range []struct{ url, want string }{
		{"http://127.0.0.1:8081/dialogporten/api/v1/enduser/dialogs", Dialogporten},
		{"http://127.0.0.1:8081/dialogporten", Dialogporten},
		{"http://127.0.0.1:8081/dialogportenx/a", ServiceOwner},
		{"http://127.0.0.1:8081/so/content/1", ServiceOwner},
		{"http://127.0.0.1:8082/token", IDPorten},
		{"http://127.0.0.1:8082", IDPorten},
		{"https://PLATFORM.tt02.altinn.no/dialogporten/api/v1/enduser/parties", Dialogporten},
		{"https://platform.tt02.altinn.no/authentication/api/v1/exchange/id-porten", "platform"},
		{"https://platform.tt02.altinn.no.evil.example/dialogporten/x", ServiceOwner},
		{"https://app.skatteetaten.no/content", ServiceOwner},
	} {
		req := httptest.NewRequest(http.MethodGet, tc.url, nil)
		if got := c.Name(req); got != tc.want {
			t.Errorf("Name(%s): got %q, want %q", tc.url, got, tc.want)
		}
	}
	if got := (Classifier{Fallback: "other"}).Name(httptest.NewRequest(http.MethodGet, "http://x.example/", nil)); got != "other" {
		t.Errorf("fallback: got %q, want other", got)
	}
}

func TestServerServesOnlyMetrics(t *testing.T) {
	t.Parallel()
	m := New()
	srv := httptest.NewServer(m.Server().Handler)
	t.Cleanup(srv.Close)
	m.requests.WithLabelValues("GET", "/inbox", "2xx").Inc()

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: got %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{`innboks_http_requests_total{code="2xx",method="GET",route="/inbox"} 1`, "go_goroutines"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	for _, tc := range []struct{ method, path string }{{http.MethodGet, "/"}, {http.MethodGet, "/inbox"}, {http.MethodPost, "/metrics"}} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Errorf("%s %s: got %d, want an error", tc.method, tc.path, resp.StatusCode)
		}
	}
}

func TestStatusAndMethodLabelsAreBounded(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		code int
		want string
	}{{101, "1xx"}, {200, "2xx"}, {204, "2xx"}, {303, "3xx"}, {404, "4xx"}, {499, "4xx"}, {503, "5xx"}, {0, "other"}, {999, "other"}} {
		if got := statusClass(tc.code); got != tc.want {
			t.Errorf("statusClass(%d): got %q, want %q", tc.code, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{{"GET", "GET"}, {"POST", "POST"}, {"PROPFIND", "other"}, {"get", "other"}} {
		if got := methodLabel(tc.in); got != tc.want {
			t.Errorf("methodLabel(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}

// assertNoSecretLabels fails when any label value of the portal's families holds an id, a
// token or a national identity number.
func assertNoSecretLabels(t *testing.T, m *Metrics) {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "innboks_") {
			continue
		}
		for _, s := range mf.GetMetric() {
			for _, lp := range s.GetLabel() {
				v := lp.GetValue()
				for _, secret := range []string{dialogID, "eyJ", fakePID, "?", "/no/such"} {
					if strings.Contains(v, secret) {
						t.Errorf("%s label %s=%q holds %q", mf.GetName(), lp.GetName(), v, secret)
					}
				}
			}
		}
	}
}
