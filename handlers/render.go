package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// renderTo renders a component into a buffer first, then writes it (web.Render).
var renderTo = web.Render

// render is renderTo for echo handlers.
func render(c echo.Context, status int, comp templ.Component) error {
	return renderTo(c.Response(), c.Request(), status, comp)
}

// baseChrome is the layout data every page has, without the logged-in parts.
func baseChrome(r *http.Request, lang i18n.Lang, title string) views.Chrome {
	return views.Chrome{
		Lang:     lang,
		Title:    title,
		CSRF:     web.PageFrom(r.Context()).CSRF,
		ReturnTo: safeReturnTo(r.URL.RequestURI()),
	}
}
