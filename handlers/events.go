package handlers

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/live"
)

// EventsPath is the webhook Altinn Events posts to. It is server-to-server: no session and no
// CSRF token (the secret in the subscribed URL authenticates the sender).
const EventsPath = "/events"

// maxEventBody bounds one CloudEvent; Dialogporten's are well under a kilobyte.
const maxEventBody = 64 << 10

// typeValidateSubscription is the handshake Altinn Events sends to a new subscription.
const typeValidateSubscription = "platform.events.validatesubscription"

// LiveConfig turns on live updates. With a Secret and a Hub, POST /events takes Altinn Events'
// CloudEvents and GET /live streams them to the browsers; without a Secret the webhook is 404 and
// the inbox polls GET /live/changes instead.
type LiveConfig struct {
	// Secret is EVENTS_WEBHOOK_SECRET, the ?secret= of the subscribed webhook URL.
	Secret string
	// Hub carries events from the webhook to the streams (live.RedisHub across instances).
	Hub live.Hub
	// Dedup drops events delivered twice; a bounded in-memory set when nil.
	Dedup live.Dedup
	// SessionAlive reports whether the session with this id still exists; a stream ends when it
	// no longer does (logout, timeout). Nil: the stream relies on the reconnect's session check.
	SessionAlive func(ctx context.Context, id string) bool
	// Heartbeat is how often a stream sends a comment and checks the session (25 s when 0).
	Heartbeat time.Duration
	// StreamsPerSession is how many streams one session holds open; one more ends the oldest
	// (live.DefaultStreamsPerSession when 0).
	StreamsPerSession int
	// MaxStreams is how many streams the instance holds open in all; beyond, 503 with
	// Retry-After (live.DefaultMaxStreams when 0).
	MaxStreams int
}

// cloudEvent is the part of a CloudEvent 1.0 (structured JSON) the webhook reads.
type cloudEvent struct {
	SpecVersion      string     `json:"specversion"`
	ID               string     `json:"id"`
	Type             string     `json:"type"`
	Source           string     `json:"source"`
	Subject          string     `json:"subject"`
	ResourceInstance string     `json:"resourceinstance"`
	Time             *time.Time `json:"time"`
}

// Events is the Altinn Events webhook.
type Events struct {
	secret [32]byte
	on     bool
	hub    live.Hub
	dedup  live.Dedup
	logger *slog.Logger
}

// NewEvents returns the webhook; it answers 404 unless cfg has a Secret and a Hub.
func NewEvents(cfg LiveConfig, logger *slog.Logger) *Events {
	h := &Events{hub: cfg.Hub, dedup: cfg.Dedup, logger: logger, on: cfg.Secret != "" && cfg.Hub != nil}
	h.secret = sha256.Sum256([]byte(cfg.Secret))
	if h.dedup == nil {
		h.dedup = live.NewMemoryDedup(0, 0)
	}
	return h
}

// Receive handles POST /events?secret=: the subscription handshake, then dialog events, which
// are published to the hub by party (subject). Duplicates (same id) are acknowledged and dropped.
// Answers are bare status codes: the caller is a machine, and a 5xx makes Altinn Events retry.
func (h *Events) Receive(c echo.Context) error {
	if !h.on {
		return echo.ErrNotFound
	}
	r := c.Request()
	sent := sha256.Sum256([]byte(r.URL.Query().Get("secret")))
	if subtle.ConstantTimeCompare(sent[:], h.secret[:]) != 1 {
		return c.NoContent(http.StatusUnauthorized)
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType)); err != nil ||
		(mt != "application/json" && mt != "application/cloudevents+json") {
		return c.NoContent(http.StatusUnsupportedMediaType)
	}
	if r.ContentLength > maxEventBody {
		return c.NoContent(http.StatusRequestEntityTooLarge)
	}
	var ev cloudEvent
	dec := json.NewDecoder(http.MaxBytesReader(c.Response(), r.Body, maxEventBody))
	if err := dec.Decode(&ev); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return c.NoContent(http.StatusRequestEntityTooLarge)
		}
		return c.NoContent(http.StatusBadRequest)
	}
	if ev.SpecVersion != "1.0" || ev.ID == "" || ev.Type == "" {
		return c.NoContent(http.StatusBadRequest)
	}
	if ev.Type == typeValidateSubscription {
		return c.NoContent(http.StatusOK)
	}
	if !strings.HasPrefix(ev.Type, "dialogporten.dialog.") {
		return c.NoContent(http.StatusOK) // not ours to show; acknowledged so it is not retried
	}
	if ev.Subject == "" {
		return c.NoContent(http.StatusBadRequest)
	}
	ctx := r.Context()
	first, err := h.dedup.First(ctx, ev.ID)
	if err != nil {
		// Better shown twice than lost: publish without the duplicate check.
		h.logger.LogAttrs(ctx, slog.LevelWarn, "events: duplicate check failed", slog.Any("err", err))
		first = true
	}
	if !first {
		return c.NoContent(http.StatusOK)
	}
	out := live.Event{ID: ev.ID, Type: ev.Type, Subject: ev.Subject, DialogID: dialogIDOf(ev)}
	if ev.Time != nil {
		out.Time = *ev.Time
	}
	if err := h.hub.Publish(ctx, out); err != nil {
		h.logger.LogAttrs(ctx, slog.LevelError, "events: publish failed", slog.String("type", ev.Type), slog.Any("err", err))
		if f, ok := h.dedup.(live.Forgetter); ok {
			_ = f.Forget(ctx, ev.ID) // let Altinn Events' retry through
		}
		return c.NoContent(http.StatusServiceUnavailable)
	}
	return c.NoContent(http.StatusOK)
}

// dialogIDOf is the event's dialog id: resourceinstance, else the segment after /dialogs/ in the
// source URL.
func dialogIDOf(ev cloudEvent) string {
	if ev.ResourceInstance != "" {
		return canonicalUUID(ev.ResourceInstance)
	}
	const marker = "/dialogs/"
	i := strings.Index(ev.Source, marker)
	if i < 0 {
		return ""
	}
	id := ev.Source[i+len(marker):]
	if j := strings.IndexByte(id, '/'); j >= 0 {
		id = id[:j]
	}
	return canonicalUUID(id)
}

// canonicalUUID is id in canonical form, or "" when it is not a UUID.
func canonicalUUID(id string) string {
	u, err := uuid.Parse(id)
	if err != nil {
		return ""
	}
	return u.String()
}
