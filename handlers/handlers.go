// Package handlers is the portal's web layer: echo routes (routes.go lists them all), request
// parsing, the security headers and CSRF check, and the one error handler. A handler reads the
// request, calls the service layer (internal/inbox, behind the small interface it declares),
// builds view props and renders; it never calls Dialogporten or a service owner itself.
package handlers

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

	"github.com/innboks/innboks/static"
	"github.com/innboks/innboks/views"
)

// Config is the web layer's configuration.
type Config struct {
	// PublicURL is the portal's external base URL; its origin is the only one allowed to post.
	PublicURL string
	Security  SecurityConfig
	// SecureCookies is false only for plain-http localhost.
	SecureCookies bool
	// Live turns on live updates (webhook and stream); without a Secret the inbox polls.
	Live LiveConfig
}

// Deps is everything the handlers are built from, once: the login routes and session, and the
// service layer (internal/inbox) behind the small interfaces each handler declares.
type Deps struct {
	Config   Config
	Login    LoginRoutes
	Sessions Sessions
	Parties  PartyService
	Search   SearchService
	Dialogs  DialogService
	Logger   *slog.Logger
}

// Server is the configured echo instance.
type Server struct {
	Echo *echo.Echo

	pages   *Pages
	home    *Home
	lang    *Lang
	chooser *Parties
	inbox   *Inbox
	bulk    *Bulk
	dialog  *Dialog
	actions *Actions
	files   *Attachments
	live    *Live
	events  *Events
}

// New builds the handlers from d, the echo instance with its middleware and the one error
// handler, and registers every route (routes.go).
func New(d Deps) *Server {
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg := d.Config
	e := echo.New()
	e.HideBanner, e.HidePort = true, true

	e.Use(securityHeaders(cfg.Security))
	e.Use(requestID)
	e.Use(accessLog(logger))
	e.Use(recoverPanic)
	e.Use(limitBody(512 << 10))
	e.Use(csrfProtect(csrfConfig{
		Origin: origin(cfg.PublicURL),
		Secure: cfg.SecureCookies,
		// POST /events is server-to-server (Altinn Events): its secret authenticates it.
		Exempt: func(p string) bool { return strings.HasPrefix(p, static.Prefix) || p == "/healthz" || p == EventsPath },
	}))
	e.HTTPErrorHandler = ErrorHandler(logger, d.Sessions, d.Parties)

	b := base{auth: d.Sessions, parties: d.Parties}
	live := NewLive(b, d.Search, cfg.Live)
	s := &Server{
		Echo:    e,
		pages:   NewPages(),
		home:    NewHome(b),
		lang:    NewLang(d.Sessions, cfg.Security.HSTS),
		chooser: NewParties(b),
		inbox:   NewInbox(b, d.Search, live),
		bulk:    NewBulk(b, d.Dialogs),
		dialog:  NewDialog(b, d.Dialogs, live, logger),
		actions: NewActions(b, d.Dialogs),
		files:   NewAttachments(b, d.Dialogs),
		live:    live,
		events:  NewEvents(cfg.Live, logger),
	}
	s.routes(e, d.Login)
	return s
}

// EndStreams ends the open live-update streams, so a graceful shutdown need not wait for them
// (cmd/web: srv.RegisterOnShutdown(app.EndStreams)).
func (s *Server) EndStreams() { s.live.End() }

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestID gives every request an id (a well-formed incoming X-Request-Id from the load
// balancer is kept), echoes it in the response and keeps it for the logs and the error page.
func requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDPattern.MatchString(id) {
			id = uuid.NewString()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		setPageValue(c, func(p *pageInfo) { p.RequestID = id })
		return next(c)
	}
}

// accessLog writes one line per request: method, path (never the query string, which may hold
// search text), status, duration and request id. Errors are handed to the error handler here, so
// the line has the final status; the error handler logs the cause.
func accessLog(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			if err := next(c); err != nil {
				c.Error(err)
			}
			r := c.Request()
			if strings.HasPrefix(r.URL.Path, static.Prefix) {
				return nil
			}
			logger.LogAttrs(context.WithoutCancel(r.Context()), slog.LevelInfo, "request",
				slog.String("request_id", pageFrom(r.Context()).RequestID),
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", c.Response().Status), slog.Bool("htmx", isHTMX(r)),
				slog.Duration("duration", time.Since(start)))
			return nil
		}
	}
}

// origin returns scheme://host of a URL in lower case ("" when it has none), as browsers send it
// in Origin.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// recoverPanic turns a panic in a handler into a 500 error (logged once by the error handler),
// so one bad request cannot take the process down.
func recoverPanic(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				err = &Error{Status: http.StatusInternalServerError, Kind: views.ErrInternal, Msg: fmt.Sprintf("panic: %v", v)}
			}
		}()
		return next(c)
	}
}

// limitBody caps request bodies (forms are small; bulk posts carry at most 1000 ids).
func limitBody(n int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > n {
				return &Error{Status: http.StatusRequestEntityTooLarge, Kind: views.ErrBadRequest, Msg: "body too large"}
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, n)
			return next(c)
		}
	}
}
