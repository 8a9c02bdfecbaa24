package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
)

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// RequestID gives every request an id (a well-formed incoming X-Request-Id from the load
// balancer is kept), echoes it in the response and keeps it for the logs and the error page.
// Paths under skip (the static files, which AccessLog does not log either) get none: the id
// would name no log line, and the 50 bytes went out on every asset of a cold load.
func RequestID(skip string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip != "" && strings.HasPrefix(c.Request().URL.Path, skip) {
				return next(c)
			}
			id := c.Request().Header.Get(echo.HeaderXRequestID)
			if !requestIDPattern.MatchString(id) {
				id = uuid.NewString()
			}
			c.Response().Header().Set(echo.HeaderXRequestID, id)
			SetPage(c, func(p *Page) { p.RequestID = id })
			return next(c)
		}
	}
}

// AccessLog writes one line per request: method, path (never the query string, which may hold
// search text), status, duration and request id; paths under skip (static files) are not logged. Errors are handed to the error handler here, so
// the line has the final status; the error handler logs the cause.
func AccessLog(logger *slog.Logger, skip string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			r := c.Request()
			if skip != "" && strings.HasPrefix(r.URL.Path, skip) {
				return nil
			}
			logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelInfo, "request",
				slog.String("request_id", PageFrom(r.Context()).RequestID),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", c.Response().Status), slog.Bool("htmx", IsHTMX(r)),
				slog.Duration("duration", time.Since(start)))
			return nil
		}
	}
}

// Origin returns scheme://host of a URL in lower case ("" when it has none), as browsers send it
// in Origin.
func Origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// Recover turns a panic in a handler into a 500 error (logged once by the error handler),
// so one bad request cannot take the process down.
func Recover(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				err = fmt.Errorf("panic: %v", v)
			}
		}()
		return next(c)
	}
}

// LimitBody caps request bodies (forms are small; bulk posts carry at most 1000 ids).
func LimitBody(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > n {
				return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "body too large")
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, n)
			return next(c)
		}
	}
}
