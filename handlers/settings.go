package handlers

import (
	"context"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
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

// NewSettings returns the settings handler.
func NewSettings(b base, prefs SettingsService) *Settings { return &Settings{base: b, prefs: prefs} }

// Show handles GET /settings (?saved=1 after a save).
func (h *Settings) Show(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	return h.render(c, u, u.prefs, c.QueryParam("saved") == "1", "", http.StatusOK)
}

// Save handles POST /settings (language, start, deleted): stores the preferences, applies the
// language at once, and goes back to the page (303), which says they were saved.
func (h *Settings) Save(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
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
	p := views.SettingsProps{
		Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, ShowDeleted: prefs.ShowDeleted, Saved: saved, Error: msg,
		Languages: []views.Option{{Value: "", Label: u.lang.T("settings.langAuto"), Selected: prefs.Language == ""}},
	}
	for _, l := range i18n.All() {
		p.Languages = append(p.Languages, views.Option{Value: string(l), Label: l.Name(), Selected: prefs.Language == string(l)})
	}
	p.StartParty = h.startOptions(ctx, u, prefs.StartParty)
	ch := h.chrome(c, u, u.lang.T("settings.title"))
	return render(c, status, views.SettingsPage(ch, p))
}

// startOptions are the parties to open at login: yourself, the inbox groups, the favourites
// and the groups kept in Innboks's store (the preference names those by id), and the stored
// choice itself.
func (h *Settings) startOptions(ctx context.Context, u *user, current string) []views.Option {
	opts := []views.Option{{Value: "", Label: u.lang.T("settings.startSelf")}}
	add := func(key, label string) {
		for _, o := range opts {
			if o.Value == key {
				return
			}
		}
		opts = append(opts, views.Option{Value: key, Label: label})
	}
	for _, g := range []string{inbox.AllOrgs, inbox.AllPersons} {
		if len(u.parties.Group(g)) >= 2 {
			add(g, partyOption(u.lang, u.parties, g, "").Name)
		}
	}
	if p, ok := u.parties.Get(current); ok {
		add(p.UUID, p.Name)
	}
	if favs, err := h.ws.Favourites(ctx, u.who); err == nil {
		for _, f := range favs {
			if p, ok := u.parties.Get(f); ok && !p.NoAccess {
				add(p.UUID, p.Name)
			}
		}
	}
	if groups, err := h.ws.Groups(ctx, u.who); err == nil {
		for _, g := range groups {
			if workspace.StartableGroup(g.ID) {
				add(workspace.GroupPrefix+g.ID, u.lang.F("groups.scope", g.Name, g.Size))
			}
		}
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == current
	}
	return opts
}
