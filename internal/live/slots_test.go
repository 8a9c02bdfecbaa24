package live

import (
	"errors"
	"testing"
)

func closed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func TestSlotsPerSessionEndsOldest(t *testing.T) {
	t.Parallel()
	s := NewSlots(100, 2)
	a1, _ := s.Take("a")
	a2, _ := s.Take("a")
	b1, _ := s.Take("b")
	a3, err := s.Take("a")
	if err != nil {
		t.Fatal(err)
	}
	if !closed(a1.Replaced()) {
		t.Error("a's oldest stream not replaced by its third, want replaced")
	}
	for name, sl := range map[string]*Slot{"a2": a2, "a3": a3, "b1": b1} {
		if closed(sl.Replaced()) {
			t.Errorf("%s replaced, want open", name)
		}
	}
	if got := s.Open(); got != 4-1 {
		t.Errorf("open = %d, want 3", got)
	}
	a1.Release() // the replaced stream ends: nothing more to give back
	a1.Release()
	if got := s.Open(); got != 3 {
		t.Errorf("open after the replaced one ends = %d, want 3", got)
	}
	a2.Release()
	a3.Release()
	b1.Release()
	if got := s.Open(); got != 0 || len(s.bySession) != 0 {
		t.Errorf("open = %d, sessions %d after all ended, want 0, 0", got, len(s.bySession))
	}
}

func TestSlotsGlobalCap(t *testing.T) {
	t.Parallel()
	s := NewSlots(2, 2)
	a1, _ := s.Take("a")
	if _, err := s.Take("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Take("c"); !errors.Is(err, ErrTooManyStreams) {
		t.Errorf("third stream with max 2: %v, want ErrTooManyStreams", err)
	}
	if _, err := s.Take("a"); !errors.Is(err, ErrTooManyStreams) {
		t.Errorf("a's second stream with max 2 taken: %v, want ErrTooManyStreams", err)
	}
	a1.Release()
	if _, err := s.Take("c"); err != nil {
		t.Errorf("after one ended: %v, want a slot", err)
	}
	// A session at its own cap replaces its oldest even when the instance is full.
	full := NewSlots(2, 1)
	x1, _ := full.Take("x")
	_, _ = full.Take("y")
	if _, err := full.Take("x"); err != nil || !closed(x1.Replaced()) {
		t.Errorf("x again at the global cap: %v, replaced %v; want its old stream replaced", err, closed(x1.Replaced()))
	}
}

func TestSlotsDefaults(t *testing.T) {
	t.Parallel()
	s := NewSlots(0, 0)
	if s.max != DefaultMaxStreams || s.per != DefaultStreamsPerSession {
		t.Errorf("defaults = %d, %d; want %d, %d", s.max, s.per, DefaultMaxStreams, DefaultStreamsPerSession)
	}
}
