package main

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// pacer hands out the scheduled start times of an open-loop run: page views arrive at rate per
// second (exponential gaps, a Poisson process, seeded), whether or not the portal kept up.
// A session takes an arrival, makes one request and comes back for another; its latency counts
// from the arrival, not from when a session got to it, so a portal (or a harness) that falls
// behind shows as latency instead of quietly lowering the rate (no coordinated omission).
//
// An arrival goes to the session that became idle last (a stack, not a queue): the fewest
// sessions needed for the rate walk through their loops (inbox, search, …, dialog, content) as
// a person would, and the others wait for a burst. A queue would send every session's first
// step (the inbox) before any second step, and skew the mix of pages.
type pacer struct {
	mu      sync.Mutex
	idle    []chan time.Time // sessions waiting for an arrival, the latest last
	pending []time.Time      // arrivals due with no idle session, oldest first

	busy  atomic.Int64 // sessions in a request now
	peak  atomic.Int64 // the most sessions in a request at once
	due   atomic.Int64 // arrivals whose time has come
	taken atomic.Int64 // arrivals a session took

	stopped chan struct{} // closed when no arrival comes any more
}

// startPacer schedules arrivals at rate per second from now until stop is done.
func startPacer(stop context.Context, rate float64, seed uint64) *pacer {
	p := &pacer{stopped: make(chan struct{})}
	rng := rand.New(rand.NewPCG(seed, 0xa77))
	go func() {
		defer close(p.stopped)
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
			if stop.Err() != nil {
				return
			}
			p.arrive(next)
		}
	}()
	return p
}

// arrive gives an arrival to the session idle last, or keeps it until one is.
func (p *pacer) arrive(at time.Time) {
	p.due.Add(1)
	p.mu.Lock()
	defer p.mu.Unlock()
	if n := len(p.idle); n > 0 {
		ch := p.idle[n-1]
		p.idle = p.idle[:n-1]
		ch <- at // buffered: never blocks
		return
	}
	p.pending = append(p.pending, at)
}

// take waits for the session's next arrival (wake is the session's own channel, capacity 1);
// false once stop is done.
func (p *pacer) take(stop context.Context, wake chan time.Time) (time.Time, bool) {
	p.mu.Lock()
	if len(p.pending) > 0 {
		at := p.pending[0]
		p.pending = p.pending[1:]
		p.mu.Unlock()
		return p.started(at), true
	}
	p.idle = append(p.idle, wake)
	p.mu.Unlock()
	select {
	case at := <-wake:
		return p.started(at), true
	case <-stop.Done():
		return time.Time{}, false
	}
}

// started counts a taken arrival and the sessions busy at once.
func (p *pacer) started(at time.Time) time.Time {
	p.taken.Add(1)
	n := p.busy.Add(1)
	for {
		old := p.peak.Load()
		if n <= old || p.peak.CompareAndSwap(old, n) {
			break
		}
	}
	return at
}

// done marks a request taken with take as finished.
func (p *pacer) done() { p.busy.Add(-1) }

// backlog is the number of arrivals due that no session has taken: at the end of a phase,
// page views the harness owed and never made.
func (p *pacer) backlog() int64 { return p.due.Load() - p.taken.Load() }
