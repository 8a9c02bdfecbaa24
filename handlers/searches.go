package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/savedsearch"
	"github.com/innboks/innboks/internal/store"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// SearchKeeper keeps a person's saved searches (*savedsearch.Searches).
type SearchKeeper interface {
	List(ctx context.Context, o store.Owner) ([]savedsearch.Saved, error)
	Save(ctx context.Context, o store.Owner, name string, q query.Query) (savedsearch.Saved, error)
	Rename(ctx context.Context, o store.Owner, id, name string) error
	Delete(ctx context.Context, o store.Owner, id string) error
}

// SearchOpener opens and counts saved searches (*savedsearch.Searches).
type SearchOpener interface {
	Get(ctx context.Context, o store.Owner, id string) (savedsearch.Saved, error)
	Open(ctx context.Context, o store.Owner, id string) (query.Query, error)
	NewSince(ctx context.Context, u *inbox.User, o store.Owner, sv savedsearch.Saved, parties []string) savedsearch.Count
}

// SavedSearches is all the saved searches handler needs (*savedsearch.Searches).
type SavedSearches interface {
	SearchKeeper
	SearchOpener
}

// Searches is the saved searches: the list, saving the inbox's search, rename, delete, open
// and the count of what is new since the last opening.
type Searches struct {
	base
	keep SearchKeeper
	open SearchOpener
	loc  *time.Location
}

// NewSearches returns the saved searches handler.
func NewSearches(b base, keep SearchKeeper, open SearchOpener) *Searches {
	return &Searches{base: b, keep: keep, open: open, loc: inbox.NorwegianTime()}
}

// List handles GET /searches (?done=saved|renamed|deleted after a change).
func (h *Searches) List(c echo.Context, u *user) error {
	p := views.SavedSearchesProps{Notice: present.SavedNotice(u.lang, c.QueryParam("done"))}
	return h.page(c, u, http.StatusOK, p, "", "")
}

// page renders the list with p's notice, error or retry; invalid names the row whose rename
// to typed was refused.
func (h *Searches) page(c echo.Context, u *user, status int, p views.SavedSearchesProps, invalid, typed string) error {
	list, err := h.keep.List(c.Request().Context(), store.Owner(u.sess.Owner))
	if err != nil {
		return err
	}
	p.Lang, p.CSRF, p.Max = u.lang, web.PageFrom(c.Request().Context()).CSRF, store.MaxSavedSearches
	groups, _ := h.ws.Groups(c.Request().Context(), u.who) // to name the group scopes
	p.Rows = present.SavedSearchRows(u.lang, u.parties, list, groups, h.loc, invalid, typed)
	return render(c, status, views.SavedSearchesPage(h.chrome(c, u, u.lang.T("saved.title")), p))
}

// Save handles POST /searches (name, search: the inbox's query string).
func (h *Searches) Save(c echo.Context, u *user) error {
	vals, err := url.ParseQuery(c.FormValue("search"))
	if err != nil {
		return &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "saved search query", Err: err}
	}
	name := c.FormValue("name")
	_, err = h.keep.Save(c.Request().Context(), store.Owner(u.sess.Owner), name, query.Parse(vals))
	if msg, ok := present.SavedSearchRefusal(u.lang, err); ok {
		retry := &views.SaveSearchProps{Lang: u.lang, CSRF: web.PageFrom(c.Request().Context()).CSRF,
			Search: c.FormValue("search"), Name: query.Clip(name, 400), Invalid: true}
		return h.page(c, u, http.StatusUnprocessableEntity, views.SavedSearchesProps{Error: msg, Retry: retry}, "", "")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/searches?done=saved")
}

// Rename handles POST /searches/:id/rename (name).
func (h *Searches) Rename(c echo.Context, u *user) error {
	err := h.keep.Rename(c.Request().Context(), store.Owner(u.sess.Owner), c.Param("id"), c.FormValue("name"))
	if msg, ok := present.SavedSearchRefusal(u.lang, err); ok {
		return h.page(c, u, http.StatusUnprocessableEntity, views.SavedSearchesProps{Error: msg}, c.Param("id"), c.FormValue("name"))
	}
	if err != nil {
		return notFound(err)
	}
	return c.Redirect(http.StatusSeeOther, "/searches?done=renamed")
}

// Delete handles POST /searches/:id/delete.
func (h *Searches) Delete(c echo.Context, u *user) error {
	if err := h.keep.Delete(c.Request().Context(), store.Owner(u.sess.Owner), c.Param("id")); err != nil {
		return notFound(err)
	}
	return c.Redirect(http.StatusSeeOther, "/searches?done=deleted")
}

// Open handles POST /searches/:id/open: the time is recorded and the inbox shows the search. A
// POST, so a link from elsewhere cannot reset what is new.
func (h *Searches) Open(c echo.Context, u *user) error {
	q, err := h.open.Open(c.Request().Context(), store.Owner(u.sess.Owner), c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	return c.Redirect(http.StatusSeeOther, q.URL(false))
}

// Count handles GET /searches/:id/count: how many dialogs are new or changed since the search
// was last opened. The fragment for htmx (the list loads it), a page without JavaScript.
func (h *Searches) Count(c echo.Context, u *user) error {
	ctx := c.Request().Context()
	o := store.Owner(u.sess.Owner)
	sv, err := h.open.Get(ctx, o, c.Param("id"))
	if err != nil {
		return notFound(err)
	}
	// A scope no longer the person's (a deleted group, a party they lost) has nothing new.
	scope, err := h.scope(ctx, u, sv.Query.Party)
	if err != nil && ctx.Err() != nil {
		return err
	}
	n := h.open.NewSince(ctx, u.in, o, sv, scope.URNs)
	p := views.NewCountProps{Lang: u.lang, N: n.N, More: n.More, Failed: n.Failed}
	if web.IsHTMX(c.Request()) {
		return render(c, http.StatusOK, views.NewCount(p))
	}
	cp := views.SavedSearchCountProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, ID: sv.ID, Name: sv.Name, Count: p}
	return render(c, http.StatusOK, views.SavedSearchCountPage(h.chrome(c, u, sv.Name), cp))
}

// notFound answers another person's saved search, or an unknown one, as not found.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "saved search", Err: err}
	}
	return err
}
