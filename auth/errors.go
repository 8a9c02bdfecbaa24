package auth

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrorKind says which step of the login failed, so the web layer can choose its message.
type ErrorKind int

// The kinds of login failure. The zero value is never used.
const (
	KindState    ErrorKind = iota + 1 // state missing, unknown, expired, used, or not this browser's
	KindIssuer                        // the authorization response's iss (RFC 9207) is not our issuer
	KindProvider                      // ID-porten answered with an error, or could not be reached
	KindCode                          // the token endpoint refused the code (reused, wrong PKCE verifier)
	KindIDToken                       // the ID token is missing, badly signed, expired, or not for us
	KindNonce                         // the ID token's nonce is not the one of this attempt
	KindACR                           // the ID token's acr is below the level asked for
	KindIdentity                      // the ID token has no valid pid (11 digits)
	KindSession                       // the session store failed
	KindRequest                       // a malformed request to one of our endpoints
)

// String names the kind for logs and metrics.
func (k ErrorKind) String() string {
	switch k {
	case KindState:
		return "state"
	case KindIssuer:
		return "issuer"
	case KindProvider:
		return "provider"
	case KindCode:
		return "code"
	case KindIDToken:
		return "id_token"
	case KindNonce:
		return "nonce"
	case KindACR:
		return "acr"
	case KindIdentity:
		return "identity"
	case KindSession:
		return "session"
	case KindRequest:
		return "request"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is a failed login step. Status is the HTTP status to answer with; Err is the internal
// cause, for logs only. Neither ever contains a token, a code or a national identity number.
type Error struct {
	Kind   ErrorKind
	Status int
	Err    error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Err == nil {
		return "auth: " + e.Kind.String()
	}
	return "auth: " + e.Kind.String() + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

func newError(kind ErrorKind, err error) *Error {
	status := http.StatusBadRequest
	switch kind {
	case KindACR:
		status = http.StatusForbidden
	case KindProvider:
		status = http.StatusBadGateway
	case KindSession:
		status = http.StatusServiceUnavailable
	}
	return &Error{Kind: kind, Status: status, Err: err}
}

// ErrSessionEnded is returned by a TokenSource when the access token could not be refreshed and
// the session was therefore ended: the user has to log in again.
var ErrSessionEnded = errors.New("auth: session ended")

// ErrNotFound is returned by a Store for an id it does not hold (never stored, deleted, expired).
var ErrNotFound = errors.New("auth: not found")

// ErrLocked is returned by Store.Lock when another holder has the lock.
var ErrLocked = errors.New("auth: locked")

// tokenEndpointError describes a failed token request without its body, which a misbehaving
// provider could fill with anything.
type tokenEndpointError struct {
	Status int    // HTTP status, 0 when the provider was not reached
	Code   string // the RFC 6749 error code
	cause  error  // why the provider was not reached (a transport error, never a body)
}

func (e *tokenEndpointError) Error() string {
	if e.Status == 0 {
		return fmt.Sprintf("token endpoint unreachable: %v", e.cause)
	}
	return fmt.Sprintf("token endpoint: status %d, error %q", e.Status, e.Code)
}

// Unwrap returns the transport error, if any.
func (e *tokenEndpointError) Unwrap() error { return e.cause }

// rejected reports whether the provider refused the grant (as opposed to being unavailable).
func (e *tokenEndpointError) rejected() bool { return e.Status >= 400 && e.Status < 500 }
