package outbound

import (
	"errors"
	"net/url"
	"testing"
)

func TestCanonicalOrigin(t *testing.T) {
	t.Parallel()
	tests := []struct{ url, want string }{
		{"https://example.org/a", "https://example.org"},
		{"HTTPS://EXAMPLE.org/a", "https://example.org"},
		{"https://example.org./a", "https://example.org"},
		{"https://example.org../a", "https://example.org"},
		{"https://example.org:443/a", "https://example.org"},
		{"https://example.org:0443/a", "https://example.org"},
		{"https://example.org:/a", "https://example.org"},
		{"https://Example.ORG.:443", "https://example.org"},
		{"https://example.org:8443/a", "https://example.org:8443"},
		{"https://example.org:80/a", "https://example.org:80"},
		{"http://example.org:80/a", "http://example.org"},
		{"http://example.org:443/a", "http://example.org:443"},
		{"https://user:pw@example.org/a", "https://example.org"},
		{"https://[2001:DB8::1]:443/a", "https://[2001:db8::1]"},
		{"https://[::1]:8443/a", "https://[::1]:8443"},
		{"https://[fe80::1%25eth0]/", "https://[fe80::1%25eth0]"},
		{"/relative", ""},
		{"//example.org/x", ""},
		{"urn:dialogporten:unauthorized", ""},
		{"https:opaque", ""},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.url, err)
		}
		if got := CanonicalOrigin(u); got != tt.want {
			t.Errorf("CanonicalOrigin(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestCanonicalPath(t *testing.T) {
	t.Parallel()
	const own = "/correspondence/api/v1/correspondence/0191"
	tests := []struct {
		url  string
		want string // "" means refused
	}{
		{"https://p.example" + own, own},
		{"https://p.example", "/"},
		{"https://p.example/", "/"},
		{"https://p.example/./correspondence/api/v1/correspondence/0191", own},
		{"https://p.example/x/../correspondence/api/v1/correspondence/0191", own},
		{"https://p.example//correspondence/api/v1//correspondence/0191", own},
		{"https://p.example/%63orrespondence/api/v1/correspondence/0191", own},
		{"https://p.example/%2e/correspondence/api/v1/correspondence/%2E%2E/correspondence/0191", own},
		{"https://p.example/../../correspondence/api/v1/correspondence/0191", own},
		{"https://p.example/Correspondence/api/v1/correspondence/0191", "/Correspondence/api/v1/correspondence/0191"},
		{"https://p.example/a/b/", "/a/b/"},
		{"https://p.example/a/b/.", "/a/b/"},
		{"https://p.example/a/b/..", "/a/"},
		{"https://p.example/a%20b/c", "/a b/c"},
		{"https://p.example/a;v=1/b", "/a;v=1/b"},
		{"https://p.example/%C3%A6", "/æ"},
		{"https://p.example/a%2Fb", ""},
		{"https://p.example/a%2fb", ""},
		{"https://p.example/a%5Cb", ""},
		{"https://p.example/a%5cb", ""},
		{`https://p.example/a\b`, ""},
		{"https://p.example/a%00b", ""},
		{"https://p.example/a%0Ab", ""},
		{"https://p.example/a%7Fb", ""},
		{"https://p.example/%252e%252e/x", ""},
		{"https://p.example/a/..;/b", ""},
		{"https://p.example/a/.;x/b", ""},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.url, err)
		}
		got, err := CanonicalPath(u)
		if tt.want == "" {
			var r *Refusal
			if !errors.As(err, &r) || r.Reason != ReasonPath || !errors.Is(err, ErrURLRefused) {
				t.Errorf("CanonicalPath(%q) = %q, %v; want a ReasonPath refusal", tt.url, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CanonicalPath(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	// An opaque URL (built by hand; a parsed one fails the fence earlier) has no path to compare.
	if _, err := CanonicalPath(&url.URL{Scheme: "https", Opaque: "//p.example/x"}); err == nil {
		t.Errorf("CanonicalPath(opaque) = nil error, want a refusal")
	}
}

// TestAllowListNormalises: the ACTION_HOST_ALLOWLIST comparison reads URL hosts and list
// entries the way CanonicalOrigin does, so spelling neither lets a host past nor shuts an
// allowed one out.
func TestAllowListNormalises(t *testing.T) {
	t.Parallel()
	tests := []struct {
		allowed []string
		url     string
		want    bool
	}{
		{[]string{"example.org"}, "https://EXAMPLE.org./x", true},
		{[]string{"example.org"}, "https://example.org:443/x", true},
		{[]string{"example.org"}, "HTTPS://Example.Org:443/x", true},
		{[]string{"example.org"}, "https://example.org:8443/x", true}, // ports are not the allow-list's business
		{[]string{"EXAMPLE.org."}, "https://example.org/x", true},
		{[]string{" example.org:443 "}, "https://example.org/x", true},
		{[]string{"[2001:db8::1]"}, "https://[2001:DB8::1]/x", true},
		{[]string{"*.Example.ORG."}, "https://a.example.org./x", true},
		{[]string{"*.example.org"}, "https://example.org/x", false},
		{[]string{"example.org"}, "https://example.org.evil.example/x", false},
		{[]string{"example.org"}, "https://evilexample.org/x", false},
		{[]string{"example.org"}, "https://a.example.org/x", false},
		{[]string{""}, "https://example.org/x", false},
		{[]string{"*."}, "https://example.org/x", false},
	}
	for _, tt := range tests {
		c := New(Config{AllowedHosts: tt.allowed, AllowPrivateNetworks: true})
		err := c.Permits("GET", tt.url)
		if got := err == nil; got != tt.want {
			t.Errorf("allow-list %q, %q: err = %v, want allowed=%v", tt.allowed, tt.url, err, tt.want)
		}
		var r *Refusal
		if err != nil && (!errors.As(err, &r) || r.Reason != ReasonHost) {
			t.Errorf("allow-list %q, %q: err = %v, want ReasonHost", tt.allowed, tt.url, err)
		}
	}
}
