package web

import (
	"strings"

	"github.com/labstack/echo/v4"
)

// FrontChannelLogoutPath is the one route the IdP may frame (OpenID Connect Front-Channel Logout
// loads it in a hidden iframe on the IdP's page).
const FrontChannelLogoutPath = "/auth/frontchannel-logout"

// SecurityConfig shapes the security headers.
type SecurityConfig struct {
	// IdPOrigins are the identity provider's origins (issuer, end-session endpoint, e.g.
	// "https://login.idporten.no"): the logout form's redirect goes there (form-action) and the
	// IdP frames the front-channel-logout route from there.
	IdPOrigins []string
	// HSTS turns on Strict-Transport-Security (off for plain-http localhost).
	HSTS bool
}

// CSP returns the Content-Security-Policy for a page: only our own origin, no inline script or
// style, no eval. htmx is configured in <meta name="htmx-config"> so it needs none of them.
func (s SecurityConfig) CSP(frameable bool) string {
	formAction := "'self'"
	frameAncestors := "'none'"
	if len(s.IdPOrigins) > 0 {
		// POST /logout answers 303 to the IdP's end-session endpoint; browsers apply
		// form-action to the redirect after a form submission.
		idp := strings.Join(s.IdPOrigins, " ")
		formAction += " " + idp
		if frameable {
			frameAncestors = idp
		}
	}
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src 'self'",
		"object-src 'none'",
		"frame-ancestors " + frameAncestors,
		"base-uri 'none'",
		"form-action " + formAction,
	}, "; ")
}

// SecurityHeaders sets the security headers on every response (pages, fragments, static files,
// errors, redirects) before anything else runs, so no path can forget them. Personal pages are
// not cached; the static handler overrides Cache-Control for its immutable files.
func SecurityHeaders(cfg SecurityConfig) echo.MiddlewareFunc {
	page, frameable := cfg.CSP(false), cfg.CSP(true)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			fcl := c.Request().URL.Path == FrontChannelLogoutPath
			if fcl {
				h.Set("Content-Security-Policy", frameable)
			} else {
				h.Set("Content-Security-Policy", page)
				h.Set("X-Frame-Options", "DENY")
			}
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Cross-Origin-Resource-Policy", "same-origin")
			h.Set("Cache-Control", "no-store")
			if cfg.HSTS {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}
