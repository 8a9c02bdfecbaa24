package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
)

// LoginFailure is a failed login (from auth.Error): an error like any other, so it goes through
// the one error handler, which renders the login-failure page.
type LoginFailure struct {
	Status int
	ACR    bool
	Kind   string // auth's error kind, for the log and the page's explanation
	// Retryable is false when logging in again cannot help (the identity provider's answer
	// was unusable, the configuration is wrong): the page says so.
	Retryable bool
	Err       error // internal cause, for the log (never contains tokens)
}

// Error implements error.
func (f *LoginFailure) Error() string {
	if f.Err != nil {
		return "login failed (" + f.Kind + "): " + f.Err.Error()
	}
	return "login failed (" + f.Kind + ")"
}

// Unwrap returns the cause.
func (f *LoginFailure) Unwrap() error { return f.Err }

type loginSlotKey struct{}

// LoginRoute mounts one of auth's http handlers. When auth reports a failed login
// (ReportLoginFailure, auth's OnError), the failure is returned to echo as the route's error.
func LoginRoute(h http.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var failed *LoginFailure
		r := c.Request()
		r = r.WithContext(context.WithValue(r.Context(), loginSlotKey{}, &failed))
		h(c.Response(), r)
		if failed != nil {
			return failed
		}
		return nil
	}
}

// ReportLoginFailure is auth's OnError: it hands the failure to the route that is running (see
// LoginRoute), which returns it to the one error handler. Outside such a route it answers a
// plain 400.
func ReportLoginFailure(w http.ResponseWriter, r *http.Request, f LoginFailure) {
	if slot, ok := r.Context().Value(loginSlotKey{}).(**LoginFailure); ok {
		*slot = &f
		return
	}
	http.Error(w, "login failed", http.StatusBadRequest)
}
