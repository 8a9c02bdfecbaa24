package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// phase is the outcome of one load phase: every session browsing for -duration, closed loop
// (rate 0) or open loop at rate page views per second.
type phase struct {
	rate     float64
	elapsed  time.Duration
	loops    int
	steps    []StepReport // without the login step
	routes   []RouteReport
	peakBusy int64
	backlog  int64 // open loop: arrivals due that no session took before the phase ended
}

// loadPhase runs the sessions for cfg.duration: closed loop (each session requests again as
// soon as its answer is in, after its think time) when rate is 0, else open loop with page
// views arriving at rate per second.
func loadPhase(ctx context.Context, cfg config, sessions []*session, rate float64, gather gatherFunc, dialogs bool) (*phase, error) {
	var before counts
	if gather != nil {
		fams, err := gather(ctx)
		if err != nil {
			return nil, err
		}
		before = readCounts(fams)
	}
	stop, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var pace *pacer
	if rate > 0 {
		pace = startPacer(stop, rate, cfg.seed)
	}
	rec := newRecorder()
	ph := &phase{rate: rate}
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := time.Now()
	for _, s := range sessions {
		s.pace, s.think = pace, cfg.think
		wg.Go(func() {
			n := 0
			for i := 0; i < cfg.iterations && stop.Err() == nil; i++ {
				s.iterate(ctx, stop, i, rec, nil, dialogs)
				if stop.Err() == nil {
					n++
				}
			}
			mu.Lock()
			ph.loops += n
			mu.Unlock()
		})
	}
	wg.Wait()
	ph.elapsed = time.Since(start)
	if pace != nil {
		<-pace.stopped
	}
	for _, s := range sessions {
		s.pace, s.think = nil, 0
		select { // an arrival handed over as the phase ended is not the next phase's
		case <-s.wake:
		default:
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if pace != nil {
		ph.peakBusy, ph.backlog = pace.peak.Load(), pace.backlog()
	}
	ph.steps = rec.report(ph.elapsed)
	if gather != nil {
		fams, err := gather(ctx)
		if err != nil {
			return nil, err
		}
		ph.routes = routeReports(before, readCounts(fams))
	}
	return ph, nil
}

// setPhase puts a phase's figures in the report, after the login step.
func (r *Report) setPhase(ph *phase) {
	r.Elapsed, r.Loops, r.Routes, r.Rate, r.PeakBusy = ph.elapsed, ph.loops, ph.routes, ph.rate, ph.peakBusy
	r.Steps = append(r.Steps[:min(len(r.Steps), 1)], ph.steps...)
}

// pageViews is the number of requests of a phase's steps and their rate.
func (ph *phase) pageViews() (int, float64) {
	n := 0
	for _, s := range ph.steps {
		n += s.Requests
	}
	return n, float64(n) / ph.elapsed.Seconds()
}

// CapacityReport is the ramp of -find-capacity: the highest arrival rate at which every step
// kept its p99 within Target with no error.
type CapacityReport struct {
	Target time.Duration
	Best   float64 // page views per second; 0 when no rate passed
	Phases []CapacityPhase
}

// CapacityPhase is one rate the ramp tried.
type CapacityPhase struct {
	Rate, Achieved float64 // page views per second: scheduled, and answered
	Worst          string  // the step with the highest p99
	WorstP99       time.Duration
	Errors         int
	Backlog        int64 // arrivals due that no session took before the phase ended
	PeakBusy       int64
	Pass           bool
	Why            string // why it failed
}

// judge decides whether a phase held the target: no errors, every step's p99 within target,
// and at most 1% (or 2) of the arrivals left untaken when the phase ended (more means they queued
// behind busy sessions: the portal, or the harness, did not keep up).
func judge(ph *phase, target time.Duration, users int) CapacityPhase {
	n, achieved := ph.pageViews()
	c := CapacityPhase{Rate: ph.rate, Achieved: achieved, Backlog: ph.backlog, PeakBusy: ph.peakBusy, Pass: true}
	for _, s := range ph.steps {
		c.Errors += s.Errors
		if s.P99 >= c.WorstP99 {
			c.Worst, c.WorstP99 = s.Name, s.P99
		}
	}
	switch {
	case c.Errors > 0:
		c.Pass, c.Why = false, fmt.Sprintf("%d errors", c.Errors)
	case c.WorstP99 > target:
		c.Pass, c.Why = false, fmt.Sprintf("%s p99 %s > %s", c.Worst, ms(c.WorstP99), ms(target))
	case c.Backlog > max(2, int64(0.01*float64(n+int(c.Backlog)))):
		c.Pass, c.Why = false, fmt.Sprintf("%d arrivals left waiting for a session", c.Backlog)
	}
	if c.PeakBusy >= int64(users) {
		c.Why += fmt.Sprintf(" (all %d sessions busy at once: raise -users)", users)
	}
	return c
}

// findCapacity ramps the open-loop rate from cfg.rate, by cfg.growth per phase while every
// step holds the target, then bisects between the last rate that held and the first that did
// not until they are within 10% (at most cfg.maxPhases phases in all). The report's figures
// are those of the best phase.
func findCapacity(ctx context.Context, cfg config, sessions []*session, gather gatherFunc, rep *Report, stderr io.Writer) (*CapacityReport, error) {
	cr := &CapacityReport{Target: cfg.p99}
	var best *phase
	lo, hi := 0.0, 0.0 // highest rate that held, lowest that did not (0: none yet)
	rate := cfg.rate
	for range cfg.maxPhases {
		fmt.Fprintf(stderr, "open loop at %.0f page views/s for %s…\n", rate, cfg.duration)
		ph, err := loadPhase(ctx, cfg, sessions, rate, gather, rep.DialogsServed)
		if err != nil {
			return nil, err
		}
		c := judge(ph, cfg.p99, cfg.users)
		cr.Phases = append(cr.Phases, c)
		fmt.Fprintf(stderr, "  %s\n", c.line())
		if c.Pass {
			lo, best = rate, ph
		} else {
			hi = rate
		}
		switch {
		case hi == 0:
			rate *= cfg.growth
		case lo == 0:
			rate /= 2
		case (hi-lo)/lo <= 0.10:
			return cr.done(best, rep), nil
		default:
			rate = (lo + hi) / 2
		}
		if rate < 1 {
			break
		}
	}
	return cr.done(best, rep), nil
}

func (cr *CapacityReport) done(best *phase, rep *Report) *CapacityReport {
	if best != nil {
		cr.Best = best.rate
		rep.setPhase(best)
	}
	return cr
}

// line is a phase of the ramp in words.
func (c CapacityPhase) line() string {
	verdict := "held"
	if !c.Pass {
		verdict = "failed: " + c.Why
	} else if c.Why != "" {
		verdict += c.Why
	}
	return fmt.Sprintf("rate %.0f/s  answered %.0f/s  worst p99 %s (%s)  errors %d  backlog %d  peak busy sessions %d  %s",
		c.Rate, c.Achieved, ms(c.WorstP99), c.Worst, c.Errors, c.Backlog, c.PeakBusy, verdict)
}
