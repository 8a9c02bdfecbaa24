package handlers

import (
	"log/slog"

	"github.com/labstack/echo/v4"
)

// MountDialogs adds the dialog page, the action proxy and attachment downloads (dialogRoutes in
// routes.go) to the server. dp is usually the same *dpclient.Client as New's; out is the
// outbound client for service-owner URLs (internal/outbound, built from ACTION_HOST_ALLOWLIST and,
// in the dev stack only, AllowHTTPLoopback/AllowPrivateNetworks).
func (s *Server) MountDialogs(a Auth, dp DialogSource, out Outbound, logger *slog.Logger) {
	deps := DialogDeps{Auth: a, Parties: s.Parties, DP: dp, Out: out, Logger: logger}
	dialogRoutes(s.Echo, echo.WrapMiddleware(a.Require), NewDialog(deps), NewProxy(deps), NewAttachments(deps))
}
