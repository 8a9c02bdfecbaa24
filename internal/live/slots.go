package live

import (
	"errors"
	"slices"
	"sync"
)

const (
	// DefaultStreamsPerSession is how many streams one session may hold open: a tab each, and
	// as many as a browser keeps to one host over HTTP/1.1.
	DefaultStreamsPerSession = 6
	// DefaultMaxStreams is how many streams one instance holds open in all (each costs two
	// goroutines and a connection, about 45 KB with its stacks).
	DefaultMaxStreams = 5000
)

// ErrTooManyStreams is Slots.Take's answer when the instance holds its most streams.
var ErrTooManyStreams = errors.New("live: too many open streams")

// Slots bounds the open streams: at most perSession for one session, where opening one more
// ends that session's oldest (a forgotten tab), and at most max in all, beyond which a new
// stream is refused (another instance, or a later try, will take it).
type Slots struct {
	mu        sync.Mutex
	max, per  int
	open      int
	bySession map[string][]*Slot // oldest first
}

// Slot is one open stream's place; Release it when the stream ends.
type Slot struct {
	owner    *Slots
	session  string
	replaced chan struct{}
	released bool
}

// NewSlots bounds streams to max in all (DefaultMaxStreams when <= 0) and perSession per session
// (DefaultStreamsPerSession when <= 0).
func NewSlots(max, perSession int) *Slots {
	if max <= 0 {
		max = DefaultMaxStreams
	}
	if perSession <= 0 {
		perSession = DefaultStreamsPerSession
	}
	return &Slots{max: max, per: perSession, bySession: map[string][]*Slot{}}
}

// Take gives session a slot. When the session holds perSession slots its oldest is taken back
// (its Replaced channel closes) and the total stays as it was; otherwise, when max slots are
// taken, it answers ErrTooManyStreams.
func (s *Slots) Take(session string) (*Slot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.bySession[session]
	if len(held) >= s.per {
		oldest := held[0]
		oldest.released = true
		close(oldest.replaced)
		held[0] = nil
		held = held[1:]
		s.open--
	} else if s.open >= s.max {
		return nil, ErrTooManyStreams
	}
	sl := &Slot{owner: s, session: session, replaced: make(chan struct{})}
	s.bySession[session] = append(held, sl)
	s.open++
	return sl, nil
}

// Replaced is closed when a newer stream of the same session took this slot: the stream should
// tell its browser to stop (not to reconnect, which would end the next oldest) and end.
func (sl *Slot) Replaced() <-chan struct{} { return sl.replaced }

// Release gives the slot back; it is safe to call more than once and after Replaced.
func (sl *Slot) Release() {
	s := sl.owner
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl.released {
		return
	}
	sl.released = true
	held := s.bySession[sl.session]
	if i := indexOf(held, sl); i >= 0 {
		held = slices.Delete(held, i, i+1)
	}
	if len(held) == 0 {
		delete(s.bySession, sl.session)
	} else {
		s.bySession[sl.session] = held
	}
	s.open--
}
