package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// Error is a handler error that keeps the internal cause (logged) apart from what the user is
// shown (Kind, translated by the views) and the status code.
type Error struct {
	Status     int
	Kind       views.ErrorKind
	Msg        string // internal, for the log
	Err        error  // internal cause, for the log
	RetryAfter time.Duration
}

// Error implements error with the internal message (never shown to users).
func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

// Unwrap returns the internal cause.
func (e *Error) Unwrap() error { return e.Err }

// Classify maps any error to status and user-facing kind. dpclient's typed errors keep their
// meaning: 401 log in again, 403 no access (or step up), 404/410 gone, 429/502/503 try again.
func Classify(err error) (status int, kind views.ErrorKind, retryAfter time.Duration) {
	var he *Error
	if errors.As(err, &he) {
		return he.Status, he.Kind, he.RetryAfter
	}
	switch {
	case errors.Is(err, ErrCSRF):
		return http.StatusForbidden, views.ErrCSRF, 0
	case errors.Is(err, inbox.ErrNotFound):
		return http.StatusNotFound, views.ErrNotFound, 0
	case errors.Is(err, inbox.ErrBusy):
		return http.StatusTooManyRequests, views.ErrBusy, 2 * time.Second
	}
	var de *dpclient.Error
	if errors.As(err, &de) {
		retryAfter = de.RetryAfter
	}
	switch {
	case errors.Is(err, dpclient.ErrUnauthorized):
		return http.StatusUnauthorized, views.ErrUnauthorized, 0
	case errors.Is(err, dpclient.ErrAuthLevelTooLow):
		return http.StatusForbidden, views.ErrAuthLevel, 0
	case errors.Is(err, dpclient.ErrForbidden):
		return http.StatusForbidden, views.ErrForbidden, 0
	case errors.Is(err, dpclient.ErrNotFound):
		return http.StatusNotFound, views.ErrNotFound, 0
	case errors.Is(err, dpclient.ErrGone):
		return http.StatusGone, views.ErrGone, 0
	case errors.Is(err, dpclient.ErrRateLimited):
		return http.StatusTooManyRequests, views.ErrBusy, retryAfter
	case errors.Is(err, dpclient.ErrUnavailable):
		return http.StatusServiceUnavailable, views.ErrBusy, retryAfter
	case errors.Is(err, dpclient.ErrUnprocessable):
		return http.StatusUnprocessableEntity, views.ErrTooBroad, 0
	case errors.Is(err, dpclient.ErrBadRequest):
		return http.StatusBadRequest, views.ErrBadRequest, 0
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout, views.ErrBusy, 0
	}
	var ee *echo.HTTPError
	if errors.As(err, &ee) {
		switch ee.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed:
			return ee.Code, views.ErrNotFound, 0
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			return ee.Code, views.ErrBadRequest, 0
		case http.StatusForbidden:
			return ee.Code, views.ErrForbidden, 0
		case http.StatusTooManyRequests, http.StatusServiceUnavailable:
			return ee.Code, views.ErrBusy, 0
		}
		return ee.Code, views.ErrInternal, 0
	}
	return http.StatusInternalServerError, views.ErrInternal, 0
}

// ActionError maps a failed action, download or content call: what Innboks itself refused
// (not authorized, not offered, a URL the fence refuses, another dialog's correspondence) is
// said as such, and trying again cannot help; the service owner failing is 502 (504 for a
// timeout), with a retry.
func ActionError(msg string, err error) error {
	switch {
	case errors.Is(err, inbox.ErrNotFound):
		return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: msg, Err: err}
	case errors.Is(err, inbox.ErrExpired):
		return &Error{Status: http.StatusGone, Kind: views.ErrGone, Msg: msg, Err: err}
	case errors.Is(err, inbox.ErrNotAuthorized), errors.Is(err, inbox.ErrCorrespondenceMismatch):
		return &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: msg, Err: err}
	case errors.Is(err, inbox.ErrNotOffered), errors.Is(err, outbound.ErrURLRefused),
		errors.Is(err, outbound.ErrAddressRefused), errors.Is(err, outbound.ErrRedirectRefused):
		return &Error{Status: http.StatusForbidden, Kind: views.ErrNotOffered, Msg: msg + ": refused by the portal", Err: err}
	case errors.Is(err, inbox.ErrBusy):
		return err
	}
	var de *dpclient.Error
	if errors.As(err, &de) || errors.Is(err, context.Canceled) {
		return err // Dialogporten's answer keeps its meaning (Classify maps it)
	}
	status := http.StatusBadGateway
	if errors.Is(err, outbound.ErrTimeout) {
		status = http.StatusGatewayTimeout
	}
	return &Error{Status: status, Kind: views.ErrServiceOwner, Msg: msg, Err: err}
}

// ContentProblem maps a failed content fetch to the message to show (an i18n key) and whether
// a retry may help (the service owner was down or slow, not refusing). What the portal itself
// refused is said as such, not blamed on the service owner.
func ContentProblem(err error) (retry bool, key string) {
	var se *outbound.StatusError
	switch {
	case errors.Is(err, inbox.ErrNotAuthorized):
		return false, "dialog.contentNoAccess"
	case errors.Is(err, inbox.ErrNotOffered), errors.Is(err, inbox.ErrNotFound):
		return false, "dialog.notOffered"
	case errors.Is(err, outbound.ErrTooLarge):
		return false, "dialog.contentTooLarge"
	case errors.Is(err, outbound.ErrURLRefused), errors.Is(err, outbound.ErrAddressRefused), errors.Is(err, outbound.ErrRedirectRefused):
		return false, "dialog.contentBlocked"
	case errors.As(err, &se) && se.StatusCode < 500 && se.StatusCode != http.StatusTooManyRequests:
		return false, "dialog.contentRefused"
	}
	return true, "dialog.contentDown"
}

// RefusalText is a translated reason the portal will not carry something out ("" for nil).
func RefusalText(lang i18n.Lang, err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, inbox.ErrNotAuthorized):
		return lang.T("dialog.unauthorized")
	case errors.Is(err, inbox.ErrExpired):
		return lang.T("dialog.expired")
	case errors.Is(err, outbound.ErrURLRefused), errors.Is(err, outbound.ErrAddressRefused):
		return lang.T("dialog.blocked")
	}
	return lang.T("dialog.notOffered")
}

// RetryAfter is how long Dialogporten asked to wait after a failed call (0: it did not say).
func RetryAfter(err error) time.Duration {
	var de *dpclient.Error
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return 0
}

// freshTokenWindow is how long after its issue a refused access token means a configuration
// error (a wrong scope, audience or issuer) rather than an expired login.
const freshTokenWindow = 60 * time.Second

// FreshTokenRefused turns Dialogporten's 401 on a token issued moments ago (issued; zero:
// unknown) into a configuration error: logging in again would only land on the same page. It
// returns nil otherwise.
func FreshTokenRefused(issued time.Time, err error) error {
	var de *dpclient.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusUnauthorized || issued.IsZero() || time.Since(issued) > freshTokenWindow {
		return nil
	}
	return &Error{Status: http.StatusBadGateway, Kind: views.ErrConfig,
		Msg: "Dialogporten refused a fresh access token (check scopes, audience, issuer); WWW-Authenticate: " + de.Authenticate, Err: err}
}
