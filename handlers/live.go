package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"uuid"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/views"
)

// Live streams dialog changes to the browser (GET /live, server-sent events) for the parties the
// page shows, and answers the polling fallback (GET /live/changes) when there is no stream.
// Streams are bounded per session and in all (slots).
type Live struct {
	base
	hub       live.Hub // nil: no stream, the pages poll
	slots     *live.Slots
	alive     func(ctx context.Context, id string) bool
	heartbeat time.Duration
	polls     *live.PollGate
	search    SearchService
	now       func() time.Time
	ending    chan struct{} // closed by End
	endOnce   sync.Once
}

// NewLive returns the live-update handlers. Streaming is on when cfg has a Secret and a Hub.
func NewLive(b base, search SearchService, cfg LiveConfig) *Live {
	h := &Live{base: b, alive: cfg.SessionAlive, heartbeat: cfg.Heartbeat,
		slots: live.NewSlots(cfg.MaxStreams, cfg.StreamsPerSession),
		polls: live.NewPollGate(10000), search: search, now: time.Now, ending: make(chan struct{})}
	if cfg.Secret != "" && cfg.Hub != nil {
		h.hub = cfg.Hub
	}
	if h.heartbeat <= 0 {
		h.heartbeat = 25 * time.Second
	}
	return h
}

// End ends every open stream (http.Server.Shutdown waits for them otherwise); the browsers
// reconnect after their retry interval. Register it with http.Server.RegisterOnShutdown.
func (h *Live) End() { h.endOnce.Do(func() { close(h.ending) }) }

// Props are the LiveProps for a page: the inbox of party (choice) at listURL, or one dialog of
// party (the UUID of the dialog's party, so that its stream follows that party alone). The URLs
// carry no token and no national identity number: a party UUID or group, the list's own URL and
// a dialog id.
func (h *Live) Props(party, listURL, dialogID string) views.LiveProps {
	if h == nil {
		return views.LiveProps{}
	}
	q := url.Values{}
	if dialogID != "" {
		q.Set("dialog", dialogID)
		if party != "" {
			q.Set("party", party)
		}
	} else {
		q.Set("party", party)
		q.Set("list", listURL)
	}
	if h.hub != nil {
		return views.LiveProps{Stream: "/live?" + q.Encode()}
	}
	if dialogID != "" {
		return views.LiveProps{} // polling is for the list only: one search per poll
	}
	q.Set("since", fmt.Sprint(h.now().Unix()))
	return views.LiveProps{Poll: "/live/changes?" + q.Encode()}
}

// liveTarget is what one stream or poll watches.
type liveTarget struct {
	subjects []string // party URNs, all the user's own; read at subscription, not kept
	dialog   string   // only this dialog's events ("" for a list)
	listURL  string   // the inbox list the banner reloads
}

// errNotYourParty refuses a stream or poll of a party the user may not act for.
var errNotYourParty = &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: "live: party not among the user's parties"}

// target reads ?party=&list= (a list) or ?dialog=&party= (a dialog page). The parties are
// always the user's own, checked here against their party list, whatever the URL says: the
// chosen party, or a group of them, or the dialog's party; a party the user does not have, or
// reaches only through its sub-units, is refused.
func (h *Live) target(c echo.Context, u *user) (liveTarget, error) {
	if d := c.QueryParam("dialog"); d != "" {
		parsed, err := uuid.Parse(d)
		if err != nil {
			return liveTarget{}, &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "live: bad dialog id"}
		}
		id := parsed.String()
		if asked := c.QueryParam("party"); asked != "" {
			p, ok := u.parties.Get(asked)
			if !ok || p.NoAccess {
				return liveTarget{}, errNotYourParty
			}
			return liveTarget{subjects: []string{p.URN}, dialog: id}, nil
		}
		// A page that does not name the dialog's party (drawn before it did): every party the
		// user acts for. The hub indexes that set once for all such streams of the user.
		all := make([]string, 0, len(u.parties.All))
		for _, p := range u.parties.All {
			if !p.NoAccess {
				all = append(all, p.URN)
			}
		}
		return liveTarget{subjects: all, dialog: id}, nil
	}
	asked := c.QueryParam("party")
	choice := currentChoice(u, asked)
	if asked != "" && asked != choice {
		return liveTarget{}, errNotYourParty
	}
	t := liveTarget{listURL: "/inbox?party=" + url.QueryEscape(choice)}
	if l := c.QueryParam("list"); l == "/inbox" || strings.HasPrefix(l, "/inbox?") {
		t.listURL = l
	}
	switch choice {
	case inbox.AllOrgs, inbox.AllPersons:
		t.subjects = u.parties.Group(choice)
	default:
		if p, ok := u.parties.Get(choice); ok {
			t.subjects = []string{p.URN}
		}
	}
	return t, nil
}

