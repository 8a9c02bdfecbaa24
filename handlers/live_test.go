package handlers

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
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

// openStream opens /live?query with the test session (s1) or none.
func openStream(t *testing.T, srv *httptest.Server, query string, loggedIn bool) *sseClient {
	t.Helper()
	session := ""
	if loggedIn {
		session = "s1"
	}
	return openStreamAs(t, srv, query, session)
}

// openStreamAs opens /live?query as the fake session with this id ("" for none).
func openStreamAs(t *testing.T, srv *httptest.Server, query, session string) *sseClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live"+query, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: "test-session", Value: session})
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

// TestLiveStreamGroupBannerNamesParties: the banner of a group's list (all organisations) says
// whose dialogs changed; one party's list does not repeat its own name.
func TestLiveStreamGroupBannerNamesParties(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close)
	c := openStream(t, srv, "?party="+AllOrgs, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	ctx := context.Background()
	_ = hub.Publish(ctx, live.Event{ID: "1", Subject: "urn:altinn:organization:identifier-no:310000002", DialogID: "d1"})
	if _, data := c.next(); !strings.Contains(strings.ToLower(data), "1 ny eller endret melding. gjelder alta auto as.") {
		t.Errorf("banner %q, want it to name Alta Auto", data)
	}
	_ = hub.Publish(ctx, live.Event{ID: "2", Subject: "urn:altinn:organization:identifier-no:310000001", DialogID: "d2"})
	if _, data := c.next(); !strings.Contains(strings.ToLower(data), "2 nye eller endrede meldinger. gjelder alta auto as, bergen bakeri as.") {
		t.Errorf("banner %q, want it to name both, first seen first", data)
	}
	one := openStream(t, srv, "?party="+selfUUID, true)
	if name, _ := one.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	_ = hub.Publish(ctx, live.Event{ID: "3", Subject: kariURN, DialogID: "d3"})
	if _, data := one.next(); strings.Contains(data, "Gjelder") {
		t.Errorf("one party's banner %q names the party, want just the count", data)
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

// addSession logs in one more fake session (same user, same parties).
func (h *harness) addSession(id string) {
	h.auth.mu.Lock()
	defer h.auth.mu.Unlock()
	h.auth.sessions[id] = &Session{ID: id}
}

// TestStreamsPerSessionCapped: a session's streams beyond live.DefaultStreamsPerSession end
// the oldest, which is told to stop for good (the live region's sse-close event, data
// "replaced") rather than to reconnect, which would end the next oldest (issue 8, point 3).
func TestStreamsPerSessionCapped(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close)
	var streams []*sseClient
	for i := range live.DefaultStreamsPerSession + 1 {
		c := openStream(t, srv, "?party="+selfUUID, true)
		if name, _ := c.next(); name != "connected" {
			t.Fatalf("stream %d: %q, want connected", i, name)
		}
		streams = append(streams, c)
	}
	if name, data := streams[0].next(); name != "session-ended" || data != "replaced" {
		t.Fatalf("oldest stream: %q %q, want session-ended replaced", name, data)
	}
	if name, _ := streams[0].next(); name != "" {
		t.Errorf("oldest stream goes on with %q, want its end", name)
	}
	_ = hub.Publish(context.Background(), live.Event{ID: "e", Subject: kariURN, DialogID: testDialog1})
	for i, c := range streams[1:] {
		if name, _ := c.next(); name != "dialog-changed" {
			t.Errorf("stream %d: %q, want dialog-changed (still open)", i+1, name)
		}
	}
	// Another session of the same user has its own allowance.
	h.addSession("s2")
	if name, _ := openStreamAs(t, srv, "?party="+selfUUID, "s2").next(); name != "connected" {
		t.Errorf("another session's stream: %q, want connected", name)
	}
	if got := hub.Subscribers(); got != live.DefaultStreamsPerSession+1 {
		t.Errorf("hub holds %d subscriptions, want %d", got, live.DefaultStreamsPerSession+1)
	}
}

// TestGlobalStreamCap: beyond LiveConfig.MaxStreams a stream is refused with 503 and
// Retry-After (htmx-ext-sse then retries with its back-off), until one ends.
func TestGlobalStreamCap(t *testing.T) {
	t.Parallel()
	h := newLiveHarnessWith(t, LiveConfig{Secret: testHookSecret, Hub: live.NewMemoryHub(0), MaxStreams: 2})
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close)
	for _, id := range []string{"s2", "s3"} {
		h.addSession(id)
	}
	first := openStreamAs(t, srv, "", "s1")
	if name, _ := first.next(); name != "connected" {
		t.Fatalf("first: %q, want connected", name)
	}
	if name, _ := openStreamAs(t, srv, "", "s2").next(); name != "connected" {
		t.Fatalf("second: %q, want connected", name)
	}
	refused := openStreamAs(t, srv, "", "s3")
	if refused.resp.StatusCode != http.StatusServiceUnavailable || refused.resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third stream: %d, Retry-After %q; want 503 with Retry-After", refused.resp.StatusCode, refused.resp.Header.Get("Retry-After"))
	}
	if ct := refused.resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("refusal's Content-Type = %q, want no event stream", ct)
	}
	first.resp.Body.Close() // the tab closes: its slot is given back
	for i := 0; ; i++ {
		c := openStreamAs(t, srv, "", "s3")
		if c.resp.StatusCode == http.StatusOK {
			break
		}
		if i == 100 {
			t.Fatalf("a stream after one ended: %d, want 200", c.resp.StatusCode)
		}
		c.resp.Body.Close()
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDialogStreamFollowsOnlyItsParty: a dialog page's stream names the dialog's party, the
// server checks the user may act for it, and the stream watches that party alone.
func TestDialogStreamFollowsOnlyItsParty(t *testing.T) {
	t.Parallel()
	const altaURN = "urn:altinn:organization:identifier-no:310000002"
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close)
	src := h.srv.inbox.live.Props(altaUUID, "", testDialog1).Stream
	if !strings.HasPrefix(src, "/live?") || !strings.Contains(src, "party="+altaUUID) || !strings.Contains(src, "dialog="+testDialog1) {
		t.Fatalf("dialog page's stream = %q, want /live? with its dialog and party", src)
	}
	c := openStream(t, srv, strings.TrimPrefix(src, "/live"), true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	if got := hub.Watchers(altaURN); got != 1 {
		t.Errorf("subscriptions watching the dialog's party = %d, want 1", got)
	}
	for _, other := range []string{kariURN, "urn:altinn:organization:identifier-no:310000001"} {
		if got := hub.Watchers(other); got != 0 {
			t.Errorf("subscriptions watching %s (not the dialog's party) = %d, want 0", other, got)
		}
	}
	_ = hub.Publish(context.Background(), live.Event{ID: "a", Subject: altaURN, DialogID: testDialog1})
	if name, data := c.next(); name != "dialog-changed" || !strings.Contains(data, `href="/dialogs/`+testDialog1+`"`) {
		t.Fatalf("got %q %q, want the dialog's reload banner", name, data)
	}
	for _, party := range []string{"00000000-0000-0000-0000-00000000dead", AllOrgs, ""} {
		q := "/live?dialog=" + testDialog1 + "&party=" + party
		if party == "" {
			q = "/live?dialog=" + testDialog1 + "&party=%20"
		}
		if rec := h.do(http.MethodGet, q, req{loggedIn: true}); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403 (not a party the user acts for)", q, rec.Code)
		}
	}
}

