package live

import (
	"context"
	"time"
)

const (
	// pollEvery is the least time between two upstream searches for one session's polls.
	pollEvery = 30 * time.Second
	// pollBackoff is the wait after a failed poll search (longer when upstream says Retry-After).
	pollBackoff = 2 * time.Minute
	// pollLifetime is how long a page polls: after it the answer says so (Poll.Last), so an
	// unattended tab does not keep its session alive forever.
	pollLifetime = 15 * time.Minute
	// PollLimit is how many changed dialogs one poll counts.
	PollLimit = 100
)

// Poller paces the polling fallback, when the portal gets no events: at most one upstream
// search per session every 30 s, none for Retry-After (at least two minutes) after one failed,
// and none past a page's 15 minutes.
type Poller struct {
	gate *PollGate
	// retryAfter is how long a failed search's upstream asked to wait (0: it did not say).
	retryAfter func(error) time.Duration
}

// NewPoller paces polls; retryAfter reads how long a failed search asks to wait (nil: never).
func NewPoller(retryAfter func(error) time.Duration) *Poller {
	return &Poller{gate: NewPollGate(10000), retryAfter: retryAfter}
}

// ChangeSearch counts the dialogs changed since a time (more: beyond those counted).
type ChangeSearch func(ctx context.Context, since time.Time) (count int, more bool, err error)

// Poll is the answer to one poll.
type Poll struct {
	Count int  // dialogs changed since the page was shown (0: none, or not asked this time)
	More  bool // more changed than counted
	Last  bool // the page has polled its lifetime: it should stop
}

// Poll answers session's poll at now for the changes since the page was shown: search runs
// only when the session's pace allows (nil search: nothing to watch). A failed search counts as
// no change and pauses the session's polls.
func (p *Poller) Poll(ctx context.Context, session string, since, now time.Time, search ChangeSearch) Poll {
	res := Poll{Last: now.Sub(since) > pollLifetime}
	if search == nil || !p.gate.Allow(session, now, pollEvery) {
		return res
	}
	count, more, err := search(ctx, since)
	if err != nil {
		wait := pollBackoff
		if p.retryAfter != nil {
			wait = max(wait, p.retryAfter(err))
		}
		p.gate.Pause(session, now.Add(wait))
		return res
	}
	res.Count, res.More = count, more
	return res
}
