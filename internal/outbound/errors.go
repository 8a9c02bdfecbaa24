package outbound

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrURLRefused: the URL's scheme, host, method or form is not allowed (not https, not on
	// the allow-list, a Dialogporten placeholder, user info in the URL, refused by the
	// Request's Guard, …). Every *Refusal matches it.
	ErrURLRefused = errors.New("outbound: URL refused")
	// ErrAddressRefused: the host is, or resolved to, a loopback, private or otherwise special
	// address.
	ErrAddressRefused = errors.New("outbound: address refused")
	// ErrRedirectRefused: a redirect to another origin, one the fence or the Request's Guard
	// refuses, one that does not parse, or too many redirects.
	ErrRedirectRefused = errors.New("outbound: redirect refused")
	// ErrTooLarge: the body is larger than the limit.
	ErrTooLarge = errors.New("outbound: response too large")
	// ErrTimeout: a timeout expired (connect, headers or total).
	ErrTimeout = errors.New("outbound: timeout")
	// ErrUnavailable: the service owner could not be reached or answered with an error status.
	ErrUnavailable = errors.New("outbound: service unavailable")
)

// Reason says why the fence refuses a URL before anything is sent; the page shows it.
type Reason string

// The reasons of a Refusal.
const (
	// ReasonForm: not an absolute URL with a host (a Dialogporten placeholder, a relative or
	// opaque URL), user info in it, or unparseable.
	ReasonForm Reason = "malformed URL"
	// ReasonScheme: not https (plain http only to loopback in the dev stack).
	ReasonScheme Reason = "not https"
	// ReasonHost: the host is not on the allow-list (ACTION_HOST_ALLOWLIST).
	ReasonHost Reason = "host not allowed"
	// ReasonMethod: a method the fence never sends (TRACE, OPTIONS, CONNECT, …).
	ReasonMethod Reason = "method not allowed"
	// ReasonAddress: the host is a literal loopback, private or otherwise special IP address.
	ReasonAddress Reason = "address not allowed"
	// ReasonPath: a path CanonicalPath cannot read one way only (encoded slash, backslash,
	// control character, bad escape).
	ReasonPath Reason = "ambiguous path"
)

// Refusal is the fence refusing a URL before anything is sent (Permits, Check, CanonicalPath,
// and the same check at the start of every call). It matches ErrURLRefused, and
// ErrAddressRefused too for ReasonAddress. It names at most the URL's origin, never its path
// or query.
type Refusal struct {
	Reason Reason
	// Origin is the URL's CanonicalOrigin ("" when it has none).
	Origin string
	// Detail says more for logs, in words of the fence (never a part of the URL but its origin).
	Detail string
}

// Error describes the refusal: reason, detail, origin.
func (r *Refusal) Error() string {
	var b strings.Builder
	b.WriteString("outbound: URL refused: ")
	b.WriteString(string(r.Reason))
	if r.Detail != "" {
		b.WriteString(" (" + r.Detail + ")")
	}
	if r.Origin != "" {
		b.WriteString(": " + r.Origin)
	}
	return b.String()
}

// Is makes every Refusal match ErrURLRefused, and an address refusal ErrAddressRefused.
func (r *Refusal) Is(target error) bool {
	return target == ErrURLRefused || (target == ErrAddressRefused && r.Reason == ReasonAddress)
}

// StatusError is a non-2xx answer from a service owner. It matches ErrUnavailable for 5xx and
// for 429.
type StatusError struct {
	StatusCode int
}

// Error describes the status.
func (e *StatusError) Error() string { return fmt.Sprintf("outbound: status %d", e.StatusCode) }

// Is makes 5xx and 429 match ErrUnavailable.
func (e *StatusError) Is(target error) bool {
	return target == ErrUnavailable && (e.StatusCode >= 500 || e.StatusCode == 429)
}
