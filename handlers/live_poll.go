package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/views"
)

const (
	// pollEvery is the least time between two upstream searches for one session's polls.
	pollEvery = 30 * time.Second
	// pollBackoff is the wait after a failed poll search (longer when upstream says Retry-After).
	pollBackoff = 2 * time.Minute
	// pollLifetime is how long a page polls: after it the answer is 286, which stops htmx'
	// polling, so an unattended tab does not keep its session alive forever.
	pollLifetime = 15 * time.Minute
	// pollLimit is how many changed dialogs one poll counts.
	pollLimit = 100
	// statusStopPolling is htmx' "stop polling" status.
	statusStopPolling = 286
)

// Changes handles GET /live/changes?party=&list=&since=: the polling fallback when the portal
// gets no events. At most one upstream search per session every 30 s (further polls answer 204
// without going upstream), over at most the first 100 of the shown parties, for dialogs updated
// after since. 204 when nothing changed (htmx swaps nothing), else the banner. A 429 or outage
// upstream pauses the session's polls for Retry-After (at least two minutes).
func (h *Live) Changes(c echo.Context) error {
	if h.hub != nil {
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
	status := http.StatusOK
	if now.Sub(since) > pollLifetime {
		status = statusStopPolling
	}
	quiet := func() error {
		if status == statusStopPolling {
			return c.NoContent(statusStopPolling)
		}
		return c.NoContent(http.StatusNoContent)
	}
	if len(t.subjects) == 0 || !h.polls.Allow(u.sess.ID, now, pollEvery) {
		return quiet()
	}
	parties := t.subjects[:min(len(t.subjects), inbox.MaxPartiesPerSearch)]
	res, err := h.search.Dialogs(c.Request().Context(), u.in, parties, dpclient.SearchParams{
		UpdatedAfter: &since, Limit: pollLimit,
	}, "")
	if err != nil {
		wait := pollBackoff
		var de *dpclient.Error
		if errors.As(err, &de) && de.RetryAfter > wait {
			wait = de.RetryAfter
		}
		h.polls.Pause(u.sess.ID, now.Add(wait))
		return quiet()
	}
	if len(res.Items) == 0 {
		return quiet()
	}
	return render(c, status, views.LiveBanner(views.LiveBannerProps{
		Lang: u.lang, Count: len(res.Items), More: res.Cursor != "", ListURL: t.listURL,
	}))
}
