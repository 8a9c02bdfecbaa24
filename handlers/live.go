package handlers

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
)

// Live streams dialog changes to the browser (GET /live, server-sent events) for the parties the
// page shows, and answers the polling fallback (GET /live/changes) when there is no stream. The
// streams' loop and bounds are internal/live's (live.Streams), the polls' pace too (live.Poller).
type Live struct {
	base
	streams *live.Streams // nil: no stream, the pages poll
	polls   *live.Poller
	search  SearchService
	now     func() time.Time
}

// NewLive returns the live-update handlers. Streaming is on when cfg has a Secret and a Hub.
func NewLive(b base, search SearchService, cfg LiveConfig) *Live {
	h := &Live{base: b, polls: live.NewPoller(web.RetryAfter), search: search, now: time.Now}
	if cfg.Secret != "" && cfg.Hub != nil {
		h.streams = live.NewStreams(cfg.Hub, live.StreamConfig{SessionAlive: cfg.SessionAlive, Heartbeat: cfg.Heartbeat,
			StreamsPerSession: cfg.StreamsPerSession, MaxStreams: cfg.MaxStreams})
	}
	return h
}

// End ends every open stream (http.Server.Shutdown waits for them otherwise); the browsers
// reconnect after their retry interval. Register it with http.Server.RegisterOnShutdown.
func (h *Live) End() {
	if h.streams != nil {
		h.streams.End()
	}
}

// Props are the LiveProps for a page (present.Live): the inbox of party at listURL, or one
// dialog of party; a stream when the portal streams, else the list polls.
func (h *Live) Props(party, listURL, dialogID string) views.LiveProps {
	if h == nil {
		return views.LiveProps{}
	}
	return present.Live(party, listURL, dialogID, h.streams != nil, h.now())
}

// Stream handles GET /live: a server-sent-event stream of "dialog-changed" events for the
// parties the page shows, each carrying the banner (how many dialogs changed since the page was
// shown); see live.Streams.Serve. Without a session (logged out, timed out, never there) the
// stream says "session-ended", which closes the browser's connection for good. Beyond
// LiveConfig.MaxStreams in all the answer is 503 with Retry-After. Events carry no party and no
// token.
func (h *Live) Stream(c echo.Context) error {
	if h.streams == nil {
		return echo.ErrNotFound
	}
	w := c.Response()
	ctx := c.Request().Context()
	sess, ok := h.auth.Session(ctx)
	if !ok {
		live.SessionEnded(w)
		return nil
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	t, err := h.target(c, u)
	if err != nil {
		return err
	}
	watch := live.Watch{Session: sess.ID, Subjects: t.subjects, Dialog: t.dialog}
	if t.group {
		watch.Recall = h.recall(u, t.choice)
	}
	// The banner keeps what it needs of t, not t.subjects: an idle stream holds no party list.
	lang, listURL, group, dialog := u.lang, t.listURL, t.group, t.dialog
	err = h.streams.Serve(ctx, w, watch,
		func(ctx context.Context, count int, more bool, parties []string) (string, error) {
			banner := views.LiveBannerProps{Lang: lang, Count: count, More: more, ListURL: listURL, Parties: present.PartyNames(u.parties, parties, group)}
			if dialog != "" {
				banner = views.LiveBannerProps{Lang: lang, DialogURL: "/dialogs/" + dialog}
			}
			var buf bytes.Buffer
			err := views.LiveBanner(banner).Render(ctx, &buf)
			return buf.String(), err
		})
	if errors.Is(err, live.ErrTooManyStreams) {
		// Browsers' EventSource ignores Retry-After; htmx-ext-sse retries a refused stream after
		// 0.5 s, 1 s, 2 s … doubling up to 64 s between tries, and resets only after one opens.
		w.Header().Set("Retry-After", "60")
		w.Header().Set("Cache-Control", "no-store")
		return c.NoContent(http.StatusServiceUnavailable)
	}
	return err
}

// statusStopPolling is htmx' "stop polling" status.
const statusStopPolling = 286

// Changes handles GET /live/changes?party=&list=&since=: the polling fallback when the portal
// gets no events, paced by live.Poller (at most one upstream search per session every 30 s, over
// at most the first 100 of the shown parties, for dialogs updated after since). 204 when nothing
// changed (htmx swaps nothing), else the banner; 286 (stop polling) once the page is 15 minutes
// old.
func (h *Live) Changes(c echo.Context) error {
	if h.streams != nil {
		return echo.ErrNotFound
	}
	u, err := h.userFrom(c)
	if err != nil {
		return err
	}
	t, err := h.target(c, u)
	if err != nil {
		return err
	}
	now := h.now()
	secs, err := strconv.ParseInt(c.QueryParam("since"), 10, 64)
	since := time.Unix(secs, 0)
	if err != nil || since.After(now) || t.dialog != "" {
		return c.NoContent(http.StatusNoContent)
	}
	var search live.ChangeSearch
	var changed []string // the changed dialogs' parties, for the banner of a group's list
	if len(t.subjects) > 0 {
		parties := t.subjects[:min(len(t.subjects), inbox.MaxPartiesPerSearch)]
		search = func(ctx context.Context, since time.Time) (int, bool, error) {
			res, err := h.search.Dialogs(ctx, u.in, parties, dpclient.SearchParams{UpdatedAfter: &since, Limit: live.PollLimit}, "")
			if err != nil {
				return 0, false, err
			}
			changed = present.DialogParties(res.Items)
			return len(res.Items), res.Cursor != "", nil
		}
	}
	res := h.polls.Poll(c.Request().Context(), u.sess.ID, since, now, search)
	status := http.StatusOK
	if res.Last {
		status = statusStopPolling
	}
	if res.Count == 0 {
		if res.Last {
			return c.NoContent(statusStopPolling)
		}
		return c.NoContent(http.StatusNoContent)
	}
	return render(c, status, views.LiveBanner(views.LiveBannerProps{
		Lang: u.lang, Count: res.Count, More: res.More, ListURL: t.listURL, Parties: present.PartyNames(u.parties, changed, t.group),
	}))
}
