package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// SettingsService saves preferences (*workspace.Workspace).
type SettingsService interface {
	SetPreferences(ctx context.Context, p workspace.Person, prefs workspace.Preferences) error
}

// Settings is the person's preferences page.
type Settings struct {
	base
	prefs SettingsService
}

// Show handles GET /settings (?saved=1 after a save).
func (h *Settings) Show(c echo.Context, u *user) error {
	return h.render(c, u, u.prefs, c.QueryParam("saved") == "1", "", http.StatusOK)
}

// Save handles POST /settings (language, start, deleted): stores the preferences, applies the
// language at once, and goes back to the page (303), which says they were saved.
func (h *Settings) Save(c echo.Context, u *user) error {
	prefs := workspace.Preferences{
		Language: c.FormValue("language"), StartParty: c.FormValue("start"), ShowDeleted: c.FormValue("deleted") == "1",
	}
	ctx := c.Request().Context()
	if err := h.prefs.SetPreferences(ctx, u.who, prefs); err != nil {
		if errors.Is(err, workspace.ErrInvalid) {
			return h.render(c, u, prefs, false, u.lang.T("settings.invalid"), http.StatusUnprocessableEntity)
		}
		return err
	}
	if prefs.Language != "" {
		if err := h.auth.SetLang(ctx, prefs.Language); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/settings?saved=1")
}

func (h *Settings) render(c echo.Context, u *user, prefs workspace.Preferences, saved bool, msg string, status int) error {
	ctx := c.Request().Context()
	favs, _ := h.ws.Favourites(ctx, u.who)
	groups, _ := h.ws.Groups(ctx, u.who)
	p := views.SettingsProps{
		Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, ShowDeleted: prefs.ShowDeleted, Saved: saved, Error: msg,
		Languages:  present.Languages(u.lang, prefs.Language),
		StartParty: present.StartOptions(u.lang, u.parties, prefs.StartParty, favs, groups),
	}
	ch := h.chrome(c, u, u.lang.T("settings.title"))
	return render(c, status, views.SettingsPage(ch, p))
}
