package handlers

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// Home is the front page: the login button when anonymous, the welcome when logged in.
type Home struct{ base }

// Show handles GET /.
func (h *Home) Show(c echo.Context) error {
	r := c.Request()
	if _, ok := h.auth.Session(r.Context()); !ok {
		lang := web.Lang(r, "")
		return render(c, http.StatusOK, views.FrontPage(baseChrome(r, lang, "")))
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	self, _ := u.parties.Self()
	props := views.HomeProps{Name: self.Name, InboxURL: "/inbox"}
	if web.IsHTMX(r) {
		return render(c, http.StatusOK, views.Welcome(u.lang, props))
	}
	ch := h.chrome(c, u, u.lang.T("home.title"))
	current := h.choice(r.Context(), u, "")
	ch.PartySlot = views.PartyChooser(h.chooserProps(r.Context(), u, current, "", u.prefs.ShowDeleted))
	props.InboxURL = "/inbox?party=" + url.QueryEscape(current)
	return render(c, http.StatusOK, views.HomePage(ch, props))
}
