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
	// KindConfig: Innboks and the provider are not set up for each other. The token endpoint
	// refused the client itself (invalid_client, unauthorized_client, invalid_request,
	// invalid_scope, unsupported_grant_type), the authorization endpoint refused the request
	// as such, or the ID token's claims have a form Innboks cannot read (an acr that is not a
	// string). Trying again cannot help; the operator has to fix the configuration.
	KindConfig
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
	case KindConfig:
		return "config"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is a failed login step. Status is the HTTP status to answer with; Err is the internal
// cause, for logs only. Neither ever contains a token, a code or a national identity number.
type Error struct {
	Kind   ErrorKind
	Status int
	// Provider is the provider's own error (error, error_description) when it sent one, from the
	// authorization response or the token endpoint; nil otherwise. It is also in Err's chain.
	Provider *ProviderError
	Err      error
}

// Permanent reports whether trying the login again cannot help: the provider and Innboks are
// not set up for each other (KindConfig), or the provider gave no usable national identity
// number (KindIdentity). The page should say so rather than offer to try again.
func (e *Error) Permanent() bool { return e.Kind == KindConfig || e.Kind == KindIdentity }

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
	case KindConfig:
		status = http.StatusInternalServerError
	}
	e := &Error{Kind: kind, Status: status, Err: err}
	errors.As(err, &e.Provider)
	return e
}

// ErrSessionEnded is returned by a TokenSource when the access token could not be refreshed and
// the session was therefore ended: the user has to log in again.
var ErrSessionEnded = errors.New("auth: session ended")

// ErrNotFound is returned by a Store for an id it does not hold (never stored, deleted, expired).
var ErrNotFound = errors.New("auth: not found")

// ErrLocked is returned by Store.Lock when another holder has the lock.
var ErrLocked = errors.New("auth: locked")

// ProviderError is the provider's own account of a failure (RFC 6749 §4.1.2.1 and §5.2): the
// error code and error_description of an authorization response or a token-endpoint answer,
// cleaned for logs (see cleanProviderText). An authorization response comes through the
// browser, so anyone can write its text: log it, do not show it.
type ProviderError struct {
	Endpoint    string // "authorization" or "token"
	Status      int    // the token endpoint's HTTP status; 0 for the authorization endpoint, or when the provider was not reached
	Code        string // error, e.g. invalid_grant, access_denied
	Description string // error_description
	cause       error  // why the token endpoint was not reached (a transport error, never a body)
}

func (e *ProviderError) Error() string {
	var s string
	switch {
	case e.Endpoint == "authorization":
		s = fmt.Sprintf("authorization error %q", e.Code)
	case e.Status == 0:
		return fmt.Sprintf("token endpoint unreachable: %v", e.cause)
	default:
		s = fmt.Sprintf("token endpoint: status %d, error %q", e.Status, e.Code)
	}
	if e.Description != "" {
		s += fmt.Sprintf(" (%q)", e.Description)
	}
	return s
}

// Unwrap returns the transport error, if any.
func (e *ProviderError) Unwrap() error { return e.cause }

// rejected reports whether the token endpoint refused the grant (as opposed to being
// unavailable).
func (e *ProviderError) rejected() bool { return e.Status >= 400 && e.Status < 500 }

// configError reports whether the provider refused the client or the request as such, which a
// new attempt repeats: RFC 6749's codes for that, and a 401 without one.
func (e *ProviderError) configError() bool {
	switch e.Code {
	case "invalid_client", "unauthorized_client", "invalid_request", "invalid_scope",
		"unsupported_grant_type", "unsupported_response_type":
		return true
	}
	return e.Code == "" && e.Status == http.StatusUnauthorized
}
