package inbox

import "testing"

// TestLimiterBoundsPerSession (issue 8, point 7): a session runs at most per expensive
// operations at once; another session is not affected, and a released slot can be taken again.
func TestLimiterBoundsPerSession(t *testing.T) {
	t.Parallel()
	l := NewLimiter(2)
	r1, err1 := l.Acquire("a")
	_, err2 := l.Acquire("a")
	if err1 != nil || err2 != nil {
		t.Fatalf("first two: %v, %v", err1, err2)
	}
	if _, err := l.Acquire("a"); err != ErrBusy {
		t.Errorf("third at once: %v, want ErrBusy", err)
	}
	if _, err := l.Acquire("b"); err != nil {
		t.Errorf("another session: %v", err)
	}
	r1()
	r1() // twice is harmless
	if _, err := l.Acquire("a"); err != nil {
		t.Errorf("after a release: %v", err)
	}
	if _, err := l.Acquire("a"); err != ErrBusy {
		t.Errorf("a double release gave back two slots: %v", err)
	}
}
