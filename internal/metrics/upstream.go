package metrics

import (
	"net/http"
	"strings"
	"time"
)

// Upstream names the calls whose URL starts with Prefix (scheme://host[/path], compared at a
// path boundary, scheme and host case-insensitively).
type Upstream struct {
	Name   string
	Prefix string
}

// Classifier names the upstream of a request URL: the longest matching Upstream prefix, or
// Fallback.
type Classifier struct {
	Upstreams []Upstream
	// Fallback names every other URL (ServiceOwner when empty): the links a dialog gives.
	Fallback string
}

// Name returns the upstream name for req.
func (c Classifier) Name(req *http.Request) string {
	u := req.URL
	target := strings.ToLower(u.Scheme+"://"+u.Host) + u.EscapedPath()
	best, bestLen := c.Fallback, -1
	if best == "" {
		best = ServiceOwner
	}
	for _, up := range c.Upstreams {
		p := normalizePrefix(up.Prefix)
		if p == "" || len(p) <= bestLen || !strings.HasPrefix(target, p) {
			continue
		}
		if rest := target[len(p):]; rest != "" && rest[0] != '/' && !strings.HasSuffix(p, "/") {
			continue // "/dialogporten" must not claim "/dialogportenx"
		}
		best, bestLen = up.Name, len(p)
	}
	return best
}

func normalizePrefix(p string) string {
	i := strings.Index(p, "://")
	if i < 0 {
		return ""
	}
	rest := p[i+3:]
	j := strings.IndexByte(rest, '/')
	if j < 0 {
		j = len(rest)
	}
	return strings.ToLower(p[:i+3]+rest[:j]) + strings.TrimSuffix(rest[j:], "/")
}

// Transport records every call made through Base: count by upstream, method, status class
// (or "error") and the route of the page view in the request's context; duration to the
// response headers by upstream and status class. Nothing of the URL beyond the classifier's
// choice is recorded.
type Transport struct {
	Base       http.RoundTripper // http.DefaultTransport when nil
	Classifier Classifier
	metrics    *Metrics
}

// Transport wraps base (http.DefaultTransport when nil) with upstream metrics.
func (m *Metrics) Transport(base http.RoundTripper, c Classifier) *Transport {
	return &Transport{Base: base, Classifier: c, metrics: m}
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	start := time.Now()
	resp, err := base.RoundTrip(req)
	code := "error"
	if err == nil {
		code = statusClass(resp.StatusCode)
	}
	name := t.Classifier.Name(req)
	t.metrics.upstream.WithLabelValues(name, methodLabel(req.Method), code, RouteFrom(req.Context())).Inc()
	t.metrics.upstreamDuration.WithLabelValues(name, code).Observe(time.Since(start).Seconds())
	return resp, err
}

// InstrumentClient returns a copy of hc (a 30 s client when nil) whose transport records
// upstream metrics; hc itself is left as it was.
func (m *Metrics) InstrumentClient(hc *http.Client, c Classifier) *http.Client {
	var out http.Client
	if hc != nil {
		out = *hc
	} else {
		out.Timeout = 30 * time.Second
	}
	out.Transport = m.Transport(out.Transport, c)
	return &out
}
