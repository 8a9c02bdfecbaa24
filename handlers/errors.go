package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
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

// classify maps any error to status and user-facing props. dpclient's typed errors keep their
// meaning: 401 log in again, 403 no access (or step up), 404/410 gone, 429/502/503 try again.
func classify(err error) (status int, kind views.ErrorKind, retryAfter time.Duration) {
	var he *Error
	if errors.As(err, &he) {
		return he.Status, he.Kind, he.RetryAfter
	}
	switch {
	case errors.Is(err, web.ErrCSRF):
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

// ErrorHandler is echo's HTTPErrorHandler: it logs the error once with the request id and
// renders the error page, or for an htmx request the error fragment. A request whose client is
// gone gets nothing. With a session the page has the logged-in header: the name from the
// session's cached parties (nil parties: none) and the log-out button.
func ErrorHandler(logger *slog.Logger, auth Sessions, parties PartyService) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		r := c.Request()
		var lf *LoginFailure
		if errors.As(err, &lf) {
			loginError(logger, c, lf)
			return
		}
		if fresh := freshTokenRefused(auth, r, err); fresh != nil {
			err = fresh
		}
		if c.Response().Committed {
			logger.LogAttrs(r.Context(), slog.LevelWarn, "error after response started",
				slog.String("request_id", web.PageFrom(r.Context()).RequestID), slog.String("error", err.Error()))
			return
		}
		if errors.Is(err, context.Canceled) || r.Context().Err() != nil {
			logger.LogAttrs(context.Background(), slog.LevelDebug, "request cancelled",
				slog.String("request_id", web.PageFrom(r.Context()).RequestID), slog.String("path", r.URL.Path))
			return
		}
		status, kind, retry := classify(err)
		props := errorProps(r, status, kind, retry)
		level := slog.LevelInfo
		if status >= 500 && kind != views.ErrBusy && kind != views.ErrConfig {
			level = slog.LevelError
		} else if kind == views.ErrBusy || kind == views.ErrCSRF || kind == views.ErrConfig {
			level = slog.LevelWarn
		}
		logger.LogAttrs(r.Context(), level, "request failed",
			slog.String("request_id", props.RequestID), slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Int("status", status), slog.String("kind", string(kind)),
			slog.String("error", err.Error()))

		if retry > 0 {
			c.Response().Header().Set("Retry-After", props.RetryAfterHeader())
		}
		if kind == views.ErrUnauthorized && web.IsHTMX(r) {
			// An htmx request cannot follow a login redirect in place: tell htmx to navigate.
			c.Response().Header().Set("HX-Redirect", props.LoginURL)
		}
		lang := langFrom(r, sessionLang(auth, r))
		var comp = views.ErrorMessage(lang, props)
		if web.IsHTMX(r) {
			// Swap the message into the page's error region whatever the request's target was.
			c.Response().Header().Set("HX-Retarget", "#app-messages")
			c.Response().Header().Set("HX-Reswap", "innerHTML")
		} else {
			comp = views.ErrorPage(errorChrome(r, auth, parties, lang), props)
		}
		if rerr := renderTo(c.Response(), r, status, comp); rerr != nil {
			logger.LogAttrs(r.Context(), slog.LevelError, "render error page",
				slog.String("request_id", props.RequestID), slog.String("error", rerr.Error()))
		}
	}
}

// freshTokenWindow is how long after its issue a refused access token means a configuration
// error (a wrong scope, audience or issuer) rather than an expired login.
const freshTokenWindow = 60 * time.Second

// freshTokenRefused turns Dialogporten's 401 on a token issued moments ago into a configuration
// error: logging in again would only land on the same page. It returns nil otherwise.
func freshTokenRefused(a Sessions, r *http.Request, err error) error {
	var de *dpclient.Error
	if a == nil || !errors.As(err, &de) || de.StatusCode != http.StatusUnauthorized {
		return nil
	}
	s, ok := a.Session(r.Context())
	if !ok || s.TokenIssuedAt.IsZero() || time.Since(s.TokenIssuedAt) > freshTokenWindow {
		return nil
	}
	return &Error{Status: http.StatusBadGateway, Kind: views.ErrConfig,
		Msg: "Dialogporten refused a fresh access token (check scopes, audience, issuer); WWW-Authenticate: " + de.Authenticate, Err: err}
}
