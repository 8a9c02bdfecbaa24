package dpemu

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
)

// streamFixture is an emulator with a clock the test moves, for the event stream's tests.
type streamFixture struct {
	e     *Emulator
	srv   *httptest.Server
	clock atomic.Int64 // unix nanoseconds
}

func newStreamFixture(t *testing.T) *streamFixture {
	t.Helper()
	f := &streamFixture{}
	f.clock.Store(fixedNow.UnixNano())
	f.srv = httptest.NewUnstartedServer(nil)
	e, err := New(Options{Seed: 42, BaseURL: "http://" + f.srv.Listener.Addr().String(), Issuers: testIssuers(t),
		Now: func() time.Time { return time.Unix(0, f.clock.Load()).UTC() }})
	if err != nil {
		t.Fatal(err)
	}
	f.e = e
	f.srv.Config.Handler = e.Handler()
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	return f
}

// dialog returns a live (not deleted) dialog of the scenario.
func (f *streamFixture) dialog(t *testing.T) uuid.UUID {
	t.Helper()
	for _, d := range f.e.store.dialogs {
		if d.DeletedAt == nil {
			return d.ID
		}
	}
	t.Fatal("no dialog")
	return uuid.Nil
}

func (f *streamFixture) token(t *testing.T, id uuid.UUID, at time.Time) string {
	t.Helper()
	tok, err := f.e.DialogTokens().Sign(DialogTokenClaims{Caller: "urn:altinn:person:identifier-no:1", DialogID: id.String(), Actions: "read"}, at)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// subscribe posts body to the stream endpoint.
func (f *streamFixture) subscribe(t *testing.T, ctx context.Context, token, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, f.srv.URL+"/dialogporten/graphql/stream", strings.NewReader(body))
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := f.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func subscriptionBody(id uuid.UUID) string {
	return fmt.Sprintf(`{"query":"subscription Watch($id: UUID!) { dialogEvents(dialogId: $id) { id type } }","variables":{"id":%q}}`, id)
}

// readEvent reads one SSE event (skipping comments) as its raw text.
func readEvent(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	var ev strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("read stream: %v (so far %q)", err, ev.String())
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		if line == "\n" {
			if ev.Len() > 0 {
				return ev.String()
			}
			continue
		}
		ev.WriteString(line)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func TestDialogEventsStreamSendsStoreChanges(t *testing.T) {
	t.Parallel()
	f := newStreamFixture(t)
	id := f.dialog(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	resp := f.subscribe(t, ctx, f.token(t, id, fixedNow), subscriptionBody(id))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("got %d %s, want 200 text/event-stream", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	waitFor(t, "the stream to be open", func() bool { return f.e.OpenDialogEventStreams() == 1 })
	r := bufio.NewReader(resp.Body)

	if err := f.e.Store().SetStatus(id, StatusRequiresAttention, ""); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("event: next\ndata: {\"data\":{\"dialogEvents\":{\"id\":%q,\"type\":\"DIALOG_UPDATED\"}}}\n", id)
	if got := readEvent(t, r); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// Another dialog's change is not sent; the deletion that follows is.
	other := uuid.Nil
	for _, d := range f.e.store.dialogs {
		if d.ID != id && d.DeletedAt == nil {
			other = d.ID
			break
		}
	}
	if err := f.e.Store().SetStatus(other, StatusCompleted, ""); err != nil {
		t.Fatal(err)
	}
	if err := f.e.Store().DeleteDialog(id); err != nil {
		t.Fatal(err)
	}
	if got := readEvent(t, r); !strings.Contains(got, `"type":"DIALOG_DELETED"`) || !strings.Contains(got, id.String()) {
		t.Fatalf("got %q, want this dialog's DIALOG_DELETED", got)
	}
	cancel()
	waitFor(t, "the stream to close after the client left", func() bool { return f.e.OpenDialogEventStreams() == 0 })
}

func TestDialogEventsStreamCompletesWhenTheTokenExpires(t *testing.T) {
	t.Parallel()
	f := newStreamFixture(t)
	id := f.dialog(t)
	tok := f.token(t, id, fixedNow)
	// 300 ms of the token's 600 s are left when the stream opens.
	f.clock.Store(fixedNow.Add(DialogTokenLifetime - 300*time.Millisecond).UnixNano())
	resp := f.subscribe(t, context.Background(), tok, subscriptionBody(id))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got %d, want 200", resp.StatusCode)
	}
	r := bufio.NewReader(resp.Body)
	if got := readEvent(t, r); got != "event: complete\ndata:\n" {
		t.Fatalf("got %q, want the complete event", got)
	}
	if _, err := r.ReadString('\n'); !errors.Is(err, io.EOF) {
		t.Fatalf("after complete: got %v, want the stream closed", err)
	}
}

func TestDialogEventsStreamRefusals(t *testing.T) {
	t.Parallel()
	f := newStreamFixture(t)
	id := f.dialog(t)
	otherID := uuid.MustParse("0190fbd7-0000-7000-8000-000000000001")
	good := f.token(t, id, fixedNow)
	for _, tc := range []struct {
		name, token, body, accept string
		want                      int
	}{
		{"no token", "", subscriptionBody(id), "", http.StatusUnauthorized},
		{"not a token", "abc.def.ghi", subscriptionBody(id), "", http.StatusUnauthorized},
		{"expired token", f.token(t, id, fixedNow.Add(-DialogTokenLifetime-time.Minute)), subscriptionBody(id), "", http.StatusUnauthorized},
		{"token for another dialog", f.token(t, otherID, fixedNow), subscriptionBody(id), "", http.StatusForbidden},
		{"another dialog in the query", good, subscriptionBody(otherID), "", http.StatusForbidden},
		{"not json", good, `subscription { dialogEvents }`, "", http.StatusBadRequest},
		{"unknown body field", good, `{"query":"subscription { dialogEvents(dialogId: \"` + id.String() + `\") { id } }","x":1}`, "", http.StatusBadRequest},
		{"a query", good, `{"query":"{ dialogById(dialogId: \"` + id.String() + `\") { id } }"}`, "", http.StatusBadRequest},
		{"json only", good, subscriptionBody(id), "application/json", http.StatusNotAcceptable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/dialogporten/graphql/stream", strings.NewReader(tc.body))
			req.Header.Set("Accept", "text/event-stream")
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := f.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("got %d, want %d", resp.StatusCode, tc.want)
			}
			if tc.want == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("got WWW-Authenticate %q, want Bearer", resp.Header.Get("WWW-Authenticate"))
			}
			if tc.want == http.StatusBadRequest || tc.want == http.StatusForbidden {
				var body struct{ Errors []struct{ Message string } }
				if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || len(body.Errors) != 1 || body.Errors[0].Message == "" {
					t.Fatalf("got body %+v (%v), want one GraphQL error with a message", body, err)
				}
			}
		})
	}
	if n := f.e.OpenDialogEventStreams(); n != 0 {
		t.Fatalf("got %d open streams after refusals, want 0", n)
	}
}

