// Package metrics is the portal's Prometheus instrumentation: a registry per App (never the
// global default registry), an echo instrumentation that counts requests and their duration
// by route pattern and status class, and an http.RoundTripper that does the same for upstream
// calls (Dialogporten, ID-porten, service owners), labelled with the route of the page view
// that caused them. The registry is exposed on a separate listener (METRICS_ADDR), never on
// the public router.
//
// Label values are bounded and never carry a path, a query, an id or a token: routes are echo
// patterns ("/dialogs/:id"), statuses are classes ("2xx"), methods a fixed set.
package metrics

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metric names, for tests and the load harness.
const (
	RequestsTotal           = "innboks_http_requests_total"
	RequestDuration         = "innboks_http_request_duration_seconds"
	UpstreamRequestsTotal   = "innboks_upstream_requests_total"
	UpstreamRequestDuration = "innboks_upstream_request_duration_seconds"
)

// Upstream names used as the "upstream" label.
const (
	Dialogporten = "dialogporten"
	IDPorten     = "idporten"
	ServiceOwner = "serviceowner"
)

// NoRoute is the route label of a request no route matched, and of an upstream call made
// outside any page view (discovery at start-up, for example).
const NoRoute = "none"

// buckets spans a fast fragment (1 ms) to a slow upstream (10 s).
var buckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// Metrics holds one portal's registry and collectors. Build it with New; it is safe for
// concurrent use.
type Metrics struct {
	// Registry holds every collector of this portal (plus Go and process collectors).
	Registry *prometheus.Registry

	requests         *prometheus.CounterVec
	requestDuration  *prometheus.HistogramVec
	upstream         *prometheus.CounterVec
	upstreamDuration *prometheus.HistogramVec
}

// New builds a fresh registry with the portal's collectors and the Go runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: RequestsTotal,
			Help: "Requests served, by method, route pattern and status class.",
		}, []string{"method", "route", "code"}),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    RequestDuration,
			Help:    "Time to serve a request, by method, route pattern and status class.",
			Buckets: buckets,
		}, []string{"method", "route", "code"}),
		upstream: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: UpstreamRequestsTotal,
			Help: "Upstream calls, by upstream, method, status class (or error) and the route of the page view that made them.",
		}, []string{"upstream", "method", "code", "route"}),
		upstreamDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    UpstreamRequestDuration,
			Help:    "Time to an upstream's response headers, by upstream and status class (or error).",
			Buckets: buckets,
		}, []string{"upstream", "code"}),
	}
	m.Registry.MustRegister(m.requests, m.requestDuration, m.upstream, m.upstreamDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Server is an http.Server that serves only GET /metrics, for the separate metrics listener.
func (m *Metrics) Server() *http.Server {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
}

// statusClass turns a status code into its class label ("2xx" … "5xx").
func statusClass(code int) string {
	switch {
	case code >= 100 && code < 200:
		return "1xx"
	case code < 300 && code >= 200:
		return "2xx"
	case code < 400 && code >= 300:
		return "3xx"
	case code < 500 && code >= 400:
		return "4xx"
	case code < 600 && code >= 500:
		return "5xx"
	}
	return "other"
}

// methodLabel keeps the method label to a fixed set, whatever a client sends.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}
