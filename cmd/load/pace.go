package main

import (
	"context"
	"math/rand/v2"
	"sync/atomic"
	"time"
)

// pacer hands out the scheduled start times of an open-loop run: page views arrive at rate per
// second (exponential gaps, a Poisson process, seeded), whether or not the portal kept up.
// A session takes the next arrival, makes one request and comes back for another; its latency
// counts from the arrival, not from when a session got to it, so a portal (or a harness) that
// falls behind shows as latency instead of quietly lowering the rate (no coordinated omission).
type pacer struct {
	arrivals chan time.Time
	busy     atomic.Int64 // sessions in a request now
	peak     atomic.Int64 // the most sessions in a request at once
	due      atomic.Int64 // arrivals whose time has come
	taken    atomic.Int64 // arrivals a session took
}

// backlog is the number of arrivals due that no session has taken: at the end of a phase,
// page views the harness owed and never made.
func (p *pacer) backlog() int64 { return p.due.Load() - p.taken.Load() }

// startPacer schedules arrivals at rate per second from now until stop is done.
func startPacer(stop context.Context, rate float64, seed uint64) *pacer {
	p := &pacer{arrivals: make(chan time.Time, 1<<12)}
	rng := rand.New(rand.NewPCG(seed, 0xa77))
	go func() {
		next := time.Now()
		timer := time.NewTimer(0)
		defer timer.Stop()
		for {
			next = next.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Second)))
			if d := time.Until(next); d > 0 {
				timer.Reset(d)
				select {
				case <-timer.C:
				case <-stop.Done():
					return
				}
			}
			p.due.Add(1)
			select {
			case p.arrivals <- next:
			case <-stop.Done():
				return
			}
		}
	}()
	return p
}

// take waits for the next arrival; false once stop is done.
func (p *pacer) take(stop context.Context) (time.Time, bool) {
	select {
	case at := <-p.arrivals:
		if stop.Err() != nil {
			return time.Time{}, false
		}
		p.taken.Add(1)
		n := p.busy.Add(1)
		for {
			old := p.peak.Load()
			if n <= old || p.peak.CompareAndSwap(old, n) {
				break
			}
		}
		return at, true
	case <-stop.Done():
		return time.Time{}, false
	}
}

// done marks a request taken with take as finished.
func (p *pacer) done() { p.busy.Add(-1) }
