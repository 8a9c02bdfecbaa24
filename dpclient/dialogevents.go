package dpclient

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DialogEventType is what happened to a subscribed dialog (DialogEventType in schema.graphql).
type DialogEventType string

// Dialog event types as they appear on the wire.
const (
	DialogEventUpdated DialogEventType = "DIALOG_UPDATED"
	DialogEventDeleted DialogEventType = "DIALOG_DELETED"
)

// DialogEvent is one result of the dialogEvents subscription (DialogEventPayload): the
// dialog's id and what happened to it.
type DialogEvent struct {
	ID   string          `json:"id"`
	Type DialogEventType `json:"type"`
}

// dialogEventsQuery is the subscription SubscribeDialogEvents sends; the dialog id goes in
// the variables, never into the query text.
const dialogEventsQuery = `subscription DialogEvents($dialogId: UUID!) { dialogEvents(dialogId: $dialogId) { id type } }`

const (
	// maxStreamLine bounds one line of the event stream.
	maxStreamLine = 16 << 10
	// maxStreamEvent bounds the data of one event (its data lines together).
	maxStreamEvent = 64 << 10
	// streamHeaderTimeout bounds the wait for the stream's response headers; the stream itself
	// runs as long as its context.
	streamHeaderTimeout = 30 * time.Second
)

// ErrStreamTooLarge is returned by DialogEventStream.Next for a line or an event beyond the
// stream's bounds (16 KiB a line, 64 KiB an event).
var ErrStreamTooLarge = errors.New("dpclient: event stream line or event too large")

// GraphQLError is a subscription result that carries GraphQL errors instead of data.
type GraphQLError struct {
	Messages []string
}

// Error implements error.
func (e *GraphQLError) Error() string {
	return "dpclient: dialogEvents: graphql errors: " + strings.Join(e.Messages, "; ")
}

