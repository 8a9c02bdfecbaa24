// Package handlers is the portal's web layer: echo routes (routes.go lists them all), request
// parsing, view props and the one error handler (the middleware is internal/web). A handler reads the
// request, calls the service layer (internal/inbox, behind the small interface it declares),
// builds view props and renders; it never calls Dialogporten or a service owner itself.
package handlers

import (
	"log/slog"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
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

	pages   *Pages
	home    *Home
	lang    *Lang
	chooser *Parties
	inbox   *Inbox
	bulk    *Bulk
	export  *Export
	saved   *Searches
	dialog  *Dialog
	actions *Actions
	files   *Attachments
	lookup  *Lookup
	live    *Live
	stars   *Favourites
	groups  *Groups
	prefs   *Settings
	events  *live.Webhook
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

	e.Use(web.SecurityHeaders(cfg.Security))
	e.Use(web.RequestID)
	e.Use(web.AccessLog(logger, static.Prefix))
	e.Use(web.Recover)
	e.Use(web.LimitBody(512 << 10)) // forms are small; bulk posts carry at most 500 ids
	e.Use(web.CSRF(web.CSRFConfig{
		Origin: web.Origin(cfg.PublicURL),
		Secure: cfg.SecureCookies,
		// POST /events is server-to-server (Altinn Events): its secret authenticates it.
		Exempt: func(p string) bool { return strings.HasPrefix(p, static.Prefix) || p == "/healthz" || p == EventsPath },
	}))
	e.HTTPErrorHandler = ErrorHandler(logger, d.Sessions, d.Parties)

	ws := d.Workspace
	if ws == nil {
		ws = noWorkspace{}
	}
	b := base{auth: d.Sessions, parties: d.Parties, ws: ws}
	stream := NewLive(b, d.Search, ws, cfg.Live)
	var dialogStreams *live.DialogStreams
	if cfg.Live.Watch != nil {
		dialogStreams = live.NewDialogStreams(cfg.Live.Watch, live.DialogStreamConfig{SessionAlive: cfg.Live.SessionAlive,
			Heartbeat: cfg.Live.Heartbeat, StreamsPerSession: cfg.Live.StreamsPerSession, MaxStreams: cfg.Live.MaxStreams})
	}
	s := &Server{
		Echo:    e,
		pages:   NewPages(),
		home:    NewHome(b),
		lang:    NewLang(d.Sessions, cfg.Security.HSTS),
		chooser: NewParties(b),
		inbox:   NewInbox(b, d.Search, ws, stream, zipMax(d.Zip)),
		bulk:    NewBulk(b, d.Dialogs),
		export:  NewExport(b, d.Results, d.Search, d.Zip, ws),
		saved:   NewSearches(b, d.Saved, d.Saved, ws),
		dialog:  NewDialog(b, d.Dialogs, d.Dialogs, d.Text, DialogLive{Live: stream, Streams: dialogStreams, Watcher: d.Dialogs}, logger),
		actions: NewActions(b, d.Dialogs),
		files:   NewAttachments(b, d.Dialogs),
		lookup:  &Lookup{base: b, finder: d.Dialogs},
		live:    stream,
		stars:   NewFavourites(b, ws),
		groups:  NewGroups(b, ws),
		prefs:   NewSettings(b, ws),
		events:  live.NewWebhook(cfg.Live.Secret, cfg.Live.Hub, cfg.Live.Dedup, logger),
	}
	s.routes(e, d.Login)
	return s
}

// zipMax is the most dialogs z puts in one ZIP (the default without one).
func zipMax(z AttachmentZipper) int {
	if z == nil {
		return export.DefaultMaxDialogs
	}
	return z.MaxDialogs()
}

// EndStreams ends the open live-update streams, so a graceful shutdown need not wait for them
// (cmd/web: srv.RegisterOnShutdown(app.EndStreams)).
func (s *Server) EndStreams() {
	s.live.End()
	if s.dialog.streams != nil {
		s.dialog.streams.End()
	}
}
