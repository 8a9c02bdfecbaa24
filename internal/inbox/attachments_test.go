package inbox

import "testing"

// TestSafeContentType: only allow-listed types keep their Content-Type on the portal's origin;
// HTML, SVG and anything unknown become application/octet-stream (issue 8, point 8).
func TestSafeContentType(t *testing.T) {
	t.Parallel()
	tests := []struct{ upstream, declared, want string }{
		{"application/pdf", "", "application/pdf"},
		{"text/plain; charset=utf-8; x=\"y\"", "", "text/plain; charset=utf-8"},
		{"text/html; charset=utf-8", "", "application/octet-stream"},
		{"text/html", "application/pdf", "application/pdf"},
		{"image/svg+xml", "", "application/octet-stream"},
		{"application/xhtml+xml", "image/svg+xml", "application/octet-stream"},
		{"image/png", "", "image/png"},
		{"garbage", "application/pdf", "application/pdf"},
		{"", "", "application/octet-stream"},
		{"text/html\r\nX-Evil: 1", "", "application/octet-stream"},
		{"application/javascript", "", "application/octet-stream"},
	}
	for _, tt := range tests {
		if got := SafeContentType(tt.upstream, tt.declared); got != tt.want {
			t.Errorf("SafeContentType(%q, %q) = %q, want %q", tt.upstream, tt.declared, got, tt.want)
		}
	}
}

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