// SubscribeDialogEvents subscribes to Dialogporten's dialogEvents(dialogId) over GraphQL over
// Server-Sent Events (graphql-sse, distinct connections mode): POST {base}/graphql/stream with
// Accept: text/event-stream and the dialog token as bearer (§12.2; the token's `i` claim must
// be dialogID). It returns once the stream is open; read it with Next and Close it when done.
//
// A refused subscription is an *Error (401: the token is missing, invalid or expired; 403:
// it is for another dialog), distinct from a transport failure. The stream ends when ctx ends;
// the client's own HTTP timeout is not applied to it (only to the wait for the headers, 30 s).
func (c *Client) SubscribeDialogEvents(ctx context.Context, dialogID, dialogToken string) (*DialogEventStream, error) {
	if _, err := pathID("dialogID", dialogID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(dialogToken) == "" {
		return nil, errors.New("dpclient: dialogEvents: dialog token is empty")
	}
	body := map[string]any{"query": dialogEventsQuery, "variables": map[string]string{"dialogId": dialogID}}
	sctx, cancel := context.WithCancel(ctx)
	req, err := c.NewRequest(sctx, http.MethodPost, c.apiURL("/graphql/stream", nil), body,
		WithCallToken(StaticToken(dialogToken)), withAccept("text/event-stream"))
	if err != nil {
		cancel()
		return nil, err
	}
	req.Header.Set("Cache-Control", "no-cache")
	hc := *c.httpClient // a copy without the overall timeout, which would cut the stream
	hc.Timeout = 0
	headerTimer := time.AfterFunc(streamHeaderTimeout, cancel)
	resp, err := hc.Do(req)
	timedOut := !headerTimer.Stop()
	if err != nil {
		cancel()
		switch {
		case ctx.Err() != nil:
			err = ctx.Err()
		case timedOut:
			err = fmt.Errorf("no answer within %s: %w", streamHeaderTimeout, context.DeadlineExceeded)
		default:
			if ue := (*url.Error)(nil); errors.As(err, &ue) {
				err = ue.Err // the URL stays out of the message
			}
		}
		return nil, fmt.Errorf("dpclient: %s %s: %w", req.Method, req.URL.EscapedPath(), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer cancel()
		defer drainClose(resp.Body)
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return nil, newError(resp, b, c.now())
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		cancel()
		drainClose(resp.Body)
		return nil, fmt.Errorf("dpclient: %s %s: answered %q, want text/event-stream", req.Method, req.URL.EscapedPath(), mt)
	}
	return &DialogEventStream{ctx: ctx, body: resp.Body, r: bufio.NewReaderSize(resp.Body, maxStreamLine), cancel: cancel}, nil
}

// DialogEventStream is an open dialogEvents subscription. It is not safe for concurrent
// Next calls; Close may be called from any goroutine.
type DialogEventStream struct {
	ctx    context.Context
	body   io.ReadCloser
	r      *bufio.Reader
	cancel context.CancelFunc
	ended  bool
}

// Next blocks until the next event arrives. It returns io.EOF once the server completed the
// subscription (`event: complete`), an error wrapping io.ErrUnexpectedEOF when the
// connection ended without it, *GraphQLError for a result with errors, ErrStreamTooLarge for
// an oversized line or event, and ctx's error when the context ended.
func (s *DialogEventStream) Next() (DialogEvent, error) {
	if s.ended {
		return DialogEvent{}, io.EOF
	}
	for {
		name, data, err := s.readEvent()
		if err != nil {
			if ctxErr := s.ctx.Err(); ctxErr != nil {
				err = ctxErr
			}
			return DialogEvent{}, err
		}
		switch name {
		case "complete":
			s.ended = true
			return DialogEvent{}, io.EOF
		case "next":
			return decodeNext(data)
		}
		// Other event names (and comment-only keep-alives) are not part of the protocol's
		// results: skip them.
	}
}

// Close ends the subscription and closes the connection; it is safe to call more than once.
func (s *DialogEventStream) Close() error {
	s.cancel()
	return s.body.Close()
}

// readEvent reads one event (up to its blank line) and returns its name and data. Only the
// event and data fields matter to graphql-sse; id, retry and comments are skipped.
func (s *DialogEventStream) readEvent() (string, []byte, error) {
	var name string
	var data []byte
	seen, hasData := false, false // whether the event has any field, any data line
	for {
		line, err := s.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			return "", nil, ErrStreamTooLarge
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				return "", nil, fmt.Errorf("dpclient: dialogEvents: stream ended without complete: %w", io.ErrUnexpectedEOF)
			}
			return "", nil, fmt.Errorf("dpclient: dialogEvents: %w", err)
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			if seen {
				return name, data, nil
			}
			continue
		}
		if line[0] == ':' {
			continue // a comment (keep-alive)
		}
		field, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.TrimPrefix(value, []byte(" "))
		switch string(field) {
		case "event":
			name, seen = string(value), true
		case "data":
			if len(data)+len(value)+1 > maxStreamEvent {
				return "", nil, ErrStreamTooLarge
			}
			if hasData {
				data = append(data, '\n')
			}
			data = append(data, value...)
			hasData, seen = true, true
		default:
			seen = true
		}
	}
}

// decodeNext decodes a `next` event's ExecutionResult.
func decodeNext(data []byte) (DialogEvent, error) {
	var res struct {
		Data *struct {
			DialogEvents *DialogEvent `json:"dialogEvents"`
		} `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		return DialogEvent{}, fmt.Errorf("dpclient: dialogEvents: decode: %w", err)
	}
	if len(res.Errors) > 0 {
		ge := &GraphQLError{}
		for _, e := range res.Errors {
			ge.Messages = append(ge.Messages, e.Message)
		}
		return DialogEvent{}, ge
	}
	if res.Data == nil || res.Data.DialogEvents == nil || res.Data.DialogEvents.ID == "" {
		return DialogEvent{}, errors.New("dpclient: dialogEvents: a result without data")
	}
	return *res.Data.DialogEvents, nil
}
