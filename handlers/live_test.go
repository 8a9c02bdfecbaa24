package handlers

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/live"
)

// sseClient reads one /live stream as a browser's EventSource would.
type sseClient struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
	raw  strings.Builder
}

// openStream opens /live?query with the test session and waits until the stream has subscribed.
func openStream(t *testing.T, srv *httptest.Server, query string, loggedIn bool) *sseClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live"+query, nil)
	if loggedIn {
		req.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &sseClient{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
}

// next returns the next event (name and data), skipping comments; "" at the end of the stream.
func (c *sseClient) next() (name, data string) {
	c.t.Helper()
	var lines []string
	for {
		line, err := c.r.ReadString('\n')
		c.raw.WriteString(line)
		if err != nil {
			return "", ""
		}
		line = strings.TrimRight(line, "\n")
		switch {
		case line == "":
			if name != "" || len(lines) > 0 {
				return name, strings.Join(lines, "\n")
			}
		case strings.HasPrefix(line, "event: "):
			name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			lines = append(lines, strings.TrimPrefix(line, "data: "))
		case strings.HasPrefix(line, ": connected"):
			return "connected", ""
		}
	}
}

func TestLiveStreamOwnPartiesOnly(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close) // after the streams' own cleanups (LIFO), which close them

	c := openStream(t, srv, "?party="+selfUUID+"&list=%2Finbox%3Fparty%3D"+selfUUID, true)
	if c.resp.StatusCode != http.StatusOK || !strings.HasPrefix(c.resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d %q, want 200 text/event-stream", c.resp.StatusCode, c.resp.Header.Get("Content-Type"))
	}
	if got := c.resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", got)
	}
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want the connected comment", name)
	}
	ctx := context.Background()
	// Another user's party (not among Kari's) and one of Kari's that this page does not show.
	_ = hub.Publish(ctx, live.Event{ID: "x1", Subject: "urn:altinn:organization:identifier-no:999999999", DialogID: "a"})
	_ = hub.Publish(ctx, live.Event{ID: "x2", Subject: "urn:altinn:organization:identifier-no:310000002", DialogID: "b"})
	_ = hub.Publish(ctx, live.Event{ID: "e1", Subject: kariURN, DialogID: testDialog1})
	_ = hub.Publish(ctx, live.Event{ID: "e2", Subject: kariURN, DialogID: testDialog1}) // same dialog
	_ = hub.Publish(ctx, live.Event{ID: "e3", Subject: kariURN, DialogID: "0190fbd7-0000-7000-8000-000000000002"})

	for i, want := range []string{"1 ny eller endret melding.", "1 ny eller endret melding.", "2 nye eller endrede meldinger."} {
		name, data := c.next()
		if name != "dialog-changed" || !strings.Contains(data, want) {
			t.Fatalf("event %d = %q %q, want dialog-changed saying %q", i, name, data, want)
		}
		if !strings.Contains(data, `hx-get="/inbox?party=`+selfUUID+`"`) {
			t.Errorf("event %d: banner does not reload the list: %s", i, data)
		}
	}
	if strings.Contains(c.raw.String(), "01017012345") || strings.Contains(c.raw.String(), "test-token") {
		t.Errorf("stream carries a national identity number or token:\n%s", c.raw.String())
	}
}

func TestLiveStreamRefusesAnotherParty(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, testHookSecret, live.NewMemoryHub(0))
	rec := h.do(http.MethodGet, "/live?party=00000000-0000-0000-0000-00000000dead", req{loggedIn: true})
	if rec.Code != http.StatusForbidden {
		t.Errorf("stream of a party not the user's: %d, want 403", rec.Code)
	}
}

func TestLiveStreamAllOrganisations(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close) // after the streams' own cleanups (LIFO), which close them
	c := openStream(t, srv, "?party="+AllOrgs, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	ctx := context.Background()
	_ = hub.Publish(ctx, live.Event{ID: "p", Subject: kariURN, DialogID: "p"}) // a person: not shown
	_ = hub.Publish(ctx, live.Event{ID: "o", Subject: "urn:altinn:organization:identifier-no:310000002", DialogID: "o"})
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(data, "1 ny") {
		t.Fatalf("got %q %q, want one change (the organisation's)", name, data)
	}
}

func TestLiveStreamDialogPage(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close) // after the streams' own cleanups (LIFO), which close them
	c := openStream(t, srv, "?dialog="+testDialog1, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	ctx := context.Background()
	_ = hub.Publish(ctx, live.Event{ID: "a", Subject: kariURN, DialogID: "0190fbd7-0000-7000-8000-000000000002"})
	_ = hub.Publish(ctx, live.Event{ID: "b", Subject: kariURN, DialogID: testDialog1, Type: "dialogporten.dialog.seen.v1"})
	_ = hub.Publish(ctx, live.Event{ID: "c", Subject: kariURN, DialogID: testDialog1, Type: "dialogporten.dialog.activity.closed.v1"})
	name, data := c.next()
	if name != "dialog-changed" || !strings.Contains(data, `href="/dialogs/`+testDialog1+`"`) {
		t.Fatalf("got %q %q, want the dialog's reload banner", name, data)
	}
}

