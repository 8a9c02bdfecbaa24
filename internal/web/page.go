// Package web is the portal's HTTP plumbing below the handlers: the security headers and CSP,
// the CSRF check, request ids, the access log, panic recovery, body limits, the per-request Page
// data (request id, CSRF token, canonical URL) the layout renders, rendering into a buffer, the
// request's language and return paths, and what an error means to the person (Classify: the
// status code and the kind of message, for the one error handler).
package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Page is per-request data the layout needs, kept in the request context so that plain
// http handlers (auth's OnError) can render pages too.
type Page struct {
	RequestID string
	CSRF      string
	// Canonical is this request's own page in canonical form (set by a handler once it has
	// parsed the request, e.g. the inbox's q.url(false)): what "try again" goes to.
	Canonical string
}

type pageKey struct{}

// SetPage changes the request's Page, attaching one on first use.
func SetPage(c echo.Context, f func(*Page)) {
	r := c.Request()
	p, ok := r.Context().Value(pageKey{}).(*Page)
	if !ok {
		p = &Page{}
		c.SetRequest(r.WithContext(context.WithValue(r.Context(), pageKey{}, p)))
	}
	f(p)
}

// PageFrom returns the request's Page (zero when none).
func PageFrom(ctx context.Context) Page {
	if p, ok := ctx.Value(pageKey{}).(*Page); ok {
		return *p
	}
	return Page{}
}

// IsHTMX reports whether the request came from htmx (and so wants a fragment, not a page).
func IsHTMX(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}
