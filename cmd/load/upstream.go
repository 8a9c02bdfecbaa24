package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/innboks/innboks/internal/metrics"
)

// gatherFunc reads the portal's metric families: from its registry in-process, or by
// scraping its /metrics.
type gatherFunc func(ctx context.Context) ([]*dto.MetricFamily, error)

// scrape reads a /metrics URL (loopback only, checked by parseFlags).
func scrape(hc *http.Client, u string) gatherFunc {
	return func(ctx context.Context) ([]*dto.MetricFamily, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "text/plain;version=0.0.4")
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("metrics: status %d", resp.StatusCode)
		}
		p := expfmt.NewTextParser(model.UTF8Validation)
		fams, err := p.TextToMetricFamilies(io.LimitReader(resp.Body, 32<<20))
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		out := make([]*dto.MetricFamily, 0, len(fams))
		for _, f := range fams {
			out = append(out, f)
		}
		return out, nil
	}
}

// counts is a reading of the portal's counters: page views and upstream calls per route.
type counts struct {
	views    map[string]float64            // route → requests
	upstream map[string]map[string]float64 // route → upstream → calls
}

func readCounts(fams []*dto.MetricFamily) counts {
	c := counts{views: map[string]float64{}, upstream: map[string]map[string]float64{}}
	for _, f := range fams {
		switch f.GetName() {
		case metrics.RequestsTotal:
			for _, m := range f.GetMetric() {
				c.views[label(m, "route")] += m.GetCounter().GetValue()
			}
		case metrics.UpstreamRequestsTotal:
			for _, m := range f.GetMetric() {
				r, up := label(m, "route"), label(m, "upstream")
				if c.upstream[r] == nil {
					c.upstream[r] = map[string]float64{}
				}
				c.upstream[r][up] += m.GetCounter().GetValue()
			}
		}
	}
	return c
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// allUpstream sums every route's upstream calls by upstream.
func (c counts) allUpstream() map[string]float64 {
	out := map[string]float64{}
	for _, ups := range c.upstream {
		for up, v := range ups {
			out[up] += v
		}
	}
	return out
}

// RouteReport is the upstream calls per page view of one route during the load.
type RouteReport struct {
	Route    string
	Views    float64
	Upstream map[string]float64 // upstream → calls per view
}

// routeReports compares two readings, for the routes the steps use.
func routeReports(before, after counts) []RouteReport {
	var out []RouteReport
	for _, r := range slices.Compact(slices.Sorted(maps.Values(stepRoute))) {
		views := after.views[r] - before.views[r]
		if views <= 0 {
			continue
		}
		rr := RouteReport{Route: r, Views: views, Upstream: map[string]float64{}}
		for up, v := range after.upstream[r] {
			if d := v - before.upstream[r][up]; d > 0 {
				rr.Upstream[up] = d / views
			}
		}
		out = append(out, rr)
	}
	return out
}

// ProbeReport is the upstream calls of one step's page view, made by a lone session: the
// first loop (cold caches) and the second (warm).
type ProbeReport struct {
	Step       string
	Cold, Warm map[string]float64 // upstream → calls
}

// diff returns after − before by upstream, over every route (a page view's calls may be
// labelled with a route the redirect passed through).
func diff(before, after counts) map[string]float64 {
	b, a := before.allUpstream(), after.allUpstream()
	out := map[string]float64{}
	for up, v := range a {
		if d := v - b[up]; d > 0 {
			out[up] = d
		}
	}
	return out
}
