package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
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

// List handles GET /groups (?q= searches parties to tick into a new group; ?made= is the id of
// the group just made, whose name the page confirms: an id, not a name, so a link cannot put
// words of its own in the success notice).
func (h *Groups) List(c echo.Context, u *user) error {
	form := views.GroupForm{Query: query.Clip(c.QueryParam("q"), maxSearchText)}
	return h.render(c, u, form, nil, c.QueryParam("made"), http.StatusOK)
}

// Create handles POST /groups (name, party…, orgnos, skip_unknown; do=search runs the form's
// party search instead): makes the group and goes back to the list (303). Refused (422) with
// what was posted kept: entries that name no party (listed, with the choice to leave them
// out), a taken name, a limit.
func (h *Groups) Create(c echo.Context, u *user) error {
	f, err := c.FormParams()
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "groups: bad form"}
	}
	ng := workspace.NewGroup{Name: f.Get("name"), Picked: f["party"], OrgNumbers: f.Get("orgnos"), SkipUnknown: f.Get("skip_unknown") == "1"}
	if f.Get("do") == "search" {
		// The form's own party search: the same form again with the parties found, and the
		// name, the pasted list and the ticks kept (a search of its own would lose them).
		form := views.GroupForm{Name: ng.Name, OrgNumbers: ng.OrgNumbers, Query: query.Clip(f.Get("q"), maxSearchText)}
		return h.render(c, u, form, ng.Picked, "", http.StatusOK)
	}
	g, unknown, err := h.groups.MakeGroup(c.Request().Context(), u.who, u.parties, ng)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/groups?made="+url.QueryEscape(g.ID))
	}
	msg, ok := present.GroupRefusal(u.lang, err)
	if !ok {
		return err
	}
	form := views.GroupForm{Name: ng.Name, OrgNumbers: ng.OrgNumbers, Query: query.Clip(f.Get("q"), maxSearchText), Error: msg}
	if errors.Is(err, workspace.ErrUnknownEntries) {
		form.Unknown = unknown
	}
	return h.render(c, u, form, ng.Picked, "", http.StatusUnprocessableEntity)
}

// Delete handles POST /groups/:id/delete.
func (h *Groups) Delete(c echo.Context, u *user) error {
	if err := h.groups.DeleteGroup(c.Request().Context(), u.who, c.Param("id")); err != nil {
		if workspace.IsNotFound(err) || errors.Is(err, workspace.ErrInvalid) {
			return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's"}
		}
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/groups")
}

// render shows the groups page; made is the id of a group just made (a notice names it when it
// is one of the person's groups).
func (h *Groups) render(c echo.Context, u *user, form views.GroupForm, picked []string, made string, status int) error {
	ctx := c.Request().Context()
	p := views.GroupsProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Form: form}
	groups, err := h.ws.Groups(ctx, u.who)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if made != "" && g.ID == made {
			p.Made = g.Name
		}
	}
	p.Groups = present.GroupRows(groups)
	var hits []inbox.Party
	if form.Query != "" {
		hits, _ = u.parties.Search(form.Query, false, chooserLimit)
	}
	p.Form.Candidates = present.GroupCandidates(u.lang, u.parties, hits, picked)
	return render(c, status, views.GroupsPage(h.chrome(c, u, u.lang.T("groups.title")), p))
}