// TestLiveStreamCountIsBounded: an open tab counts at most 100 changed dialogs, then says
// "more than", remembering no more.
func TestLiveStreamCountIsBounded(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(200)
	h := newLiveHarness(t, testHookSecret, hub)
	srv := httptest.NewServer(h.srv.Echo)
	t.Cleanup(srv.Close)
	c := openStream(t, srv, "?party="+selfUUID, true)
	if name, _ := c.next(); name != "connected" {
		t.Fatalf("first = %q, want connected", name)
	}
	var data string
	for i := range 100 + 2 {
		_ = hub.Publish(context.Background(), live.Event{ID: itoa(int64(i)), Subject: kariURN, DialogID: "d" + itoa(int64(i))})
		_, data = c.next()
	}
	if !strings.Contains(data, "Over 100 nye") {
		t.Errorf("after 102 changed dialogs: %q, want over 100", data)
	}
}

// streamParties is the test parties and n organisations more.
func streamParties(n int) *dpclient.PartiesResult {
	res := testParties()
	for i := range n {
		res.AuthorizedParties = append(res.AuthorizedParties, dpclient.AuthorizedParty{
			Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 400000000+i),
			PartyUUID: fmt.Sprintf("00000000-0000-4000-a000-%012d", i), Name: fmt.Sprintf("ORG %d AS", i),
			PartyType: dpclient.PartyTypeOrganization,
		})
	}
	return res
}

