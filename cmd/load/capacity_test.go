package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestJudge(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	steps := func(errs int, p99s ...time.Duration) []StepReport {
		out := make([]StepReport, len(p99s))
		for i, p := range p99s {
			out[i] = StepReport{Name: stepOrder[i+1], Requests: 100, P99: p}
		}
		out[0].Errors = errs
		return out
	}
	for _, tc := range []struct {
		name     string
		ph       phase
		pass     bool
		worst    string
		whyHas   string
		achieved float64
	}{
		{"held", phase{rate: 20, elapsed: 10 * time.Second, steps: steps(0, 40*ms, 150*ms, 90*ms)}, true, stepSearch, "", 30},
		{"one step over", phase{rate: 20, elapsed: 10 * time.Second, steps: steps(0, 40*ms, 151*ms, 90*ms)}, false, stepSearch, "search p99", 30},
		{"an error", phase{rate: 20, elapsed: 10 * time.Second, steps: steps(1, 40*ms)}, false, stepInbox, "1 errors", 10},
		{"arrivals left waiting", phase{rate: 20, elapsed: 10 * time.Second, backlog: 5, steps: steps(0, 40*ms)}, false, stepInbox, "5 arrivals", 10},
		{"a backlog of 2", phase{rate: 20, elapsed: 10 * time.Second, backlog: 2, steps: steps(0, 40*ms, 40*ms)}, true, stepSearch, "", 20},
		{"every session busy", phase{rate: 20, elapsed: 10 * time.Second, peakBusy: 4, steps: steps(0, 400*ms)}, false, stepInbox, "raise -users", 10},
	} {
		c := judge(&tc.ph, 150*ms, 4)
		if c.Pass != tc.pass || c.Worst != tc.worst || (tc.whyHas == "") != (c.Why == "") || !strings.Contains(c.Why, tc.whyHas) || c.Achieved != tc.achieved {
			t.Errorf("%s: got pass %v worst %q why %q achieved %.1f, want %v, %q, %q, %.1f", tc.name, c.Pass, c.Worst, c.Why, c.Achieved, tc.pass, tc.worst, tc.whyHas, tc.achieved)
		}
	}
}

// TestOpenLoopInProcess: with -rate the page views come at that rate (latency from each
// arrival), every step still runs and passes.
func TestOpenLoopInProcess(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	rep, err := run(t.Context(), []string{"-users", "4", "-duration", "3s", "-rate", "15"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	checkRun(t, rep, out.String())
	if rep.Rate != 15 || rep.PeakBusy < 1 || rep.PeakBusy > 4 {
		t.Errorf("got rate %v, peak busy %d, want 15 and 1–4", rep.Rate, rep.PeakBusy)
	}
	if !strings.Contains(out.String(), "open loop at 15 page views/s") {
		t.Errorf("report does not name the open loop:\n%s", out.String())
	}
}

// TestFindCapacityRamps: the ramp raises the rate by -growth while every step holds, and the
// report's figures are the best phase's.
func TestFindCapacityRamps(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	rep, err := run(t.Context(), []string{"-users", "8", "-duration", "2s", "-find-capacity", "-rate", "2", "-growth", "2",
		"-max-phases", "2", "-p99", "20s", "-probe=false"}, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Capacity
	if c == nil || len(c.Phases) != 2 || c.Phases[0].Rate != 2 || c.Phases[1].Rate != 4 {
		t.Fatalf("got capacity %+v, want phases at 2 and 4 page views/s", c)
	}
	for _, p := range c.Phases {
		if !p.Pass {
			t.Errorf("phase at %v failed: %s", p.Rate, p.Why)
		}
	}
	if c.Best != 4 || rep.Rate != 4 {
		t.Errorf("got best %v, report rate %v, want 4 and 4", c.Best, rep.Rate)
	}
	if !strings.Contains(out.String(), "capacity (every step p99 ≤ 20000.0ms, 0 errors): 4 page views/s") {
		t.Errorf("report lacks the capacity line:\n%s", out.String())
	}
}

func TestLoadModeFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-rate", "-1"}, "-rate"},
		{[]string{"-think", "-1s"}, "-think"},
		{[]string{"-rate", "10", "-think", "1s"}, "only in a closed loop"},
		{[]string{"-find-capacity", "-growth", "1"}, "-growth > 1"},
		{[]string{"-find-capacity", "-think", "1s"}, "without -think"},
	} {
		_, err := parseFlags(tc.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: got error %v, want one with %q", tc.args, err, tc.want)
		}
	}
	c, err := parseFlags([]string{"-find-capacity"}, io.Discard)
	if err != nil || c.rate != 50 || c.p99 != 150*time.Millisecond {
		t.Errorf("-find-capacity alone: got rate %v p99 %v (%v), want 50 and 150ms", c.rate, c.p99, err)
	}
}