const (
	// maxCounted is how many changed dialogs a stream counts; beyond, the banner says "more
	// than" and the stream remembers no more (an open tab must not grow without end).
	maxCounted = 100
	// streamRetryAfter is the Retry-After of a stream refused because the instance holds its
	// most. Browsers' EventSource ignores it; htmx-ext-sse retries a refused stream after 0.5 s,
	// 1 s, 2 s … doubling up to 64 s between tries, and resets only after a stream opens.
	streamRetryAfter = "60"
	// sseClose is the event that makes the browser close its stream for good (the live
	// region's sse-close; htmx-ext-sse takes one name). Its data says why: "" when the session
	// is over, "replaced" when a newer stream of the session took this one's place (a
	// reconnect would end the next oldest, and so on round the tabs).
	sseClose = "session-ended"
)

// Stream handles GET /live: a server-sent-event stream of "dialog-changed" events for the
// parties the page shows, each carrying the banner (how many dialogs changed since the page was
// shown). Comments keep the connection open and each heartbeat checks the session; when the
// session is gone (or was never there) the stream says "session-ended", which closes the
// browser's connection for good, and ends. A session holds at most LiveConfig.StreamsPerSession
// streams: one more ends its oldest the same way. Beyond LiveConfig.MaxStreams in all the
// answer is 503 with Retry-After. Events carry no party and no token.
func (h *Live) Stream(c echo.Context) error {
	if h.hub == nil {
		return echo.ErrNotFound
	}
	w := c.Response()
	ctx := c.Request().Context()
	sess, ok := h.auth.Session(ctx)
	if !ok {
		// No session (logged out, timed out): tell the browser to stop for good.
		live.SSEHeaders(w.Header())
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprint(w, "event: "+sseClose+"\ndata: \n\n")
		w.Flush()
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
	slot, err := h.slots.Take(sess.ID)
	if err != nil {
		w.Header().Set("Retry-After", streamRetryAfter)
		w.Header().Set("Cache-Control", "no-store")
		return c.NoContent(http.StatusServiceUnavailable)
	}
	defer slot.Release()
	sub := h.hub.Subscribe(t.subjects)
	defer sub.Close()
	t.subjects = nil // the hub has what it needs; a group's list is not kept per stream

	sse, err := live.StartSSE(w, 2*h.heartbeat+10*time.Second)
	if err != nil {
		return nil
	}
	tick := time.NewTicker(h.heartbeat)
	defer tick.Stop()
	changes := live.NewChanges(maxCounted)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.ending:
			return nil // shutting down: the browser reconnects, to another instance
		case <-slot.Replaced():
			return sseEnd(sse, "replaced")
		case <-tick.C:
			sse.Extend()
			if h.alive != nil && !h.alive(ctx, sess.ID) {
				return sseEnd(sse, "")
			}
			if sse.Ping() != nil {
				return nil
			}
		case ev, ok := <-sub.C():
			if !ok {
				return nil
			}
			if t.dialog != "" && (ev.DialogID != t.dialog || strings.Contains(ev.Type, ".seen.")) {
				continue // another dialog, or the user's own reading of this one
			}
			count, more := changes.Add(ev)
			banner := views.LiveBannerProps{Lang: u.lang, Count: count, More: more, ListURL: t.listURL}
			if t.dialog != "" {
				banner = views.LiveBannerProps{Lang: u.lang, DialogURL: "/dialogs/" + t.dialog}
			}
			var buf bytes.Buffer
			if views.LiveBanner(banner).Render(ctx, &buf) != nil || sse.Event("dialog-changed", buf.String()) != nil {
				return nil
			}
		}
	}
}

// sseEnd tells the browser to stop for good (sseClose, with the reason) and ends the stream.
func sseEnd(sse *live.SSE, reason string) error {
	_ = sse.Event(sseClose, reason)
	return nil
}
