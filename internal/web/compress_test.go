package web

import "testing"

func TestAccepts(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ header, want string }{
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"BR", "br"},
		{"identity", ""},
		{"", ""},
		{"gzip;q=0", ""},
	} {
		if got := accepts(tc.header); got != tc.want {
			t.Errorf("accepts(%q) = %q, want %q", tc.header, got, tc.want)
		}
	}
}
