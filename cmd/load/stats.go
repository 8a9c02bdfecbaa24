package main

import (
	"maps"
	"slices"
	"sync"
	"time"
)

// Steps of one session loop, in report order.
const (
	stepLogin   = "login"
	stepInbox   = "inbox"
	stepSearch  = "search"
	stepMore    = "more"
	stepParties = "parties"
	stepDialog  = "dialog"
	stepContent = "content"
)

// allSuffix marks the list steps over a party group (many parties, searched in batches).
const allSuffix = "(all)"

var stepOrder = []string{stepLogin, stepInbox, stepSearch, stepMore,
	stepInbox + allSuffix, stepSearch + allSuffix, stepMore + allSuffix, stepParties, stepDialog, stepContent}

// stepRoute is the portal route pattern a step's page views land on (for the metrics).
var stepRoute = map[string]string{
	stepInbox: "/inbox", stepSearch: "/inbox", stepMore: "/inbox",
	stepInbox + allSuffix: "/inbox", stepSearch + allSuffix: "/inbox", stepMore + allSuffix: "/inbox",
	stepParties: "/parties", stepDialog: "/dialogs/:id", stepContent: "/dialogs/:id/content",
}

// recorder collects every request's outcome, per step; safe for concurrent use.
type recorder struct {
	mu    sync.Mutex
	steps map[string]*stepStats
}

type stepStats struct {
	latencies []time.Duration
	errors    int
	refused   map[int]int // status → count of 4xx pages on the dialog steps: the portal's answer, not a failure
	bytes     int64
	samples   []string // a few distinct error messages
	htmx      int
}

func newRecorder() *recorder { return &recorder{steps: map[string]*stepStats{}} }

// add records one request of step: its latency, body size and error (nil when it passed).
func (r *recorder) add(step string, d time.Duration, n int64, htmx bool, refused int, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.steps[step]
	if s == nil {
		s = &stepStats{}
		r.steps[step] = s
	}
	s.latencies = append(s.latencies, d)
	s.bytes += n
	if htmx {
		s.htmx++
	}
	if refused != 0 {
		if s.refused == nil {
			s.refused = map[int]int{}
		}
		s.refused[refused]++
	}
	if err != nil {
		s.errors++
		if msg := err.Error(); len(s.samples) < 3 && !slices.Contains(s.samples, msg) {
			s.samples = append(s.samples, msg)
		}
	}
}

// StepReport is one step's figures.
type StepReport struct {
	Name          string
	Requests      int
	HTMX          int // of Requests, sent as htmx requests
	Errors        int
	Refused       map[int]int // of Requests, 4xx pages by status where those are a right answer (dialog steps)
	P50, P95, P99 time.Duration
	PerSecond     float64
	Bytes         int64
	ErrorSamples  []string
}

// report summarises the steps over the elapsed wall time.
func (r *recorder) report(elapsed time.Duration) []StepReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []StepReport
	for _, name := range stepOrder {
		s := r.steps[name]
		if s == nil {
			continue
		}
		lat := slices.Clone(s.latencies)
		slices.Sort(lat)
		sr := StepReport{
			Name: name, Requests: len(lat), HTMX: s.htmx, Errors: s.errors, Refused: maps.Clone(s.refused), Bytes: s.bytes,
			P50: quantile(lat, 0.50), P95: quantile(lat, 0.95), P99: quantile(lat, 0.99),
			ErrorSamples: s.samples,
		}
		if elapsed > 0 {
			sr.PerSecond = float64(len(lat)) / elapsed.Seconds()
		}
		out = append(out, sr)
	}
	return out
}

// quantile of sorted latencies, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// refusedTotal is the number of refused (4xx) pages.
func (s StepReport) refusedTotal() int {
	n := 0
	for _, c := range s.Refused {
		n += c
	}
	return n
}
