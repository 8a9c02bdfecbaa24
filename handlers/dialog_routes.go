package handlers

import (
	"github.com/labstack/echo/v4"
)

// MountDialogs adds the dialog page, the action proxy and attachment downloads (dialogRoutes in
// routes.go) to the server. deps.DP is usually the same *dpclient.Client as New's (and its
// Exchanger, with the Altinn platform URL); deps.Out is the outbound client for service-owner
// URLs (internal/outbound, with ACTION_HOST_ALLOWLIST; AllowHTTPLoopback and
// AllowPrivateNetworks only in the dev stack). deps.Parties defaults to the server's cache.
func (s *Server) MountDialogs(deps DialogDeps) {
	if deps.Parties == nil {
		deps.Parties = s.Parties
	}
	d := NewDialog(deps)
	d.live = s.inbox.live
	dialogRoutes(s.Echo, echo.WrapMiddleware(deps.Auth.Require), d, NewProxy(deps), NewAttachments(deps))
}
