package handlers

import (
	"context"
	"time"

	"github.com/innboks/innboks/internal/live"
)

// EventsPath is the webhook Altinn Events posts to. It is server-to-server: no session and no
// CSRF token (the secret in the subscribed URL authenticates the sender).
const EventsPath = "/events"

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
	// Watch holds the open dialog pages' dialogEvents subscriptions (GET /dialogs/:id/live);
	// nil: off, and a dialog page has the webhook's banner, or nothing. It works without Secret.
	Watch *live.DialogWatch
}