func TestLiveStreamEndsWithSession(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, testHookSecret, live.NewMemoryHub(0))
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close) // after the streams' own cleanups (LIFO), which close them

	anon := openStream(t, srv, "", false)
	if name, _ := anon.next(); name != "session-ended" {
		t.Errorf("without a session: %q, want session-ended", name)
	}
	if name, _ := anon.next(); name != "" {
		t.Errorf("without a session the stream goes on with %q, want its end", name)
	}

	c := openStream(t, srv, "", true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	h.auth.mu.Lock()
	delete(h.auth.sessions, "s1") // logout
	h.auth.mu.Unlock()
	if name, _ := c.next(); name != "session-ended" {
		t.Errorf("after logout: %q, want session-ended", name)
	}
	if name, _ := c.next(); name != "" {
		t.Errorf("after logout the stream goes on with %q, want its end", name)
	}
}

func TestLiveOffWithoutSecret(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, "", nil)
	if rec := h.do(http.MethodGet, "/live", req{loggedIn: true}); rec.Code != http.StatusNotFound {
		t.Errorf("GET /live without events: %d, want 404", rec.Code)
	}
	rec := h.get("/inbox?party="+selfUUID, req{})
	d := doc(t, rec)
	if n := d.Find("[sse-connect]").Length(); n != 0 {
		t.Errorf("inbox has %d SSE connections without events, want 0", n)
	}
	poll, ok := byTestID(d, "live-slot").Attr("hx-get")
	if !ok || !strings.HasPrefix(poll, "/live/changes?") {
		t.Errorf("inbox poll = %q, want /live/changes?…", poll)
	}
}

func TestLiveInboxConnects(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, testHookSecret, live.NewMemoryHub(0))
	d := doc(t, h.get("/inbox?party="+selfUUID, req{}))
	src, _ := d.Find("[sse-connect]").Attr("sse-connect")
	if !strings.HasPrefix(src, "/live?") || !strings.Contains(src, "party="+selfUUID) {
		t.Errorf("sse-connect = %q, want /live?…party=%s…", src, selfUUID)
	}
	if strings.Contains(src, "01017012345") {
		t.Errorf("sse-connect carries a national identity number: %q", src)
	}
	if d.Find(`[sse-close="session-ended"]`).Length() != 1 {
		t.Error("the SSE element does not close on session-ended")
	}
}

func TestLiveChangesPoll(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, "", nil)
	now := testNow
	h.srv.inbox.live.now = func() time.Time { return now }
	var changed int
	var fail error
	h.dp.search = func(p *dpclient.SearchParams) (*dpclient.SearchResult, error) {
		if fail != nil {
			return nil, fail
		}
		return pageOf(changed), nil
	}
	since := func(d time.Duration) string { return "&since=" + itoa(now.Add(-d).Unix()) }
	poll := func(d time.Duration) *httptest.ResponseRecorder {
		return h.do(http.MethodGet, "/live/changes?party="+selfUUID+since(d), req{loggedIn: true, htmx: true})
	}

	if rec := poll(time.Minute); rec.Code != http.StatusNoContent {
		t.Errorf("nothing changed: %d, want 204", rec.Code)
	}
	calls := h.dp.searchCalls()
	if len(calls) != 1 || calls[0].UpdatedAfter == nil || !calls[0].UpdatedAfter.Equal(now.Add(-time.Minute).Truncate(time.Second)) ||
		len(calls[0].Party) != 1 || calls[0].Party[0] != kariURN {
		t.Fatalf("searches = %+v, want one for Kari updated after since", calls)
	}
	changed = 3
	if rec := poll(time.Minute); rec.Code != http.StatusNoContent || len(h.dp.searchCalls()) != 1 {
		t.Errorf("poll within 30 s: %d after %d searches, want 204 without a search", rec.Code, len(h.dp.searchCalls()))
	}
	now = now.Add(31 * time.Second)
	rec := poll(time.Minute)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "3 nye eller endrede meldinger.") {
		t.Errorf("after changes: %d %s, want the banner with 3", rec.Code, rec.Body.String())
	}
	// 429 upstream: no search until Retry-After has passed.
	now = now.Add(31 * time.Second)
	fail = &dpclient.Error{StatusCode: http.StatusTooManyRequests, RetryAfter: 5 * time.Minute}
	if rec := poll(time.Minute); rec.Code != http.StatusNoContent {
		t.Errorf("upstream 429: %d, want 204", rec.Code)
	}
	fail = nil
	n := len(h.dp.searchCalls())
	now = now.Add(4 * time.Minute)
	poll(time.Minute)
	if got := len(h.dp.searchCalls()); got != n {
		t.Errorf("searched %d times within Retry-After, want 0", got-n)
	}
	now = now.Add(2 * time.Minute)
	// A page older than the poll lifetime gets its last answer with 286: htmx stops polling.
	if rec := poll(time.Hour); rec.Code != statusStopPolling {
		t.Errorf("old page: %d, want 286", rec.Code)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestLiveStreamOutlivesServerTimeouts: cmd/web's server has Read and Write timeouts; a stream
// must outlive them (else the browser reconnects every minute, touching the session), and
// EndStreams ends it for a graceful shutdown.
func TestLiveStreamOutlivesServerTimeouts(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewUnstartedServer(h.srv.Echo)
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)
	c := openStream(t, srv, "", true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	time.Sleep(600 * time.Millisecond) // three times both timeouts
	_ = hub.Publish(context.Background(), live.Event{ID: "late", Subject: kariURN, DialogID: testDialog1})
	if name, _ := c.next(); name != "dialog-changed" {
		t.Fatalf("after the server timeouts: %q, want the event (stream alive)", name)
	}
	h.srv.EndStreams()
	if name, _ := c.next(); name != "" {
		t.Errorf("after EndStreams: %q, want the end of the stream", name)
	}
}
