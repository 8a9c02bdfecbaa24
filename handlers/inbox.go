package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/savedsearch"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// pageSize is how many dialogs one page of the list shows.
const pageSize = 50

// SearchService is what the inbox needs of the service layer (*inbox.Search).
type SearchService interface {
	Dialogs(ctx context.Context, u *inbox.User, parties []string, p dpclient.SearchParams, cursor string) (*inbox.Page, error)
	Facets(ctx context.Context, u *inbox.User, scope string, parties []string) (*inbox.Facets, error)
}

// Inbox is the dialog list: folders, search, filters, sorting and paging.
type Inbox struct {
	base
	search SearchService
	live   *Live // live updates on the list; nil: none
	zipMax int   // the most dialogs one ZIP of attachments holds (the list says so)
	loc    *time.Location
	now    func() time.Time
}

// NewInbox returns the inbox handler. Dates are shown and filtered in Norwegian time. zipMax
// is the most dialogs one ZIP of attachments holds.
func NewInbox(b base, search SearchService, live *Live, zip AttachmentZipper) *Inbox {
	zipMax := export.DefaultMaxDialogs
	if zip != nil {
		zipMax = zip.MaxDialogs()
	}
	return &Inbox{base: b, search: search, live: live, zipMax: zipMax, loc: inbox.NorwegianTime(), now: time.Now}
}

// List handles GET /inbox. Full page normally; for htmx the fragment its target needs: the whole
// inbox (folder switch), the results (search and filters), or more rows ("show more").
func (h *Inbox) List(c echo.Context, u *user) error {
	return h.list(c, u, query.Parse(c.QueryParams()), c.QueryParam("party"))
}

// First handles GET /parties/first?q=&deleted=: Enter in the chooser's search box before the
// results for its text have come. It acts for the first party that search lists (the option
// Enter on fresh results follows) and answers with that party's inbox at once, its address set
// by HX-Push-Url (the page's canonical link without JavaScript): one round trip where waiting for
// the search and then following its first option takes two. Nothing typed, or nothing to choose:
// the chooser page with the search, as the form's plain submit.
func (h *Inbox) First(c echo.Context, u *user) error {
	v := c.QueryParams()
	p := h.chooserProps(c.Request().Context(), u, u.sess.PartyUUID, query.Clip(v.Get("q"), maxSearchText), v.Get("deleted") == "1")
	key := p.FirstChoice()
	if key == "" {
		c.Response().Header().Set("HX-Push-Url", p.PageURL())
		return render(c, http.StatusOK, views.PartiesPage(h.chrome(c, u, u.lang.T("party.chooser")), p))
	}
	q := query.Parse(url.Values{"party": {key}})
	c.Response().Header().Set("HX-Push-Url", q.URL(true))
	return h.list(c, u, q, "")
}

