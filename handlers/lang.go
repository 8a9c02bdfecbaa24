package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// Lang switches the UI language.
type Lang struct {
	auth   Sessions
	secure bool
}

// Set handles POST /lang (set=nb|nn|en, return_to=/path): it stores the choice in the session
// when logged in and always in a cookie, then goes back where the user was (see web.ReturnPath).
func (h *Lang) Set(c echo.Context) error {
	l, ok := i18n.Parse(c.FormValue("set"))
	if !ok {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "unsupported language"}
	}
	if _, logged := h.auth.Session(c.Request().Context()); logged {
		if err := h.auth.SetLang(c.Request().Context(), string(l)); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{
		Name: web.LangCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
	to := web.ReturnPath(c.Request(), c.FormValue("return_to"))
	if web.IsHTMX(c.Request()) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// safeReturnTo keeps only same-origin relative paths ("/x?y"); anything else ("//evil",
// "/\evil", "https://…", control characters) becomes "/". It is the login's own check
// (auth.SafeReturnTo), so the portal has one rule for where it may send a browser.
func safeReturnTo(s string) string { return auth.SafeReturnTo(s) }
