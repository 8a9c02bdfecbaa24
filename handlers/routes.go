package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/static"
)

// routes builds each handler from d once and registers every route of the portal, once. Read
// it as the site map. my hands a logged-in handler its user (base.userFrom); handlers that
// check their ids first, or answer without a session, load the user themselves.
func (s *Server) routes(e *echo.Echo, d Deps, b base) {
	events := live.NewWebhook(d.Config.Live.Secret, d.Config.Live.Hub, d.Config.Live.Dedup, d.Logger)
	login, ws, cfg, live := d.Login, d.Workspace, d.Config, s.live
	optional := echo.WrapMiddleware(login.Optional)
	require := echo.WrapMiddleware(login.Require)
	my := b.withUser
	home, lang, chooser := &Home{b}, &Lang{auth: d.Sessions, secure: cfg.Security.HSTS}, &Parties{b}
	inbox := NewInbox(b, d.Search, live, d.Zip)
	s.inbox = inbox
	export, saved := NewExport(b, d.Results, d.Search, d.Zip), NewSearches(b, d.Saved, d.Saved)
	dialog := NewDialog(b, d.Dialogs, d.Dialogs, d.Text, DialogLive{Live: live, Streams: s.streams, Watcher: d.Dialogs}, d.Logger)
	bulk, actions := &Bulk{base: b, dialogs: d.Dialogs}, &Actions{base: b, dialogs: d.Dialogs}
	files, lookup := &Attachments{base: b, dialogs: d.Dialogs}, &Lookup{base: b, finder: d.Dialogs}
	stars, groups, prefs := &Favourites{base: b, stars: ws}, &Groups{base: b, groups: ws}, &Settings{base: b, prefs: ws}

	// Anonymous or either.
	e.GET("/", home.Show, optional)
	e.POST("/lang", lang.Set, optional)
	e.GET("/logged-out", loggedOut)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	// Unknown paths: the not-found page, with the logged-in header when there is a session.
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound }, optional)

	// Login and logout (auth.RP); a failed login is an error like any other (loginRoute).
	e.GET("/login", loginRoute(login.Login))
	e.GET("/login/step-up", loginRoute(login.StepUp))
	e.GET("/auth/callback", loginRoute(login.Callback))
	e.POST("/logout", loginRoute(login.Logout))                         // CSRF checked by middleware first
	e.GET(FrontChannelLogoutPath, loginRoute(login.FrontChannelLogout)) // frameable by the IdP only

	// Logged in: choosing a party and the list.
	e.GET("/parties", my(chooser.Search), require)      // chooser: page, or results fragment for htmx
	e.GET("/parties/first", my(inbox.First), require)   // Enter in the chooser: the first match's inbox at once
	e.GET("/inbox", my(inbox.List), require)            // the dialog list; ?party=&folder=&q=&…
	e.POST("/inbox/party", my(inbox.Switch), require)   // confirmed switch after a cross-site link
	e.POST("/inbox/bulk", my(bulk.Apply), require)      // archive / bin / restore / mark unread
	e.GET("/inbox/export.csv", my(export.CSV), require) // the search's results as CSV; the inbox's query
	e.POST("/inbox/zip", my(export.Zip), require)       // attachments of ticked dialogs or a search, as one ZIP

	// Saved searches: the list, save the inbox's search, and each one's changes and count.
	e.GET("/searches", my(saved.List), require)               // ?done= after a change
	e.POST("/searches", my(saved.Save), require)              // name, search (the inbox's query)
	e.POST("/searches/:id/rename", my(saved.Rename), require) // name
	e.POST("/searches/:id/delete", my(saved.Delete), require) //
	e.POST("/searches/:id/open", my(saved.Open), require)     // records the opening; to the inbox
	e.GET("/searches/:id/count", my(saved.Count), require)    // new since opened: fragment or page

	// The person's workspace: favourites (a star on a party), groups of parties (inbox scopes
	// ?party=favourites, ?party=group:<id>), preferences applied at login.
	e.POST("/favourites", my(stars.Set), require)            // party=&on=1|0: star or unstar
	e.GET("/groups", my(groups.List), require)               // the groups, and the form that makes one
	e.POST("/groups", my(groups.Create), require)            // from ticked parties and pasted org numbers
	e.POST("/groups/:id/delete", my(groups.Delete), require) // delete one
	e.GET("/settings", my(prefs.Show), require)              // language, start party, show deleted
	e.POST("/settings", my(prefs.Save), require)

	// One dialog; deep links from notifications and other Altinn services find it first.
	e.GET("/dialogs/lookup", my(lookup.Open), require)                                    // ?instanceRef=urn:altinn:…: to the dialog, acting for its party
	e.GET("/dialogs/:id/access", lookup.Access, require)                                  // who can see this, and why (fragment or page)
	e.GET("/dialogs/:id", dialog.Show, require)                                           // details page
	e.GET("/dialogs/:id/content", dialog.Content, require)                                // main content: fragment (htmx) or page
	e.GET("/dialogs/:id/live", dialog.Live, optional)                                     // SSE of the open dialog's events (its dialogEvents subscription)
	e.GET("/dialogs/:id/parts", dialog.Parts, require)                                    // the page's parts, fresh, for an in-place live update
	e.GET("/dialogs/:id/transmissions/:tid/content", dialog.TransmissionContent, require) // a transmission's content
	e.POST("/dialogs/:id/labels", dialog.Labels, require)                                 // archive / bin / restore / unread (If-Match)
	e.GET("/dialogs/:id/actions/:actionId", actions.Confirm, require)                     // confirmation page of a prompted action
	e.POST("/dialogs/:id/actions/:actionId", actions.Act, require)                        // GUI action through the proxy
	e.POST("/dialogs/:id/api-actions/:actionId", actions.APIAct, require)                 // safe API action through the proxy
	e.GET("/dialogs/:id/attachments/:attachmentId/:urlId", files.Download, require)       // streamed download

	// Live updates (DESIGN.md): the Altinn Events webhook (404 without a secret), the browser's
	// event stream (404 without one too: the pages poll /live/changes instead).
	e.POST(EventsPath, echo.WrapHandler(events)) // CloudEvents from Altinn Events (?secret=)
	e.GET("/live", live.Stream, optional)        // SSE; "session-ended" without a session
	e.GET("/live/changes", live.Changes, require)
}
