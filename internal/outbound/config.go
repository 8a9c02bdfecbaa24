package outbound

import (
	"crypto/x509"
	"net/http"
	"time"
)

// Defaults used when a Config field is zero.
const (
	DefaultConnectTimeout  = 5 * time.Second
	DefaultHeaderTimeout   = 10 * time.Second
	DefaultTotalTimeout    = 20 * time.Second
	DefaultDownloadTimeout = 30 * time.Minute
	DefaultMaxRedirects    = 5
	// DefaultContentLimit is the largest front-channel embed or action answer read (100 KB).
	DefaultContentLimit = 100 * 1000
	// DefaultDownloadLimit is the largest attachment streamed (1 GiB + a margin).
	DefaultDownloadLimit = 2 << 30
)

// Config says how outbound calls are fenced in. The zero value is the production default.
type Config struct {
	// ConnectTimeout bounds the TCP connect and the TLS handshake, each.
	ConnectTimeout time.Duration
	// HeaderTimeout bounds the wait for response headers after the request is written.
	HeaderTimeout time.Duration
	// TotalTimeout bounds a whole content fetch or action call, body included.
	TotalTimeout time.Duration
	// DownloadTimeout bounds a whole attachment download, body included.
	DownloadTimeout time.Duration
	// MaxRedirects is the number of same-host redirects followed (5 when 0; -1 for none).
	MaxRedirects int
	// ContentLimit is the largest body Fetch and Call read, in bytes (100 KB when 0).
	ContentLimit int64
	// DownloadLimit is the largest body Download streams, in bytes (2 GiB when 0).
	DownloadLimit int64
	// AllowedHosts, when not empty, is the only hosts called: exact names ("a.example.no")
	// or suffix patterns ("*.example.no", which does not match example.no itself). Entries
	// and URL hosts are compared as canonical hosts: case, trailing dots, ports and IPv6
	// brackets do not matter ("EXAMPLE.org.:443" is example.org).
	AllowedHosts []string
	// AllowHTTPLoopback lets plain http reach loopback hosts (127.0.0.0/8, ::1, localhost):
	// the dev stack's emulator. Never set in production.
	AllowHTTPLoopback bool
	// AllowPrivateNetworks lets calls reach loopback, private and link-local addresses (also
	// as IP literals in URLs, which are refused before any call without it). The
	// dev stack and tests set it; production leaves it off so a service owner's URL cannot
	// reach Innboks' own network (cloud metadata, Redis, …).
	AllowPrivateNetworks bool
	// RootCAs replaces the system roots (tests with httptest TLS servers).
	RootCAs *x509.CertPool
	// UserAgent is sent on every request ("Innboks" when empty).
	UserAgent string
	// WrapTransport, when set, wraps the fenced transport (e.g. with metrics). The wrapper sees
	// every request and response; the address, redirect and size rules stay in force.
	WrapTransport func(http.RoundTripper) http.RoundTripper
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ConnectTimeout, DefaultConnectTimeout)
	def(&c.HeaderTimeout, DefaultHeaderTimeout)
	def(&c.TotalTimeout, DefaultTotalTimeout)
	def(&c.DownloadTimeout, DefaultDownloadTimeout)
	switch {
	case c.MaxRedirects == 0:
		c.MaxRedirects = DefaultMaxRedirects
	case c.MaxRedirects < 0:
		c.MaxRedirects = 0
	}
	if c.ContentLimit <= 0 {
		c.ContentLimit = DefaultContentLimit
	}
	if c.DownloadLimit <= 0 {
		c.DownloadLimit = DefaultDownloadLimit
	}
	if c.UserAgent == "" {
		c.UserAgent = "Innboks"
	}
	return c
}
