package outbound

import (
	"errors"
	"fmt"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrURLRefused: the URL's scheme, host or form is not allowed (not https, not on the
	// allow-list, a Dialogporten placeholder, user info in the URL, …).
	ErrURLRefused = errors.New("outbound: URL refused")
	// ErrAddressRefused: the host resolved to a loopback, private or otherwise special address.
	ErrAddressRefused = errors.New("outbound: address refused")
	// ErrRedirectRefused: a redirect to another host or scheme, or too many redirects.
	ErrRedirectRefused = errors.New("outbound: redirect refused")
	// ErrTooLarge: the body is larger than the limit.
	ErrTooLarge = errors.New("outbound: response too large")
	// ErrTimeout: a timeout expired (connect, headers or total).
	ErrTimeout = errors.New("outbound: timeout")
	// ErrUnavailable: the service owner could not be reached or answered with an error status.
	ErrUnavailable = errors.New("outbound: service unavailable")
)

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