func TestParseDialogEventsSubscription(t *testing.T) {
	t.Parallel()
	const id = "0190fbd7-0000-7000-8000-000000000001"
	vars := map[string]any{"id": id, "n": 7}
	for _, tc := range []struct {
		query, op string
		wantErr   string // "" for accepted
		wantJSON  string
	}{
		{query: `subscription { dialogEvents(dialogId: "` + id + `") { id type } }`,
			wantJSON: `{"data":{"dialogEvents":{"id":"` + id + `","type":"DIALOG_UPDATED"}}}`},
		{query: "subscription W($id: UUID!) {\n  # the open dialog\n  ev: dialogEvents(dialogId: $id) { type, __typename }\n}", op: "W",
			wantJSON: `{"data":{"ev":{"type":"DIALOG_UPDATED","__typename":"DialogEventPayload"}}}`},
		{query: `{ dialogEvents(dialogId: "` + id + `") { id } }`, wantErr: "only `subscription"},
		{query: `mutation { dialogEvents(dialogId: "` + id + `") { id } }`, wantErr: "only `subscription"},
		{query: `subscription { dialogById(dialogId: "` + id + `") { id } }`, wantErr: `field "dialogById"`},
		{query: `subscription { dialogEvents(id: "` + id + `") { id } }`, wantErr: `not "id"`},
		{query: `subscription { dialogEvents(dialogId: "nope") { id } }`, wantErr: "not a UUID"},
		{query: `subscription { dialogEvents(dialogId: $id) { id } }`, wantErr: "not declared"},
		{query: `subscription ($n: UUID!) { dialogEvents(dialogId: $n) { id } }`, wantErr: "as a string"},
		{query: `subscription ($id: String!) { dialogEvents(dialogId: $id) { id } }`, wantErr: "must be UUID!"},
		{query: `subscription { dialogEvents(dialogId: "` + id + `") { id party } }`, wantErr: `no field "party"`},
		{query: `subscription { dialogEvents(dialogId: "` + id + `") { } }`, wantErr: "at least one"},
		{query: `subscription { dialogEvents(dialogId: "` + id + `") { id } } subscription { x }`, wantErr: "one operation"},
		{query: `subscription X { dialogEvents(dialogId: "` + id + `") { id } }`, op: "Y", wantErr: "operationName"},
		{query: `subscription { dialogEvents(dialogId: "` + id + `") { ...F } }`, wantErr: "expected a name"},
		{query: ``, wantErr: "the end"},
	} {
		sub, err := parseDialogEventsSubscription(tc.query, tc.op, vars)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, errBadSubscription) {
				t.Errorf("%q: got %v, want an error containing %q", tc.query, err, tc.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		if got := string(sub.result(DialogEventUpdated)); got != tc.wantJSON {
			t.Errorf("%q: got %s, want %s", tc.query, got, tc.wantJSON)
		}
	}
}
