package dpemu

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Dialog event types of the dialogEvents subscription (DialogEventType in schema.graphql).
const (
	DialogEventUpdated = "DIALOG_UPDATED"
	DialogEventDeleted = "DIALOG_DELETED"
)

const (
	// streamKeepAlive is how often an idle dialogEvents stream sends an SSE comment, so proxies
	// and clients can tell a quiet stream from a dead one.
	streamKeepAlive = 15 * time.Second
	// maxStreamRequest bounds the subscription request body.
	maxStreamRequest = 16 << 10
	// streamBuffer is how many events one stream holds for a slow reader; beyond it the newest
	// is dropped (an event only says "fetch again", and one is still queued).
	streamBuffer = 8
)

// dialogEventType maps a store change to the subscription's event type: dialog updates,
// restores and new seen-log rows (§7.4: seen also raises a dialog-updated domain event) are
// DIALOG_UPDATED, soft deletes DIALOG_DELETED. Creation, transmissions and activities come with
// their own dialog.updated change; label changes raise none.
func dialogEventType(k ChangeKind) (string, bool) {
	switch k {
	case ChangeDialogUpdated, ChangeDialogRestored, ChangeDialogSeen:
		return DialogEventUpdated, true
	case ChangeDialogDeleted:
		return DialogEventDeleted, true
	}
	return "", false
}

// dialogStreams fans store changes out to the open dialogEvents streams by dialog id.
type dialogStreams struct {
	mu   sync.Mutex
	subs map[uuid.UUID]map[chan string]struct{}
}

func newDialogStreams() *dialogStreams {
	return &dialogStreams{subs: map[uuid.UUID]map[chan string]struct{}{}}
}

// publish is the store's OnChange hook: it never blocks the mutating goroutine.
func (s *dialogStreams) publish(c Change) {
	typ, ok := dialogEventType(c.Kind)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs[c.DialogID] {
		select {
		case ch <- typ:
		default:
		}
	}
}

func (s *dialogStreams) subscribe(id uuid.UUID) (chan string, func()) {
	ch := make(chan string, streamBuffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.subs[id] == nil {
		s.subs[id] = map[chan string]struct{}{}
	}
	s.subs[id][ch] = struct{}{}
	return ch, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		delete(s.subs[id], ch)
		if len(s.subs[id]) == 0 {
			delete(s.subs, id)
		}
	}
}

// open is how many streams are open (for tests).
func (s *dialogStreams) open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.subs {
		n += len(m)
	}
	return n
}

// OpenDialogEventStreams reports how many dialogEvents subscriptions are open now.
func (e *Emulator) OpenDialogEventStreams() int { return e.streams.open() }

// DialogEventRequests reports how many dialogEvents subscriptions were asked for since the
// emulator started, refused ones included (for tests that count the portal's subscriptions).
func (e *Emulator) DialogEventRequests() int { return int(e.streamRequests.Load()) }

// dialogEventsStream serves POST /dialogporten/graphql/stream (§12.2): the dialogEvents
// subscription over Server-Sent Events (graphql-sse, distinct connections mode). It takes only
// that subscription, with a dialog token as bearer:
//
//   - 401 (WWW-Authenticate: Bearer) for a missing, invalid or expired dialog token;
//   - 406 unless Accept allows text/event-stream;
//   - 400 with {"errors":[…]} for a body that is not exactly that subscription;
//   - 403 when the token's `i` claim is another dialog than dialogId, as in production.
//
// Each change of the dialog is sent as `event: next` with
// {"data":{"dialogEvents":{"id":…,"type":…}}}. When the token expires during the stream, the
// emulator ends it with `event: complete` — stricter than production, which checks the token
// only when the subscription starts — so a client must come back with a fresh token; the
// portal renews ahead of expiry and never sees it.
func (e *Emulator) dialogEventsStream(w http.ResponseWriter, r *http.Request) {
	e.streamRequests.Add(1)
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(raw) == "" {
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	claims, err := e.dtokens.Verify(strings.TrimSpace(raw), e.now())
	if err != nil {
		e.log.DebugContext(r.Context(), "dpemu: dialog token refused on the event stream", "err", err)
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if !acceptsEventStream(r.Header.Get("Accept")) {
		graphQLError(w, http.StatusNotAcceptable, "Accept must allow text/event-stream.")
		return
	}
	var body struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
		Extensions    map[string]any `json:"extensions"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxStreamRequest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		graphQLError(w, http.StatusBadRequest, "The body must be a GraphQL request: {\"query\": …, \"variables\": {…}}.")
		return
	}
	sub, err := parseDialogEventsSubscription(body.Query, body.OperationName, body.Variables)
	if err != nil {
		graphQLError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !strings.EqualFold(claims.DialogID, sub.dialogID.String()) {
		graphQLError(w, http.StatusForbidden, "The dialog token is not for this dialog.")
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		graphQLError(w, http.StatusInternalServerError, "Streaming is not supported here.")
		return
	}
	events, unsubscribe := e.streams.subscribe(sub.dialogID)
	defer unsubscribe()

	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()

	expiry := time.NewTimer(time.Unix(claims.Expires, 0).Sub(e.now()))
	defer expiry.Stop()
	keepAlive := time.NewTicker(streamKeepAlive)
	defer keepAlive.Stop()
	for {
		var err error
		select {
		case <-r.Context().Done():
			return
		case typ := <-events:
			_, err = fmt.Fprintf(w, "event: next\ndata: %s\n\n", sub.result(typ))
		case <-keepAlive.C:
			_, err = fmt.Fprint(w, ":\n\n")
		case <-expiry.C:
			_, _ = fmt.Fprint(w, "event: complete\ndata:\n\n")
			flusher.Flush()
			return
		}
		if err != nil {
			return
		}
		flusher.Flush()
	}
}

func acceptsEventStream(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		if mt == "text/event-stream" || mt == "text/*" || mt == "*/*" {
			return true
		}
	}
	return false
}

// graphQLError writes a GraphQL-over-HTTP error answer.
func graphQLError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string][]map[string]string{"errors": {{"message": msg}}})
}

// errBadSubscription marks a request that is not the dialogEvents subscription.
var errBadSubscription = errors.New("bad subscription")
