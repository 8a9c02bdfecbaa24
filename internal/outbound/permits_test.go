package outbound

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// sink stands in for the network behind the fence: it counts what reaches it and answers 200.
type sink struct{ n atomic.Int32 }

func (s *sink) RoundTrip(req *http.Request) (*http.Response, error) {
	s.n.Add(1)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req,
		Body: io.NopCloser(strings.NewReader("ok"))}, nil
}

// TestPermitsAgreesWithCall: what Permits allows when the page is drawn is what a call sends
// when the person clicks, and what it refuses, the call refuses before sending, for the same
// reason.
func TestPermitsAgreesWithCall(t *testing.T) {
	t.Parallel()
	listed := Config{AllowedHosts: []string{"*.example.no", "tjeneste.example"}}
	open := Config{}
	dev := Config{AllowHTTPLoopback: true, AllowPrivateNetworks: true}
	tests := []struct {
		cfg    Config
		method string
		url    string
		want   Reason // "" when allowed
	}{
		{listed, "GET", "https://a.example.no/x", ""},
		{listed, "", "https://a.example.no/x?y=1", ""},
		{listed, "post", "https://a.example.no/x", ""},
		{listed, "DELETE", "https://tjeneste.example/x", ""},
		{listed, "GET", "HTTPS://A.Example.NO.:443/x", ""},
		{listed, "TRACE", "https://a.example.no/x", ReasonMethod},
		{listed, "OPTIONS", "https://a.example.no/x", ReasonMethod},
		{listed, "CONNECT", "https://a.example.no/x", ReasonMethod},
		{listed, "PROPFIND", "https://a.example.no/x", ReasonMethod},
		{listed, "GET", "http://a.example.no/x", ReasonScheme},
		{listed, "GET", "https://example.no/x", ReasonHost},
		{listed, "GET", "https://evil.example/x", ReasonHost},
		{listed, "GET", "https://10.0.0.1/x", ReasonHost},
		{open, "GET", "https://anything.example/x", ""},
		{open, "GET", "https://93.184.216.34/x", ""},
		{open, "GET", "https://10.0.0.1/x", ReasonAddress},
		{open, "GET", "https://127.0.0.1:8443/x", ReasonAddress},
		{open, "GET", "https://[::1]/x", ReasonAddress},
		{open, "GET", "https://[::ffff:169.254.169.254]/latest", ReasonAddress},
		{open, "GET", "https://169.254.169.254./latest", ReasonAddress},
		{open, "GET", "https://[2001:db8::1]/x", ReasonAddress},
		{open, "GET", "urn:dialogporten:unauthorized", ReasonForm},
		{open, "GET", "https://u:pw@anything.example/x", ReasonForm},
		{open, "GET", "/relative", ReasonForm},
		{open, "GET", "//anything.example/x", ReasonForm},
		{open, "GET", "javascript:alert(1)", ReasonForm},
		{open, "GET", "https://anything.example/%zz", ReasonForm},
		{open, "GET", "", ReasonForm},
		{open, "GET", "ftp://anything.example/x", ReasonScheme},
		{open, "GET", "http://localhost/x", ReasonScheme},
		{dev, "GET", "http://127.0.0.1:8080/x", ""},
		{dev, "GET", "http://localhost:8080/x", ""},
		{dev, "POST", "https://10.0.0.1/x", ""},
		{dev, "GET", "http://10.0.0.1/x", ReasonScheme},
		{dev, "TRACE", "http://localhost:8080/x", ReasonMethod},
	}
	for _, tt := range tests {
		s := &sink{}
		cfg := tt.cfg
		cfg.WrapTransport = func(http.RoundTripper) http.RoundTripper { return s }
		c := New(cfg)
		permitErr := c.Permits(tt.method, tt.url)
		_, callErr := c.Call(context.Background(), Request{Method: tt.method, URL: tt.url})
		sent := s.n.Load() > 0

		var got Reason
		if r := (*Refusal)(nil); errors.As(permitErr, &r) {
			got = r.Reason
		} else if permitErr != nil {
			t.Errorf("Permits(%s, %q) = %v, want a *Refusal", tt.method, tt.url, permitErr)
		}
		if got != tt.want {
			t.Errorf("Permits(%s, %q) = %v, want reason %q", tt.method, tt.url, permitErr, tt.want)
		}
		switch {
		case permitErr == nil && (!sent || callErr != nil):
			t.Errorf("%s %q: Permits allows it but the call sent %v, err %v", tt.method, tt.url, sent, callErr)
		case permitErr != nil && sent:
			t.Errorf("%s %q: Permits refuses it (%v) but the call sent it", tt.method, tt.url, permitErr)
		case permitErr != nil && (callErr == nil || callErr.Error() != permitErr.Error()):
			t.Errorf("%s %q: the call said %v, Permits %v", tt.method, tt.url, callErr, permitErr)
		}
		if permitErr != nil && !errors.Is(permitErr, ErrURLRefused) {
			t.Errorf("Permits(%s, %q) = %v, want it to match ErrURLRefused", tt.method, tt.url, permitErr)
		}
		if got := errors.Is(permitErr, ErrAddressRefused); got != (tt.want == ReasonAddress) {
			t.Errorf("Permits(%s, %q) matches ErrAddressRefused: %v, want %v", tt.method, tt.url, got, !got)
		}
	}
}
