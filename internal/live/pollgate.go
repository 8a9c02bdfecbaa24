package live

import (
	"sync"
	"time"
)

// PollGate remembers, per session, when its next upstream poll may be made. It holds at most
// max sessions; past that, sessions whose time has come are forgotten.
type PollGate struct {
	mu   sync.Mutex
	max  int
	next map[string]time.Time
}

// NewPollGate holds at most max sessions.
func NewPollGate(max int) *PollGate { return &PollGate{max: max, next: map[string]time.Time{}} }

// Allow reports whether session id may poll upstream now, and if so holds its next poll back
// by every.
func (g *PollGate) Allow(id string, now time.Time, every time.Duration) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n, ok := g.next[id]; ok && now.Before(n) {
		return false
	}
	if len(g.next) >= g.max {
		for k, n := range g.next {
			if !now.Before(n) {
				delete(g.next, k)
			}
		}
	}
	g.next[id] = now.Add(every)
	return true
}

// Pause holds session id's polls back until until.
func (g *PollGate) Pause(id string, until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.next[id] = until
}
