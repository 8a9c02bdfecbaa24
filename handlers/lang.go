package handlers

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// langCookie remembers the language on anonymous pages (the session holds it after login).
const langCookie = "lang"

// Lang switches the UI language.
type Lang struct {
	auth   Sessions
	secure bool
}

// NewLang returns the language switch handler.
func NewLang(a Sessions, secureCookies bool) *Lang { return &Lang{auth: a, secure: secureCookies} }

// Set handles POST /lang (set=nb|nn|en, return_to=/path): it stores the choice in the session
// when logged in and always in a cookie, then goes back where the user was (see returnPath).
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
		Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: h.secure, SameSite: http.SameSiteLaxMode,
	})
	to := returnPath(c.Request(), c.FormValue("return_to"))
	if web.IsHTMX(c.Request()) {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// returnPath is the page a form posted from wants to go back to: its return_to field when sent
// (rendered with the page; app.js keeps it on the address htmx pushes), else the path of a
// same-origin Referer (the document that posted), else "/". Only local paths come out of it.
func returnPath(r *http.Request, returnTo string) string {
	if returnTo != "" {
		return safeReturnTo(returnTo)
	}
	ref, err := url.Parse(r.Referer())
	if err != nil || (ref.Scheme != "http" && ref.Scheme != "https") || !strings.EqualFold(ref.Host, r.Host) || ref.User != nil {
		return "/"
	}
	return safeReturnTo(ref.RequestURI())
}

// safeReturnTo keeps only same-origin relative paths ("/x?y"); anything else ("//evil",
// "/\evil", "https://…", control characters) becomes "/". It is the login's own check
// (auth.SafeReturnTo), so the portal has one rule for where it may send a browser.
func safeReturnTo(s string) string { return auth.SafeReturnTo(s) }
