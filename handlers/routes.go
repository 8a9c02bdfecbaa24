package handlers

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/static"
)

// routes registers every route of the portal. Read it as the site map.
func routes(e *echo.Echo, a Auth, dp Dialogporten, sec SecurityConfig, pages *Pages, parties *PartyCache, logger *slog.Logger) *Inbox {
	wrap := func(f http.HandlerFunc) echo.HandlerFunc { return echo.WrapHandler(f) }
	optional := echo.WrapMiddleware(a.Optional)
	require := echo.WrapMiddleware(a.Require)

	home := NewHome(a, parties)
	lang := NewLang(a, sec.HSTS)
	chooser := NewParties(a, parties)
	inbox := NewInbox(a, parties, dp)
	bulk := NewBulk(a, parties, dp, logger)

	// Anonymous or either.
	e.GET("/", home.Show, optional)
	e.POST("/lang", lang.Set, optional)
	e.GET("/logged-out", pages.LoggedOut)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	// Unknown paths: the not-found page, with the logged-in header when there is a session.
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, optional)

	// Login and logout (auth.RP); CSRF is checked by middleware before POST /logout.
	e.GET("/login", wrap(a.Login))
	e.GET("/login/step-up", wrap(a.StepUp))
	e.GET("/auth/callback", wrap(a.Callback))
	e.POST("/logout", wrap(a.Logout))
	e.GET(FrontChannelLogoutPath, wrap(a.FrontChannelLogout)) // frameable by the IdP only

	// Logged in.
	e.GET("/parties", chooser.Search, require) // chooser: page, or results fragment for htmx
	e.GET("/inbox", inbox.List, require)       // the dialog list; ?party=&folder=&q=&…
	e.POST("/inbox/bulk", bulk.Apply, require) // archive / bin / restore / mark unread
	return inbox
}

// dialogRoutes registers one dialog's routes (issue 5): the page, its lazily loaded content,
// label changes, the action proxy and attachment downloads. Server.MountDialogs calls it.
func dialogRoutes(e *echo.Echo, require echo.MiddlewareFunc, d *Dialog, p *Proxy, att *Attachments) {
	e.GET("/dialogs/:id", d.Show, require)                                           // details page
	e.GET("/dialogs/:id/content", d.Content, require)                                // main content: fragment (htmx) or page
	e.GET("/dialogs/:id/transmissions/:tid/content", d.TransmissionContent, require) // a transmission's content
	e.POST("/dialogs/:id/labels", d.Labels, require)                                 // archive / bin / restore / unread (If-Match)
	e.GET("/dialogs/:id/actions/:actionId", p.Confirm, require)                      // confirmation page of a prompted action
	e.POST("/dialogs/:id/actions/:actionId", p.Act, require)                         // GUI action through the proxy
	e.POST("/dialogs/:id/api-actions/:actionId", p.APIAct, require)                  // safe API action through the proxy
	e.GET("/dialogs/:id/attachments/:attachmentId/:urlId", att.Download, require)    // streamed download
}

// liveRoutes registers live updates (DESIGN.md "Live updates"): the Altinn Events webhook, the
// browser's event stream and the polling fallback. The webhook is 404 without a secret, the
// stream 404 without one too (the pages poll /live/changes instead).
func liveRoutes(e *echo.Echo, a Auth, dp DialogSearcher, parties *PartyCache, cfg LiveConfig, logger *slog.Logger) *Live {
	events := NewEvents(cfg, logger)
	l := NewLive(a, parties, dp, cfg)
	e.POST(EventsPath, events.Receive)                                // CloudEvents from Altinn Events (?secret=)
	e.GET("/live", l.Stream, echo.WrapMiddleware(a.Optional))         // SSE; "session-ended" without a session
	e.GET("/live/changes", l.Changes, echo.WrapMiddleware(a.Require)) // poll when there is no stream
	return l
}