// list answers the inbox for q; named is the party the request's address names ("" for none).
func (h *Inbox) list(c echo.Context, u *user, q query.Query, named string) error {
	ctx := c.Request().Context()
	// A link to a party the user may not act for (or that does not exist) is refused, rather
	// than quietly showing another party's inbox under a link that named this one.
	asked := q.Party
	scope, err := h.scope(ctx, u, q.Party)
	if err != nil {
		return err
	}
	q.Party = scope.Key
	if asked != "" && u.sess.PartyUUID != "" && asked != u.sess.PartyUUID && web.CrossSite(c.Request()) {
		// A link from another site must not change whom the user acts for behind their back:
		// they confirm first, and the confirmation (a POST from our own page) switches. A
		// session with no choice yet (the landing after login, whose redirect chain began at
		// ID-porten) has nothing to change.
		return h.confirmSwitch(c, u, q)
	}
	// An address that does not name the party shown (/inbox, the landing after login) is
	// answered at once, without a redirect's round trip; the page names its own address, which
	// the browser puts in the address bar, so a link or reload shows the same.
	address := ""
	if named != q.Party {
		address = q.URL(true)
	}
	if q.Party != u.sess.PartyUUID && q.Party != "" {
		if err := h.auth.SetParty(ctx, q.Party); err != nil {
			return err
		}
	}
	listURL := q.URL(false)
	web.SetPage(c, func(p *web.Page) { p.Canonical = listURL })
	props := views.InboxProps{
		Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, ListURL: listURL,
		Folders: present.FolderLinks(q), Bulk: present.BulkOptions(u.lang, q.Folder),
		Live: h.live.Props(q.Party, listURL, ""),
		Export: views.ExportProps{
			CSVURL: "/inbox/export.csv" + strings.TrimPrefix(listURL, "/inbox"), MaxRows: export.MaxRows,
			Search: strings.TrimPrefix(strings.TrimPrefix(listURL, "/inbox"), "?"), ZipMax: h.zipMax,
		},
		Save: views.SaveSearchProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Search: savedsearch.Encode(q)},
	}
	parties := scope.URNs
	props.Title = present.InboxTitle(u.lang, q.Folder, present.ScopeName(u.lang, u.parties, scope.Key, scope.Name))
	if workspace.IsScope(scope.Key) {
		props.Scope, props.ScopeNote = present.ScopeLines(u.lang, scope)
	} else if !inbox.IsGroup(scope.Key) {
		favs, err := h.ws.Favourites(ctx, u.who)
		props.Star = present.ScopeStar(u.lang, props.CSRF, u.parties, scope.Key, favs, err)
	}
	f, ferr := h.search.Facets(ctx, u.in, q.Party, parties)
	if ferr != nil {
		// The list is still useful without filter choices; a real outage shows on the search.
		f = &inbox.Facets{}
	}
	props.Filters = present.Filters(u.lang, q, f)

	now := h.now()
	params, possible := q.Params(now, h.loc, pageSize)
	if possible && len(parties) > 0 {
		res, err := h.search.Dialogs(ctx, u.in, parties, params, q.Cursor)
		if err != nil && q.Cursor != "" && errors.Is(err, dpclient.ErrBadRequest) && c.Request().Header.Get("HX-Target") != "list-more" {
			// A place in the list refused for what it is (Dialogporten's 400 for a stale or
			// edited "show more" address or one made for another order, or inbox.ErrBadCursor):
			// the list from the top, saying so, with every filter kept. Appending to a list ("show more" by htmx) stays an error: rows from
			// the top would repeat the ones shown.
			q.Cursor, props.Filters.Restarted = "", true
			res, err = h.search.Dialogs(ctx, u.in, parties, params, "")
		}
		if err != nil {
			return err
		}
		several := inbox.IsGroup(q.Party) || workspace.IsScope(q.Party)
		for _, d := range res.Items {
			props.Rows = append(props.Rows, present.DialogRow(u.lang, u.parties, d, f, several, now, h.loc))
		}
		if res.Cursor != "" {
			next := q
			next.Cursor = res.Cursor
			props.MoreURL = next.URL(true)
		}
		if res.Batches > 1 {
			props.BatchNote = u.lang.F("party.batched", res.Parties, res.Batches)
		}
	}

	r := c.Request()
	if web.IsHTMX(r) {
		if r.Header.Get("HX-Target") != "list-more" {
			// The form sends every field, empty ones too; push the canonical URL instead.
			c.Response().Header().Set("HX-Push-Url", listURL)
		}
		switch r.Header.Get("HX-Target") {
		case "inbox":
			return render(c, http.StatusOK, views.InboxFragment(props))
		case "list-more":
			return render(c, http.StatusOK, views.DialogRows(props))
		}
		props.ToolsOOB, props.Announce = true, true
		return render(c, http.StatusOK, views.DialogResults(props))
	}
	ch := h.chrome(c, u, props.Title)
	ch.PartySlot = views.PartyChooser(h.chooserProps(ctx, u, q.Party, "", u.prefs.ShowDeleted))
	ch.Address = address
	return render(c, http.StatusOK, views.InboxPage(ch, props))
}

// confirmSwitch asks before acting for the party a cross-site link named.
func (h *Inbox) confirmSwitch(c echo.Context, u *user, q query.Query) error {
	name := present.PartyOption(u.lang, u.parties, q.Party, "").Name
	p := views.ConfirmProps{
		Lang: u.lang, CSRF: web.PageFrom(c.Request().Context()).CSRF,
		Action: u.lang.T("party.switchConfirm"), Prompt: u.lang.F("party.switchPrompt", name),
		PostURL: "/inbox/party?" + url.Values{"party": {q.Party}}.Encode(), CancelURL: "/inbox",
	}
	return render(c, http.StatusOK, views.ConfirmPage(h.chrome(c, u, p.Action), p))
}

// Switch handles POST /inbox/party?party=: the confirmed switch of whom the user acts for.
func (h *Inbox) Switch(c echo.Context, u *user) error {
	asked := c.QueryParam("party")
	choice := h.choice(c.Request().Context(), u, asked)
	if asked == "" || choice != asked {
		return echo.NewHTTPError(http.StatusForbidden, "party not among the user's parties")
	}
	if err := h.auth.SetParty(c.Request().Context(), choice); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, query.Query{Party: choice, Folder: "inbox", Sort: "updated"}.URL(true))
}
