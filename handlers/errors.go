package handlers

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// Error is a handler error: the internal cause for the log, the status and the kind of message
// the user is shown (web.Error).
type Error = web.Error

// ErrorHandler is echo's HTTPErrorHandler: it logs the error once with the request id and
// renders the error page, or for an htmx request the error fragment. A request whose client is
// gone gets nothing. With a session the page has the logged-in header: the name from the
// session's cached parties (nil parties: none) and the log-out button.
//
// A refused CSRF check comes before the route's own middleware has loaded the session (the
// check guards every route), so for it the session is loaded here with load (login.Optional;
// nil: not), and the page is in the person's language with their header like any other.
func ErrorHandler(logger *slog.Logger, auth Sessions, parties PartyService, load func(http.Handler) http.Handler) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		r := c.Request()
		if load != nil && auth != nil && errors.Is(err, web.ErrCSRF) {
			if _, ok := auth.Session(r.Context()); !ok {
				r = withSession(load, r)
			}
		}
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
		status, kind, retry := web.Classify(err)
		props := errorProps(r, status, kind, retry)
		if auth != nil && kind != views.ErrUnauthorized {
			// A logged-in person's way forward is their inbox (the front page is a welcome).
			if _, ok := auth.Session(r.Context()); ok {
				props.InboxURL = "/inbox"
			}
		}
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
		lang := web.Lang(r, sessionLang(auth, r))
		var comp = views.ErrorMessage(lang, props)
		if web.IsHTMX(r) {
			// Swap the message into the page's error region whatever the request's target was.
			c.Response().Header().Set("HX-Retarget", "#app-messages")
			c.Response().Header().Set("HX-Reswap", "innerHTML")
		} else {
			comp = views.ErrorPage(errorChrome(r, auth, parties, lang, props.Heading(lang)), props)
		}
		if rerr := renderTo(c.Response(), r, status, comp); rerr != nil {
			logger.LogAttrs(r.Context(), slog.LevelError, "render error page",
				slog.String("request_id", props.RequestID), slog.String("error", rerr.Error()))
		}
	}
}

// freshTokenRefused is web.FreshTokenRefused for the request's session (nil without one).
func freshTokenRefused(a Sessions, r *http.Request, err error) error {
	if a == nil {
		return nil
	}
	s, ok := a.Session(r.Context())
	if !ok {
		return nil
	}
	return web.FreshTokenRefused(s.TokenIssuedAt, err)
}

// withSession is r with its session loaded by load when it has one. What load would write
// (a 503 when the store fails, the clearing of a stale cookie) is dropped: the error page
// goes on without a session then.
func withSession(load func(http.Handler) http.Handler, r *http.Request) *http.Request {
	out := r
	load(http.HandlerFunc(func(_ http.ResponseWriter, lr *http.Request) { out = lr })).ServeHTTP(discardWriter{}, r)
	return out
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}
