package handlers

import (
	"log/slog"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/views"
)

// Pages renders the pages that need no upstream data: the logged-out page and the login error.
type Pages struct {
	logger *slog.Logger
}

// NewPages returns the static-content pages handler.
func NewPages(logger *slog.Logger) *Pages { return &Pages{logger: logger} }

// LoggedOut handles GET /logged-out, where ID-porten sends the browser after end-session.
func (h *Pages) LoggedOut(c echo.Context) error {
	r := c.Request()
	lang := langFrom(r, "")
	return render(c, http.StatusOK, views.LoggedOutPage(baseChrome(r, lang, lang.T("loggedOut.title"))))
}

// LoginFailure describes a failed login for LoginError (from auth.Error: its status and whether
// the failure was the security level).
type LoginFailure struct {
	Status int
	ACR    bool
	Kind   string // auth's error kind, for the log
	Err    error  // internal cause, for the log (never contains tokens)
}

// LoginError renders "the login could not be completed, try again"; it is auth's OnError.
func (h *Pages) LoginError(w http.ResponseWriter, r *http.Request, f LoginFailure) {
	status := f.Status
	if status < 400 || status > 599 {
		status = http.StatusBadRequest
	}
	reqID := pageFrom(r.Context()).RequestID
	attrs := []slog.Attr{slog.String("request_id", reqID), slog.Int("status", status), slog.String("kind", f.Kind)}
	if f.Err != nil {
		attrs = append(attrs, slog.String("error", f.Err.Error()))
	}
	h.logger.LogAttrs(r.Context(), slog.LevelWarn, "login failed", attrs...)
	lang := langFrom(r, "")
	retry := "/login"
	if f.ACR {
		retry = "/login/step-up"
	}
	if rt := r.URL.Query().Get("return_to"); rt != "" {
		retry += "?return_to=" + url.QueryEscape(safeReturnTo(rt))
	}
	c := baseChrome(r, lang, lang.T("loginError.title"))
	c.ReturnTo = "/"
	page := views.LoginErrorPage(c, views.LoginErrorProps{ACR: f.ACR, RetryURL: retry, RequestID: reqID})
	if err := renderTo(w, r, status, page); err != nil {
		h.logger.LogAttrs(r.Context(), slog.LevelError, "render login error", slog.String("request_id", reqID), slog.String("error", err.Error()))
	}
}

// Locale is auth's Locale: the UI language for the login (ui_locales), from the lang cookie or
// Accept-Language.
func Locale(r *http.Request) string { return string(langFrom(r, "")) }
