package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// GroupService makes and deletes groups of parties (*workspace.Workspace).
type GroupService interface {
	MakeGroup(ctx context.Context, p workspace.Person, ix *inbox.PartyIndex, ng workspace.NewGroup) (workspace.Group, []string, error)
	DeleteGroup(ctx context.Context, p workspace.Person, id string) error
}

// Groups is the groups page: the person's groups of parties, each an inbox search scope.
type Groups struct {
	base
	groups GroupService
}

// NewGroups returns the groups handler.
func NewGroups(b base, groups GroupService) *Groups { return &Groups{base: b, groups: groups} }

// List handles GET /groups (?q= searches parties to tick into a new group; ?made= names the
// group just made).
func (h *Groups) List(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	form := views.GroupForm{Query: inbox.Clip(c.QueryParam("q"), maxSearchText)}
	return h.render(c, u, form, nil, c.QueryParam("made"), http.StatusOK)
}

// Create handles POST /groups (name, party…, orgnos, skip_unknown): makes the group and goes
// back to the list (303). Refused (422) with what was posted kept: entries that name no party
// (listed, with the choice to leave them out), a taken name, a limit.
func (h *Groups) Create(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	f, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "groups: bad form"}
	}
	ng := workspace.NewGroup{Name: f.Get("name"), Picked: f["party"], OrgNumbers: f.Get("orgnos"), SkipUnknown: f.Get("skip_unknown") == "1"}
	g, unknown, err := h.groups.MakeGroup(c.Request().Context(), u.who, u.parties, ng)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/groups?made="+url.QueryEscape(g.Name))
	}
	msg, ok := groupMessage(u.lang, err)
	if !ok {
		return err
	}
	form := views.GroupForm{Name: ng.Name, OrgNumbers: ng.OrgNumbers, Query: inbox.Clip(f.Get("q"), maxSearchText), Error: msg}
	if errors.Is(err, workspace.ErrUnknownEntries) {
		form.Unknown = unknown
	}
	return h.render(c, u, form, ng.Picked, "", http.StatusUnprocessableEntity)
}

// Delete handles POST /groups/:id/delete.
func (h *Groups) Delete(c echo.Context) error {
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	if err := h.groups.DeleteGroup(c.Request().Context(), u.who, c.Param("id")); err != nil {
		if workspace.IsNotFound(err) || errors.Is(err, workspace.ErrInvalid) {
			return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's"}
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/groups")
}

func (h *Groups) render(c echo.Context, u *user, form views.GroupForm, picked []string, made string, status int) error {
	ctx := c.Request().Context()
	p := views.GroupsProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Made: made, Form: form}
	groups, err := h.ws.Groups(ctx, u.who)
	if err != nil {
		return err
	}
	for _, g := range groups {
		key := workspace.GroupPrefix + g.ID
		p.Groups = append(p.Groups, views.GroupRow{ID: g.ID, Name: g.Name, Size: g.Size, InboxURL: inbox.Query{Party: key}.URL(false)})
	}
	checked := map[string]bool{}
	for _, k := range picked {
		checked[k] = true
	}
	if form.Query != "" {
		hits, _ := u.parties.Search(form.Query, false, chooserLimit)
		for _, hit := range hits {
			if !hit.NoAccess {
				o := optionOf(u.lang, hit, "")
				p.Form.Candidates = append(p.Form.Candidates, views.GroupCandidate{Key: o.Key, Name: o.Name, Meta: o.Meta, Checked: checked[o.Key]})
			}
		}
	}
	return render(c, status, views.GroupsPage(h.chrome(c, u, u.lang.T("groups.title")), p))
}

// groupMessage is the person's words for a refused change of a group or preference; ok is
// false for an error that is no refusal (an outage: the error page).
func groupMessage(lang i18n.Lang, err error) (string, bool) {
	var le *workspace.LimitError
	switch {
	case errors.As(err, &le):
		switch le.Limit {
		case "name":
			return lang.F("limit.name", le.Max), true
		case "groups":
			return lang.F("limit.groups", le.Max), true
		case "group parties":
			return lang.F("limit.groupParties", le.Max), true
		}
		return lang.F("limit.other", le.Max), true
	case errors.Is(err, workspace.ErrUnknownEntries):
		return "", true // the list of entries says it
	case errors.Is(err, workspace.ErrEmptyGroup):
		return lang.T("groups.empty"), true
	case errors.Is(err, workspace.ErrNameTaken):
		return lang.T("groups.nameTaken"), true
	case errors.Is(err, workspace.ErrInvalid):
		return lang.T("groups.nameEmpty"), true
	}
	return "", false
}