// rawStream opens /live?query as s1 over a bare connection (no client goroutines, no client
// buffers, so that what is measured is the server's) and waits until it has subscribed.
func rawStream(t *testing.T, addr, query string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fmt.Fprintf(c, "GET /live%s HTTP/1.1\r\nHost: innboks.test\r\nCookie: test-session=s1\r\n\r\n", query)
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second))
	var got []byte
	buf := make([]byte, 256)
	for !strings.Contains(string(got), ": connected") {
		n, err := c.Read(buf)
		if err != nil {
			t.Fatalf("stream: %v after %q", err, got)
		}
		got = append(got, buf[:n]...)
	}
	return c
}

// streamCost opens k streams of all organisations for a user with n organisations more than
// the test parties and reports what each adds: heap bytes, stack bytes and goroutines.
func streamCost(t *testing.T, n, k int) (heap, stack int64, goroutines float64) {
	h := newLiveHarnessWith(t, LiveConfig{Secret: testHookSecret, Hub: live.NewMemoryHub(0), StreamsPerSession: k + 1})
	h.dp.mu.Lock()
	h.dp.parties = streamParties(n)
	h.dp.mu.Unlock()
	srv := httptest.NewServer(h.srv.Echo)
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	defer rawStream(t, addr, "?party="+AllOrgs).Close() // the party list and the set, once
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m0)
	g0 := runtime.NumGoroutine()
	conns := make([]net.Conn, k)
	for i := range conns {
		conns[i] = rawStream(t, addr, "?party="+AllOrgs)
	}
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	g1 := runtime.NumGoroutine()
	for _, c := range conns {
		c.Close()
	}
	return (int64(m1.HeapAlloc) - int64(m0.HeapAlloc)) / int64(k), (int64(m1.StackInuse) - int64(m0.StackInuse)) / int64(k),
		float64(g1-g0) / float64(k)
}

// TestStreamMemoryIndependentOfPartyCount: an open "all organisations" stream costs the same
// at 15 organisations as at 15,000 (issue 8, point 3: before, ≈ 627 KB of heap each at 15,000,
// every stream subscribing every party). Not parallel: it measures the heap.
func TestStreamMemoryIndependentOfPartyCount(t *testing.T) {
	const k = 100
	smallHeap, _, _ := streamCost(t, 15, k)
	heap, stack, goroutines := streamCost(t, 15000, k)
	t.Logf("per open stream: %d B heap at 15 organisations; at 15,000: %d B heap, %d B stack, %.1f goroutines", smallHeap, heap, stack, goroutines)
	if heap > 64<<10 || heap > smallHeap+8<<10 {
		t.Errorf("a stream of 15,000 organisations holds %d B of heap (%d B at 15), want under 64 KiB and no more than at 15", heap, smallHeap)
	}
}
