package outbound

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
