// Package handlers is the portal's web layer: echo routes (routes.go lists them all), request
// parsing, view props and the one error handler (the middleware is internal/web). A handler reads the
// request, calls the service layer (internal/inbox, behind the small interface it declares),
// builds view props and renders; it never calls Dialogporten or a service owner itself.
package handlers

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/static"
)

// SecurityConfig shapes the security headers (internal/web).
type SecurityConfig = web.SecurityConfig

// FrontChannelLogoutPath is the one route the IdP may frame.
const FrontChannelLogoutPath = web.FrontChannelLogoutPath

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
	// Results exports a search's results (*export.Results).
	Results ResultsExporter
	// Zip puts many dialogs' attachments in one ZIP (*export.Attachments).
	Zip AttachmentZipper
	// Saved is the person's saved searches (*savedsearch.Searches).
	Saved SavedSearches
	// Workspace is what the person keeps in Innboks: preferences, favourites, groups
	// (*workspace.Workspace). Nil: none (pages work without stars, groups or stored
	// preferences; changing them fails).
	Workspace WorkspaceService
	// Text renders the dialog's own text fields (summaries, additional info); shared with the
	// service layer's content rendering, so one bound covers every render.
	Text   *richtext.Renderer
	Logger *slog.Logger
}

// Server is the configured echo instance.
type Server struct {
	Echo *echo.Echo

	inbox   *Inbox              // the list (its clock is the tests' seam)
	live    *Live               // the list's live updates, ended at shutdown
	streams *live.DialogStreams // the open dialogs' subscriptions; nil: off
}

// New builds the handlers from d, the echo instance with its middleware and the one error
// handler, and registers every route (routes.go).
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	cfg, logger := d.Config, d.Logger
	e := echo.New()
	e.HideBanner, e.HidePort = true, true

	e.Use(web.SecurityHeaders(cfg.Security))
	e.Use(web.RequestID(static.Prefix))
	e.Use(web.AccessLog(logger, static.Prefix))
	e.Use(web.Recover)
	e.Use(web.LimitBody(512 << 10)) // forms are small; bulk posts carry at most 500 ids
	e.Use(web.CSRF(web.CSRFConfig{
		Origin: web.Origin(cfg.PublicURL),
		Secure: cfg.SecureCookies,
		// POST /events is server-to-server (Altinn Events): its secret authenticates it.
		Exempt: func(p string) bool { return strings.HasPrefix(p, static.Prefix) || p == "/healthz" || p == EventsPath },
	}))
	e.HTTPErrorHandler = ErrorHandler(logger, d.Sessions, d.Parties, d.Login.Optional)

	if d.Workspace == nil {
		d.Workspace = workspace.None{}
	}
	s := &Server{Echo: e}
	b := base{auth: d.Sessions, parties: d.Parties, ws: d.Workspace}
	s.live = NewLive(b, d.Search, cfg.Live)
	if cfg.Live.Watch != nil {
		s.streams = live.NewDialogStreams(cfg.Live.Watch, live.DialogStreamConfig{SessionAlive: cfg.Live.SessionAlive,
			Heartbeat: cfg.Live.Heartbeat, StreamsPerSession: cfg.Live.StreamsPerSession, MaxStreams: cfg.Live.MaxStreams})
	}
	s.routes(e, d, b)
	return s
}

// EndStreams ends the open live-update streams, so a graceful shutdown need not wait for them
// (cmd/web: srv.RegisterOnShutdown(app.EndStreams)).
func (s *Server) EndStreams() {
	s.live.End()
	if s.streams != nil {
		s.streams.End()
	}
}
