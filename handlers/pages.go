package handlers

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// loggedOut handles GET /logged-out, where ID-porten sends the browser after end-session.
func loggedOut(c echo.Context) error {
	r := c.Request()
	lang := web.Lang(r, "")
	return render(c, http.StatusOK, views.LoggedOutPage(baseChrome(r, lang, lang.T("loggedOut.title"))))
}

// LoginFailure is a failed login (web.LoginFailure): the one error handler renders its page.
type LoginFailure = web.LoginFailure

// loginRoute mounts one of auth's http handlers, returning a failed login as the route's error.
var loginRoute = web.LoginRoute

// ReportLoginFailure is auth's OnError (web.ReportLoginFailure): it hands the failure to the
// route that is running.
func ReportLoginFailure(w http.ResponseWriter, r *http.Request, f LoginFailure) {
	web.ReportLoginFailure(w, r, f)
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
	lang := web.Lang(r, "")
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
func Locale(r *http.Request) string { return string(web.Lang(r, "")) }
