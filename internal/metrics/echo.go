package metrics

import (
	"context"
	"time"

	"github.com/labstack/echo/v4"
)

// routeKey carries the matched route pattern in a request's context, for the upstream labels.
type routeKey struct{}

// WithRoute returns ctx carrying the route pattern of the page view it serves.
func WithRoute(ctx context.Context, route string) context.Context {
	return context.WithValue(ctx, routeKey{}, route)
}

// RouteFrom returns the route pattern WithRoute put in ctx, or NoRoute.
func RouteFrom(ctx context.Context) string {
	if r, ok := ctx.Value(routeKey{}).(string); ok && r != "" {
		return r
	}
	return NoRoute
}

// Instrument installs the request metrics on e: a pre-routing middleware, outermost, that
// records each request once with its final status (errors are handed to e's error handler
// there, as echo would right after), and a post-routing one that puts the matched route
// pattern in the request context so upstream calls are labelled with it. Routes added to e
// later are covered too.
func (m *Metrics) Instrument(e *echo.Echo) {
	e.Pre(m.measure)
	e.Use(tagRoute)
}

// measure records count and duration by method, route pattern and status class.
func (m *Metrics) measure(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		// c.Path() is the registered pattern ("/dialogs/:id"), never the raw path; it is
		// empty when nothing matched, and "/*" for a catch-all not-found route (the portal
		// registers one so error pages know the session): both are "no route".
		route := c.Path()
		if route == "" || route == "/*" {
			route = NoRoute
		}
		labels := []string{methodLabel(c.Request().Method), route, statusClass(c.Response().Status)}
		m.requests.WithLabelValues(labels...).Inc()
		m.requestDuration.WithLabelValues(labels...).Observe(time.Since(start).Seconds())
		return nil
	}
}

// tagRoute runs after routing and keeps the matched pattern in the request context.
func tagRoute(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if p := c.Path(); p != "" {
			r := c.Request()
			c.SetRequest(r.WithContext(WithRoute(r.Context(), p)))
		}
		return next(c)
	}
}
