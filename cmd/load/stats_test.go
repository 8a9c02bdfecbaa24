package main

import (
	"errors"
	"testing"
	"time"
)

func TestQuantile(t *testing.T) {
	t.Parallel()
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		q      float64
		want   time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", ms(7), 0.99, 7 * time.Millisecond},
		{"p50 of 1..100", ms(hundred...), 0.50, 50 * time.Millisecond},
		{"p95 of 1..100", ms(hundred...), 0.95, 95 * time.Millisecond},
		{"p99 of 1..100", ms(hundred...), 0.99, 99 * time.Millisecond},
		{"p50 of 1..4", ms(1, 2, 3, 4), 0.50, 2 * time.Millisecond},
		{"p99 of 1..4", ms(1, 2, 3, 4), 0.99, 4 * time.Millisecond},
	} {
		if got := quantile(tc.sorted, tc.q); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestRecorderReport(t *testing.T) {
	t.Parallel()
	r := newRecorder()
	r.add(stepSearch, 3*time.Millisecond, 100, true, 0, nil)
	r.add(stepInbox, 2*time.Millisecond, 1000, false, 0, nil)
	r.add(stepInbox, 4*time.Millisecond, 1000, false, 0, errors.New("status 500 at /inbox"))
	r.add(stepInbox, 4*time.Millisecond, 0, false, 0, errors.New("status 500 at /inbox"))
	r.add(stepDialog, 5*time.Millisecond, 10, false, 403, nil)
	got := r.report(2 * time.Second)
	if len(got) != 3 || got[2].Name != stepDialog || got[2].Refused[403] != 1 || got[2].Errors != 0 {
		t.Errorf("dialog step %+v, want one refused, no error", got[len(got)-1])
	}
	if len(got) < 2 || got[0].Name != stepInbox || got[1].Name != stepSearch {
		t.Fatalf("steps %+v, want inbox then search", got)
	}
	in := got[0]
	if in.Requests != 3 || in.Errors != 2 || in.Bytes != 2000 || in.PerSecond != 1.5 || in.P50 != 4*time.Millisecond || in.HTMX != 0 {
		t.Errorf("inbox: got %+v, want 3 requests, 2 errors, 2000 bytes, 1.5/s, p50 4ms", in)
	}
	if len(in.ErrorSamples) != 1 {
		t.Errorf("error samples %q, want the one distinct message", in.ErrorSamples)
	}
	if got[1].HTMX != 1 {
		t.Errorf("search htmx: got %d, want 1", got[1].HTMX)
	}
}
