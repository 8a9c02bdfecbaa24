package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// Pages renders the pages that need no upstream data: the logged-out page.
type Pages struct{}

// NewPages returns the static-content pages handler.
func NewPages() *Pages { return &Pages{} }

// LoggedOut handles GET /logged-out, where ID-porten sends the browser after end-session.
func (h *Pages) LoggedOut(c echo.Context) error {
	r := c.Request()
	lang := langFrom(r, "")
	return render(c, http.StatusOK, views.LoggedOutPage(baseChrome(r, lang, lang.T("loggedOut.title"))))
}

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

// loginRoute mounts one of auth's http handlers. When auth reports a failed login
// (ReportLoginFailure, auth's OnError), the failure is returned to echo as the route's error.
func loginRoute(h http.HandlerFunc) echo.HandlerFunc {
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
// loginRoute), which returns it to the one error handler. Outside such a route it answers a
// plain 400.
func ReportLoginFailure(w http.ResponseWriter, r *http.Request, f LoginFailure) {
	if slot, ok := r.Context().Value(loginSlotKey{}).(**LoginFailure); ok {
		*slot = &f
		return
	}
	http.Error(w, "login failed", http.StatusBadRequest)
}

// loginError logs a failed login and renders "the login could not be completed" with what the
// user can do.
func loginError(logger *slog.Logger, c echo.Context, f *LoginFailure) {
	r := c.Request()
	status := f.Status
	if status < 400 || status > 599 {
		status = http.StatusBadRequest
	}
	reqID := web.PageFrom(r.Context()).RequestID
	attrs := []slog.Attr{slog.String("request_id", reqID), slog.Int("status", status), slog.String("kind", f.Kind)}
	if f.Err != nil {
		attrs = append(attrs, slog.String("error", f.Err.Error()))
	}
	// auth logged the failure with the provider's answer; this line ties it to the request.
	logger.LogAttrs(r.Context(), slog.LevelDebug, "login failed", attrs...)
	lang := langFrom(r, "")
	retry := "/login"
	if f.ACR {
		retry = "/login/step-up"
	}
	if rt := r.URL.Query().Get("return_to"); rt != "" {
		retry += "?return_to=" + url.QueryEscape(safeReturnTo(rt))
	}
	ch := baseChrome(r, lang, lang.T("loginError.title"))
	ch.ReturnTo = "/"
	page := views.LoginErrorPage(ch, views.LoginErrorProps{ACR: f.ACR, Reason: f.Kind, Permanent: !f.Retryable, RetryURL: retry, RequestID: reqID})
	if err := renderTo(c.Response(), r, status, page); err != nil {
		logger.LogAttrs(r.Context(), slog.LevelError, "render login error", slog.String("request_id", reqID), slog.String("error", err.Error()))
	}
}

// Locale is auth's Locale: the UI language for the login (ui_locales), from the lang cookie or
// Accept-Language.
func Locale(r *http.Request) string { return string(langFrom(r, "")) }
