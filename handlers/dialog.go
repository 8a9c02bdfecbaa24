package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// DialogLoader loads one dialog for the user, fresh, with the ownership check (*inbox.Dialogs).
type DialogLoader interface {
	Load(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) (*dpclient.Dialog, error)
}

// DialogReader is what the dialog page needs besides the rules: the dialog, its content and its
// label changes (*inbox.Dialogs).
type DialogReader interface {
	DialogLoader
	Prefetch(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) error
	Content(ctx context.Context, u *inbox.User, d *dpclient.Dialog, ref *dpclient.ContentValue, authorized bool, headingOffset int) (richtext.Result, error)
	SetLabel(ctx context.Context, u *inbox.User, id string, label dpclient.SystemLabel, revision string) error
}

// DialogService is everything the dialog handlers ask of the service layer; *inbox.Dialogs
// satisfies it. Each handler keeps only the small part it uses.
type DialogService interface {
	DialogReader
	present.Rules // what the page offers; the click path applies the same rules
	ActionRunner
	Downloader
	BulkLabeler
	DialogFinder
	DialogWatcher
}

// Dialog is one dialog's page: details, its content and label changes.
type Dialog struct {
	base
	dialogs DialogReader
	page    *present.Dialog
	live    *Live // tells the page when the dialog changes; nil: nothing
	// streams hold the open pages' dialogEvents subscriptions; nil: off (then live's banner).
	streams *live.DialogStreams
	watcher DialogWatcher
	logger  *slog.Logger
	now     func() time.Time
}

// DialogLive is how a dialog page learns that its dialog changed: the webhook's banner (Live),
// and, when Streams is set, the dialog's own subscription, which refreshes the page in place.
type DialogLive struct {
	Live    *Live
	Streams *live.DialogStreams // nil: off
	Watcher DialogWatcher       // the dialog tokens of the subscriptions
}

// NewDialog returns the dialog page handler; text renders the dialog's own text fields
// (richtext.New() when nil).
func NewDialog(b base, dialogs DialogReader, rules present.Rules, text *richtext.Renderer, dl DialogLive, logger *slog.Logger) *Dialog {
	if text == nil {
		text = richtext.New()
	}
	page := &present.Dialog{Text: text, Rules: rules, Loc: inbox.NorwegianTime()}
	h := &Dialog{base: b, dialogs: dialogs, page: page, live: dl.Live, logger: logger, now: time.Now}
	if dl.Streams != nil && dl.Watcher != nil {
		h.streams, h.watcher = dl.Streams, dl.Watcher
	}
	return h
}

// load fetches the dialog named by the route's :id for the logged-in user (see
// inbox.Dialogs.Load: fresh, and only one of the user's own).
func load(c echo.Context, b *base, dialogs DialogLoader) (*user, *dpclient.Dialog, error) {
	if !inbox.ValidID(c.Param("id")) {
		return nil, nil, errNoDialog("malformed dialog id")
	}
	u, err := b.userFrom(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := dialogs.Load(c.Request().Context(), u.in, u.parties, c.Param("id"))
	if err != nil {
		return nil, nil, err
	}
	return u, d, nil
}

// prefetch answers htmx's preload, sent as the press on a dialog's link begins: the dialog is
// fetched for the click that follows (inbox.Dialogs.Prefetch) and nothing is drawn, since pages
// are not cached (no-store) and a drawn page would be thrown away.
func (h *Dialog) prefetch(c echo.Context) error {
	if !inbox.ValidID(c.Param("id")) {
		return c.NoContent(http.StatusNoContent)
	}
	u, err := h.userFrom(c)
	if err != nil {
		return c.NoContent(http.StatusNoContent)
	}
	if err := h.dialogs.Prefetch(c.Request().Context(), u.in, u.parties, c.Param("id")); err != nil {
		h.logger.Debug("prefetch", slog.Any("err", err))
	}
	return c.NoContent(http.StatusNoContent)
}

// errNoDialog is what any malformed, unknown or foreign id ends in: the same 404 whatever the
// reason, so ids cannot be probed.
func errNoDialog(msg string) error {
	return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: msg}
}

// dialogURL is the dialog page, with an optional notice to show.
func dialogURL(id, done string) string {
	if done == "" {
		return "/dialogs/" + id
	}
	return "/dialogs/" + id + "?done=" + url.QueryEscape(done)
}

// redirectAfterPost sends the browser on after a state change: 303 for plain forms and for
// htmx-boosted forms that return to the dialog (the XHR follows it and htmx swaps in the page).
// Anywhere else (the inbox, a service owner) an XHR must not follow, since those answer htmx
// with fragments or live on another origin: htmx is told to navigate with HX-Redirect instead.
func redirectAfterPost(c echo.Context, target string) error {
	if web.IsHTMX(c.Request()) && !strings.HasPrefix(target, "/dialogs/") {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// Show handles GET /dialogs/:id: the whole page (also for htmx-boosted navigation, which swaps
// the body). ?done= names what just happened, for the notice.
func (h *Dialog) Show(c echo.Context) error {
	if c.Request().Header.Get("HX-Preloaded") == "true" {
		return h.prefetch(c)
	}
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	p := h.props(c, u, d)
	p.Notice, p.NoticeColor = present.DoneNotice(u.lang, c.QueryParam("done"))
	if p.Notice != "" {
		p.NoticeKey = c.QueryParam("done")
	}
	party, _ := u.parties.ByURN(d.Party)
	p.Live = h.live.Props(party.UUID, "", p.ID) // the stream follows this dialog's party only
	p.Watch = h.watchProps(p.ID)
	ch := h.chrome(c, u, p.Header.Title)
	return render(c, http.StatusOK, views.DialogPage(ch, p))
}

// props is the dialog page's props for u, with the page's CSRF token.
func (h *Dialog) props(c echo.Context, u *user, d *dpclient.Dialog) views.DialogProps {
	p := h.page.Page(c.Request().Context(), u.lang, u.parties, d, h.now())
	p.CSRF = web.PageFrom(c.Request().Context()).CSRF
	return p
}
