package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/innboks/innboks/internal/metrics"
)

var upstreamOrder = []string{metrics.Dialogporten, metrics.IDPorten, metrics.ServiceOwner}

// printReport writes the figures as plain tables.
func printReport(w io.Writer, r *Report) {
	scenario := r.Scenario
	if scenario == "" {
		scenario = "(running portal)"
	}
	fmt.Fprintf(w, "target %s  scenario %s  users %d  elapsed %s  loops %d\n",
		r.Target, scenario, r.Users, r.Elapsed.Round(time.Millisecond), r.Loops)
	mode := r.Mode
	if r.Rate > 0 {
		n := 0
		for _, s := range r.Steps {
			if s.Name != stepLogin {
				n += s.Requests
			}
		}
		mode = fmt.Sprintf("open loop at %.0f page views/s: answered %.1f/s, at most %d sessions busy at once", r.Rate, float64(n)/r.Elapsed.Seconds(), r.PeakBusy)
	}
	fmt.Fprintf(w, "mode %s\n", mode)
	if c := r.Capacity; c != nil {
		fmt.Fprintf(w, "\ncapacity (every step p99 ≤ %s, 0 errors): ", ms(c.Target))
		if c.Best > 0 {
			fmt.Fprintf(w, "%.0f page views/s; the figures below are that phase's\n", c.Best)
		} else {
			fmt.Fprintln(w, "no rate held; the figures below are of no phase")
		}
		for _, p := range c.Phases {
			fmt.Fprintf(w, "  %s\n", p.line())
		}
	}
	if !r.DialogsServed {
		fmt.Fprintln(w, "dialog step skipped: /dialogs/{id} does not answer 200 on this portal")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "step\trequests\thtmx\terrors\t4xx\tp50\tp95\tp99\treq/s\tKiB/req\t")
	for _, s := range r.Steps {
		kib := 0.0
		if s.Requests > 0 {
			kib = float64(s.Bytes) / 1024 / float64(s.Requests)
		}
		perSec := fmt.Sprintf("%.1f", s.PerSecond)
		if s.Name == stepLogin {
			perSec = "-" // logins happen before the load phase
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\t%.1f\t\n", s.Name, s.Requests, s.HTMX, s.Errors, s.refusedTotal(),
			ms(s.P50), ms(s.P95), ms(s.P99), perSec, kib)
	}
	tw.Flush()
	for _, s := range r.Steps {
		for _, e := range s.ErrorSamples {
			fmt.Fprintf(w, "  %s error: %s\n", s.Name, e)
		}
		if len(s.Refused) > 0 {
			var parts []string
			for _, code := range slices.Sorted(maps.Keys(s.Refused)) {
				parts = append(parts, fmt.Sprintf("%d×%d", code, s.Refused[code]))
			}
			fmt.Fprintf(w, "  %s 4xx pages: %s\n", s.Name, strings.Join(parts, ", "))
		}
	}

	if len(r.Routes) == 0 && len(r.Probe) == 0 {
		fmt.Fprintln(w, "\nupstream calls: no metrics (run in-process, or pass -metrics with -portal)")
	}
	if len(r.Routes) > 0 {
		fmt.Fprintln(w, "\nupstream calls per page view during the load (portal metrics, by route):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "route\tviews\t%s\t\n", strings.Join(upstreamOrder, "\t"))
		for _, rr := range r.Routes {
			fmt.Fprintf(tw, "%s\t%.0f\t%s\t\n", rr.Route, rr.Views, perUpstream(rr.Upstream, "%.2f"))
		}
		tw.Flush()
	}
	if len(r.Probe) > 0 {
		fmt.Fprintln(w, "\nupstream calls of one page view, lone session (cold caches / warm):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "step\t%s\t\n", strings.Join(upstreamOrder, "\t"))
		for _, p := range r.Probe {
			cells := make([]string, 0, len(upstreamOrder))
			for _, up := range upstreamOrder {
				cells = append(cells, count(p.Cold, up)+" / "+count(p.Warm, up))
			}
			fmt.Fprintf(tw, "%s\t%s\t\n", p.Step, strings.Join(cells, "\t"))
		}
		tw.Flush()
	}
}

func perUpstream(m map[string]float64, format string) string {
	cells := make([]string, 0, len(upstreamOrder))
	for _, up := range upstreamOrder {
		cells = append(cells, fmt.Sprintf(format, m[up]))
	}
	var extra []string
	for up := range m {
		if !slices.Contains(upstreamOrder, up) {
			extra = append(extra, up)
		}
	}
	slices.Sort(extra)
	for _, up := range extra {
		cells[len(cells)-1] += fmt.Sprintf(" (+%s "+format+")", up, m[up])
	}
	return strings.Join(cells, "\t")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

// count is a probe cell: "-" when the step did not run in that pass.
func count(m map[string]float64, up string) string {
	if m == nil {
		return "-"
	}
	return fmt.Sprintf("%.0f", m[up])
}
