package dpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const testDialogID = "0190fbd7-0000-7000-8000-000000000001"

// sseServer mounts handler at the stream path and checks the subscription request first.
func sseServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) *Client {
	t.Helper()
	c, mux, _ := setup(t)
	mux.HandleFunc(basePath+"/graphql/stream", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			t.Errorf("got method %s, want POST", r.Method)
		}
		if got := r.Header.Get("Accept"); got != "text/event-stream" {
			t.Errorf("got Accept %q, want text/event-stream", got)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer dialog-token" {
			t.Errorf("got Authorization %q, want the dialog token", got)
		}
		var body struct {
			Query     string            `json:"query"`
			Variables map[string]string `json:"variables"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			t.Errorf("decode body: %v", err)
		}
		if !strings.Contains(body.Query, "dialogEvents(dialogId: $dialogId)") || strings.Contains(body.Query, testDialogID) {
			t.Errorf("got query %q, want dialogEvents with the id in a variable", body.Query)
		}
		if body.Variables["dialogId"] != testDialogID {
			t.Errorf("got variables %v, want dialogId %s", body.Variables, testDialogID)
		}
		handler(w, r)
	})
	return c
}

func writeSSE(w http.ResponseWriter, chunks ...string) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	for _, c := range chunks {
		_, _ = io.WriteString(w, c)
		w.(http.Flusher).Flush()
	}
}

func nextEvent(typ string) string {
	return fmt.Sprintf("event: next\ndata: {\"data\":{\"dialogEvents\":{\"id\":%q,\"type\":%q}}}\n\n", testDialogID, typ)
}

func TestSubscribeDialogEventsReadsEventsUntilComplete(t *testing.T) {
	t.Parallel()
	c := sseServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeSSE(w, ":\n\n", nextEvent("DIALOG_UPDATED"), "event: ping\ndata: x\n\n",
			"event: next\r\nid: 7\r\ndata: {\"data\":\r\ndata: {\"dialogEvents\":{\"id\":\""+testDialogID+"\",\"type\":\"DIALOG_DELETED\"}}}\r\n\r\n",
			"event: complete\ndata:\n\n")
	})
	s, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token")
	if err != nil {
		t.Fatalf("SubscribeDialogEvents: %v", err)
	}
	defer s.Close()
	want := []DialogEvent{{ID: testDialogID, Type: DialogEventUpdated}, {ID: testDialogID, Type: DialogEventDeleted}}
	for i, w := range want {
		got, err := s.Next()
		if err != nil || got != w {
			t.Fatalf("event %d: got %+v, %v; want %+v", i, got, err, w)
		}
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("after complete: got %v, want io.EOF", err)
	}
	if _, err := s.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("again after complete: got %v, want io.EOF", err)
	}
}

func TestSubscribeDialogEventsRefusals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status int
		want   error
	}{{http.StatusUnauthorized, ErrUnauthorized}, {http.StatusForbidden, ErrForbidden}, {http.StatusServiceUnavailable, ErrUnavailable}} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			t.Parallel()
			c := sseServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
				w.WriteHeader(tc.status)
			})
			_, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token")
			var de *Error
			if !errors.As(err, &de) || de.StatusCode != tc.status || !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want *Error %d matching %v", err, tc.status, tc.want)
			}
			if strings.Contains(err.Error(), "dialog-token") {
				t.Fatalf("error %q holds the token", err)
			}
		})
	}
}

func TestSubscribeDialogEventsTransportFailureIsNotAnAPIError(t *testing.T) {
	t.Parallel()
	c, _, srv := setup(t)
	srv.Close()
	_, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token")
	var de *Error
	if err == nil || errors.As(err, &de) {
		t.Fatalf("got %v, want a transport error that is no *Error", err)
	}
}

func TestSubscribeDialogEventsBadInput(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t)
	if _, err := c.SubscribeDialogEvents(context.Background(), "", "tok"); err == nil {
		t.Fatal("empty dialog id: got nil error")
	}
	if _, err := c.SubscribeDialogEvents(context.Background(), testDialogID, " "); err == nil {
		t.Fatal("empty token: got nil error")
	}
}

func TestSubscribeDialogEventsStreamFailures(t *testing.T) {
	t.Parallel()
	long := "data: " + strings.Repeat("x", maxStreamLine) + "\n\n"
	many := "event: next\n" + strings.Repeat("data: "+strings.Repeat("y", 1000)+"\n", 70) + "\n"
	for _, tc := range []struct {
		name   string
		chunks []string
		check  func(error) bool
	}{
		{"dropped without complete", []string{nextEvent("DIALOG_UPDATED")[:20]}, func(err error) bool { return errors.Is(err, io.ErrUnexpectedEOF) }},
		{"line too long", []string{long}, func(err error) bool { return errors.Is(err, ErrStreamTooLarge) }},
		{"event too large", []string{many}, func(err error) bool { return errors.Is(err, ErrStreamTooLarge) }},
		{"graphql errors", []string{"event: next\ndata: {\"errors\":[{\"message\":\"Forbidden\"}]}\n\n"}, func(err error) bool {
			var ge *GraphQLError
			return errors.As(err, &ge) && len(ge.Messages) == 1 && ge.Messages[0] == "Forbidden"
		}},
		{"no data", []string{"event: next\ndata: {\"data\":null}\n\n"}, func(err error) bool { return err != nil }},
		{"not json", []string{"event: next\ndata: nope\n\n"}, func(err error) bool { return err != nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := sseServer(t, func(w http.ResponseWriter, r *http.Request) { writeSSE(w, tc.chunks...) })
			s, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token")
			if err != nil {
				t.Fatalf("SubscribeDialogEvents: %v", err)
			}
			defer s.Close()
			if _, err := s.Next(); !tc.check(err) {
				t.Fatalf("got %v", err)
			}
		})
	}
}

func TestSubscribeDialogEventsWrongContentType(t *testing.T) {
	t.Parallel()
	c := sseServer(t, func(w http.ResponseWriter, r *http.Request) { serveJSON(w, 200, []byte(`{}`)) })
	if _, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token"); err == nil || !strings.Contains(err.Error(), "text/event-stream") {
		t.Fatalf("got %v, want an error naming the wrong media type", err)
	}
}

func TestSubscribeDialogEventsHonoursContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	c := sseServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeSSE(w, ":\n\n")
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	ctx, cancel := context.WithCancel(context.Background())
	s, err := c.SubscribeDialogEvents(ctx, testDialogID, "dialog-token")
	if err != nil {
		t.Fatalf("SubscribeDialogEvents: %v", err)
	}
	defer s.Close()
	go cancel()
	if _, err := s.Next(); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// The client's overall HTTP timeout bounds ordinary calls; it must not cut a stream.
func TestSubscribeDialogEventsOutlivesTheClientTimeout(t *testing.T) {
	t.Parallel()
	c := sseServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeSSE(w, ":\n\n")
		time.Sleep(300 * time.Millisecond)
		_, _ = io.WriteString(w, nextEvent("DIALOG_UPDATED"))
	})
	c.httpClient = &http.Client{Transport: c.httpClient.Transport, Timeout: 50 * time.Millisecond}
	s, err := c.SubscribeDialogEvents(context.Background(), testDialogID, "dialog-token")
	if err != nil {
		t.Fatalf("SubscribeDialogEvents: %v", err)
	}
	defer s.Close()
	if ev, err := s.Next(); err != nil || ev.Type != DialogEventUpdated {
		t.Fatalf("got %+v, %v; want the event sent after the client timeout", ev, err)
	}
}
