package live

import (
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
)

// maxEventBody bounds one CloudEvent; Dialogporten's are well under a kilobyte.
const maxEventBody = 64 << 10

// typeValidateSubscription is the handshake Altinn Events sends to a new subscription.
const typeValidateSubscription = "platform.events.validatesubscription"

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

// Webhook is the Altinn Events webhook: it answers the subscription handshake, authenticates
// the sender by the secret in the subscribed URL, drops duplicates by event id and publishes
// dialog events to the hub by party.
type Webhook struct {
	secret [32]byte
	on     bool
	hub    Hub
	dedup  Dedup
	logger *slog.Logger
}

// NewWebhook returns the webhook; it answers 404 unless there is a secret and a hub. dedup nil:
// a bounded in-memory set.
func NewWebhook(secret string, hub Hub, dedup Dedup, logger *slog.Logger) *Webhook {
	h := &Webhook{hub: hub, dedup: dedup, logger: logger, on: secret != "" && hub != nil}
	h.secret = sha256.Sum256([]byte(secret))
	if h.dedup == nil {
		h.dedup = NewMemoryDedup(0, 0)
	}
	return h
}

// ServeHTTP handles POST {EventsPath}?secret=: the subscription handshake, then dialog events,
// which are published to the hub by party (subject). Duplicates (same id) are acknowledged and
// dropped. Answers are bare status codes: the caller is a machine, and a 5xx makes Altinn Events
// retry.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	status := h.receive(w, r)
	w.WriteHeader(status)
}

func (h *Webhook) receive(w http.ResponseWriter, r *http.Request) int {
	if !h.on {
		return http.StatusNotFound
	}
	sent := sha256.Sum256([]byte(r.URL.Query().Get("secret")))
	if subtle.ConstantTimeCompare(sent[:], h.secret[:]) != 1 {
		return http.StatusUnauthorized
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		(mt != "application/json" && mt != "application/cloudevents+json") {
		return http.StatusUnsupportedMediaType
	}
	if r.ContentLength > maxEventBody {
		return http.StatusRequestEntityTooLarge
	}
	var ev cloudEvent
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxEventBody))
	if err := dec.Decode(&ev); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return http.StatusRequestEntityTooLarge
		}
		return http.StatusBadRequest
	}
	if ev.SpecVersion != "1.0" || ev.ID == "" || ev.Type == "" {
		return http.StatusBadRequest
	}
	if ev.Type == typeValidateSubscription {
		return http.StatusOK
	}
	if !strings.HasPrefix(ev.Type, "dialogporten.dialog.") {
		return http.StatusOK // not ours to show; acknowledged so it is not retried
	}
	if ev.Subject == "" {
		return http.StatusBadRequest
	}
	ctx := r.Context()
	first, err := h.dedup.First(ctx, ev.ID)
	if err != nil {
		// Better shown twice than lost: publish without the duplicate check.
		h.logger.LogAttrs(ctx, slog.LevelWarn, "events: duplicate check failed", slog.Any("err", err))
		first = true
	}
	if !first {
		return http.StatusOK
	}
	out := Event{ID: ev.ID, Type: ev.Type, Subject: ev.Subject, DialogID: dialogIDOf(ev)}
	if ev.Time != nil {
		out.Time = *ev.Time
	}
	if err := h.hub.Publish(ctx, out); err != nil {
		h.logger.LogAttrs(ctx, slog.LevelError, "events: publish failed", slog.String("type", ev.Type), slog.Any("err", err))
		if f, ok := h.dedup.(Forgetter); ok {
			_ = f.Forget(ctx, ev.ID) // let Altinn Events' retry through
		}
		return http.StatusServiceUnavailable
	}
	return http.StatusOK
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
