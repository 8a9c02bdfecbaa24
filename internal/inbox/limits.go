package inbox

import (
	"errors"
	"sync"
)

// ErrBusy is the answer when a person already runs as many expensive operations (group
// searches, bulk changes, downloads) as they may at once: try again in a moment.
var ErrBusy = errors.New("inbox: too many expensive requests at once")

// Limiter bounds how many expensive operations one person runs at once, so one session (a
// script, or a user holding down reload) cannot make the portal fan out without end: a group
// search at 15,000 parties is 150 upstream searches. A nil *Limiter allows everything.
type Limiter struct {
	per int
	mu  sync.Mutex
	n   map[string]int
}

// NewLimiter allows per operations at once for each key.
func NewLimiter(per int) *Limiter { return &Limiter{per: per, n: map[string]int{}} }

// Acquire takes a slot for key, or answers ErrBusy at once when all are taken. Call release
// when the operation is over.
func (l *Limiter) Acquire(key string) (release func(), err error) {
	if l == nil {
		return func() {}, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n[key] >= l.per {
		return nil, ErrBusy
	}
	l.n[key]++
	var once sync.Once
	return func() {
		once.Do(func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.n[key]--; l.n[key] <= 0 {
				delete(l.n, key)
			}
		})
	}, nil
}
