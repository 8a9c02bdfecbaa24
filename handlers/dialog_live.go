package handlers

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/views"
)

// DialogWatcher is what an open dialog page's live updates need of the service layer: the
// dialog token of one of the user's dialogs, renewable for as long as the page is open
// (*inbox.Dialogs).
type DialogWatcher interface {
	WatchTokens(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) (inbox.DialogTokenSource, error)
}

// watchProps place the dialog's own live updates on its page; empty when they are off (the
// page then has the webhook's banner, or nothing).
func (h *Dialog) watchProps(id string) views.DialogLiveProps {
	if h.streams == nil {
		return views.DialogLiveProps{}
	}
	return views.DialogLiveProps{Stream: "/dialogs/" + id + "/live", Parts: "/dialogs/" + id + "/parts"}
}

// Live handles GET /dialogs/:id/live: the open page's server-sent-event stream of its dialog's
// events (live.DialogStreams: one Dialogporten dialogEvents subscription per user and dialog,
// however many tabs show it, closed when the last leaves). The dialog is loaded first, with the
// ownership check; its token never reaches the browser. Without a session the stream says
// "watch-ended" ("session"), which stops the browser's. Events carry no data but their name.
func (h *Dialog) Live(c echo.Context) error {
	if h.streams == nil {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	sess, ok := h.auth.Session(ctx)
	if !ok {
		live.EndDialogStream(c.Response())
		return nil
	}
	id := strings.ToLower(c.Param("id"))
	if !inbox.ValidID(id) {
		return errNoDialog("malformed dialog id")
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	tokens, err := h.watcher.WatchTokens(ctx, u.in, u.parties, id)
	if err != nil {
		return err
	}
	return h.streams.Serve(ctx, c.Response(), sess.ID, id, tokens)
}

// Parts handles GET /dialogs/:id/parts: every part of the dialog's page (views.DialogParts),
// fresh, each with its version; the page swaps in those whose version changed, in place
// (static/files/app.js), after a live event or a fallback poll.
func (h *Dialog) Parts(c echo.Context) error {
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.DialogParts(h.props(c, u, d)))
}
