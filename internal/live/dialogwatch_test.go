package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// fakeDialogporten is an upstream speaking the dialogEvents subscription over SSE. It knows
// the tokens it issued (with their dialog and expiry), answers 401 to unknown or expired
// ones and 403 to another dialog's, ends a stream with `complete` when its token expires, as
// the emulator does, and counts what it saw.
type fakeDialogporten struct {
	srv *httptest.Server

	mu      sync.Mutex
	tokens  map[string]fakeToken
	pushes  map[string][]chan string // dialog → open streams' event channels
	drops   []chan struct{}
	failing int // answer 503 to this many more subscriptions

	connects, active, disconnects, unauthorized, forbidden atomic.Int64
	issued                                                 atomic.Int64
}

type fakeToken struct {
	dialog  string
	expires time.Time
}

func newFakeDialogporten(t *testing.T) *fakeDialogporten {
	t.Helper()
	f := &fakeDialogporten{tokens: map[string]fakeToken{}, pushes: map[string][]chan string{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// client returns a dpclient for the fake.
func (f *fakeDialogporten) client(t *testing.T) *dpclient.Client {
	t.Helper()
	c, err := dpclient.New(f.srv.URL+"/dialogporten", dpclient.WithHTTPClient(f.srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// source issues tokens for dialog that live for life.
func (f *fakeDialogporten) source(dialog string, life time.Duration) DialogTokenSource {
	return func(ctx context.Context) (string, time.Time, error) {
		n := f.issued.Add(1)
		tok := fmt.Sprintf("tok-%s-%d", dialog, n)
		exp := time.Now().Add(life)
		f.mu.Lock()
		f.tokens[tok] = fakeToken{dialog: dialog, expires: exp}
		f.mu.Unlock()
		return tok, exp, nil
	}
}

// push sends an event to every open stream of dialog.
func (f *fakeDialogporten) push(dialog, typ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.pushes[dialog] {
		ch <- typ
	}
}

// dropAll cuts every open stream without `complete`.
func (f *fakeDialogporten) dropAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, d := range f.drops {
		close(d)
	}
	f.drops = nil
}

func (f *fakeDialogporten) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/dialogporten/graphql/stream" {
		http.NotFound(w, r)
		return
	}
	var body struct {
		Variables struct {
			DialogID string `json:"dialogId"`
		} `json:"variables"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	info, known := f.tokens[tok]
	failing := f.failing > 0
	if failing {
		f.failing--
	}
	f.mu.Unlock()
	switch {
	case !known || !time.Now().Before(info.expires):
		f.unauthorized.Add(1)
		w.WriteHeader(http.StatusUnauthorized)
		return
	case info.dialog != body.Variables.DialogID:
		f.forbidden.Add(1)
		w.WriteHeader(http.StatusForbidden)
		return
	case failing:
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	f.connects.Add(1)
	f.active.Add(1)
	defer f.active.Add(-1)
	events, drop := make(chan string, 4), make(chan struct{})
	f.mu.Lock()
	f.pushes[info.dialog] = append(f.pushes[info.dialog], events)
	f.drops = append(f.drops, drop)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		list := f.pushes[info.dialog]
		for i, ch := range list {
			if ch == events {
				f.pushes[info.dialog] = append(list[:i:i], list[i+1:]...)
				break
			}
		}
	}()
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	w.(http.Flusher).Flush()
	expiry := time.NewTimer(time.Until(info.expires))
	defer expiry.Stop()
	for {
		select {
		case <-r.Context().Done():
			f.disconnects.Add(1)
			return
		case <-drop:
			return
		case <-expiry.C:
			fmt.Fprint(w, "event: complete\ndata:\n\n")
			return
		case typ := <-events:
			fmt.Fprintf(w, "event: next\ndata: {\"data\":{\"dialogEvents\":{\"id\":%q,\"type\":%q}}}\n\n", info.dialog, typ)
			w.(http.Flusher).Flush()
		}
	}
}

// Upstreams reports how many upstream subscriptions are held (one per user and dialog); a test
// seam (nothing in cmd/ asks).
func (w *DialogWatch) Upstreams() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.upstreams)
}

func newTestWatch(t *testing.T, f *fakeDialogporten, o DialogWatchOptions) *DialogWatch {
	t.Helper()
	o.Upstream = f.client(t)
	if o.MinBackoff == 0 {
		o.MinBackoff, o.MaxBackoff = 20*time.Millisecond, 100*time.Millisecond
	}
	w, err := NewDialogWatch(o)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// expect waits for the next event of typ on dw, failing on another one or a closed channel.
func expect(t *testing.T, dw *DialogWatcher, typ string) {
	t.Helper()
	select {
	case ev, ok := <-dw.C():
		if !ok || ev.Type != typ {
			t.Fatalf("got %+v (open %v), want %s", ev, ok, typ)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s within 5 s", typ)
	}
}

// expectClosed waits for dw's channel to close.
func expectClosed(t *testing.T, dw *DialogWatcher) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-dw.C():
			if !ok {
				return
			}
		case <-deadline:
			t.Fatal("the watcher's channel stayed open")
		}
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

const (
	dialogA = "0190fbd7-0000-7000-8000-00000000000a"
	dialogB = "0190fbd7-0000-7000-8000-00000000000b"
	dialogC = "0190fbd7-0000-7000-8000-00000000000c"
)

func TestDialogWatchTwoTabsShareOneUpstream(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{})
	tab1, err := w.Watch("user-1", dialogA, f.source(dialogA, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	expect(t, tab1, DialogWatchUp)
	tab2, err := w.Watch("user-1", dialogA, f.source(dialogA, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	expect(t, tab2, DialogWatchUp) // joins an open upstream: told at once
	if got := f.connects.Load(); got != 1 {
		t.Fatalf("got %d upstream subscriptions for two tabs, want 1", got)
	}
	if got := w.Upstreams(); got != 1 {
		t.Fatalf("got Upstreams() %d, want 1", got)
	}
	f.push(dialogA, "DIALOG_UPDATED")
	expect(t, tab1, "DIALOG_UPDATED")
	expect(t, tab2, "DIALOG_UPDATED")

	tab1.Close()
	tab1.Close() // twice is fine
	if got := f.active.Load(); got != 1 {
		t.Fatalf("one tab left: got %d open upstream streams, want 1", got)
	}
	tab2.Close()
	eventually(t, "the upstream to see the disconnect", func() bool { return f.disconnects.Load() == 1 && f.active.Load() == 0 })
	if got := w.Upstreams(); got != 0 {
		t.Fatalf("both tabs closed: got Upstreams() %d, want 0", got)
	}
	if _, ok := <-tab2.C(); ok {
		t.Fatal("a closed watcher's channel is open")
	}
}

func TestDialogWatchOneUpstreamPerUserAndDialog(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{})
	var all []*DialogWatcher
	for _, k := range []struct{ user, dialog string }{{"u1", dialogA}, {"u2", dialogA}, {"u1", dialogB}, {"u1", dialogA}} {
		dw, err := w.Watch(k.user, k.dialog, f.source(k.dialog, time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		defer dw.Close()
		expect(t, dw, DialogWatchUp)
		all = append(all, dw)
	}
	if got, want := w.Upstreams(), 3; got != want {
		t.Fatalf("got %d upstreams, want %d", got, want)
	}
	f.push(dialogB, "DIALOG_DELETED")
	expect(t, all[2], "DIALOG_DELETED")
	select {
	case ev := <-all[0].C():
		t.Fatalf("a watcher of another dialog got %+v", ev)
	default:
	}
}

func TestDialogWatchRenewsTheTokenBeforeItExpires(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	// Tokens live 1.2 s; renewal is due 1 s before expiry, so at half the life (0.6 s).
	w := newTestWatch(t, f, DialogWatchOptions{RenewBefore: time.Second})
	dw, err := w.Watch("user-1", dialogA, f.source(dialogA, 1200*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer dw.Close()
	expect(t, dw, DialogWatchUp)
	eventually(t, "four tokens to have been used", func() bool { return f.issued.Load() >= 4 && f.connects.Load() >= 4 })
	if got := f.unauthorized.Load(); got != 0 {
		t.Fatalf("the upstream refused %d expired tokens, want none: renewal comes first", got)
	}
	select {
	case ev := <-dw.C():
		t.Fatalf("got %+v during renewals, want a seamless stream", ev)
	default:
	}
	eventually(t, "the renewed stream alone to stay open", func() bool { return f.active.Load() == 1 })
	f.push(dialogA, "DIALOG_UPDATED")
	expect(t, dw, "DIALOG_UPDATED")
}

// TestDialogWatchRenewalOutlastsTheCurrentToken: a later tab's source first gives the token its
// page loaded, a moment after the first tab's; a renewal with it would end with the old one, so
// the watch asks the source again.
func TestDialogWatchRenewalOutlastsTheCurrentToken(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{RenewBefore: 300 * time.Millisecond})
	fresh := f.source(dialogA, 2*time.Second)
	tab1, err := w.Watch("user-1", dialogA, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer tab1.Close()
	expect(t, tab1, DialogWatchUp)
	var calls atomic.Int64
	heldTok, heldExp, _ := f.source(dialogA, 2*time.Second)(context.Background()) // its page's, loaded now
	tab2, err := w.Watch("user-1", dialogA, func(ctx context.Context) (string, time.Time, error) {
		if calls.Add(1) == 1 {
			return heldTok, heldExp, nil
		}
		return fresh(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer tab2.Close()
	expect(t, tab2, DialogWatchUp)
	eventually(t, "the renewal", func() bool { return calls.Load() >= 2 })
	time.Sleep(100 * time.Millisecond)
	if got := f.connects.Load(); got != 2 {
		t.Errorf("%d subscriptions, want 2: the first and one renewal with a fresh token (not one with the held token, then another)", got)
	}
	select {
	case ev := <-tab1.C():
		t.Fatalf("event %q over the renewal, want none", ev.Type)
	case <-time.After(600 * time.Millisecond): // past the first tokens' expiry
	}
}

func TestDialogWatchFetchesAFreshTokenOn401(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{})
	var calls atomic.Int64
	good := f.source(dialogA, time.Hour)
	src := func(ctx context.Context) (string, time.Time, error) {
		if calls.Add(1) == 1 {
			return "revoked", time.Now().Add(time.Hour), nil // the upstream does not know it
		}
		return good(ctx)
	}
	dw, err := w.Watch("user-1", dialogA, src)
	if err != nil {
		t.Fatal(err)
	}
	defer dw.Close()
	expect(t, dw, DialogWatchUp)
	if got := calls.Load(); got != 2 {
		t.Fatalf("got %d token fetches, want 2 (the refused one and its renewal)", got)
	}
	if got := f.unauthorized.Load(); got != 1 {
		t.Fatalf("got %d refusals, want 1", got)
	}
}

func TestDialogWatchReconnectsAfterADrop(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{})
	dw, err := w.Watch("user-1", dialogA, f.source(dialogA, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer dw.Close()
	expect(t, dw, DialogWatchUp)
	f.mu.Lock()
	f.failing = 2 // the first two reconnects answer 503
	f.mu.Unlock()
	f.dropAll()
	expect(t, dw, DialogWatchDown)
	expect(t, dw, DialogWatchUp)
	if got := f.connects.Load(); got != 2 {
		t.Fatalf("got %d accepted subscriptions, want 2 (the first and the reconnect after two 503s)", got)
	}
	f.push(dialogA, "DIALOG_UPDATED")
	expect(t, dw, "DIALOG_UPDATED")
}

func TestDialogBackoffStaysInItsBounds(t *testing.T) {
	t.Parallel()
	for n := 0; n < 40; n++ {
		base := min(time.Second<<min(n, 20), 30*time.Second)
		for range 50 {
			d := dialogBackoff(time.Second, 30*time.Second, n)
			if d < base || d > min(base*3/2, 30*time.Second) {
				t.Fatalf("attempt %d: got %s, want between %s and %s (at most 30 s)", n, d, base, base*3/2)
			}
		}
	}
}

func TestDialogWatchEndsWhenTheUpstreamRefuses(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{})
	dw, err := w.Watch("user-1", dialogA, f.source(dialogB, time.Hour)) // another dialog's token
	if err != nil {
		t.Fatal(err)
	}
	expectClosed(t, dw)
	dw.Close()
	if got := f.forbidden.Load(); got != 1 {
		t.Fatalf("got %d 403s, want 1 (no retry of a refusal)", got)
	}
	eventually(t, "the upstream to be dropped", func() bool { return w.Upstreams() == 0 })
}

func TestDialogWatchCaps(t *testing.T) {
	t.Parallel()
	f := newFakeDialogporten(t)
	w := newTestWatch(t, f, DialogWatchOptions{PerUser: 2, MaxUpstreams: 3})
	watch := func(user, dialog string) (*DialogWatcher, error) {
		return w.Watch(user, dialog, f.source(dialog, time.Hour))
	}
	first, _ := watch("u1", dialogA)
	second, _ := watch("u1", dialogB)
	third, err := watch("u1", dialogC) // one over the user's cap: the oldest ends
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	defer third.Close()
	expectClosed(t, first)
	first.Close()
	eventually(t, "the user's oldest upstream to end", func() bool { return w.Upstreams() == 2 })
	other, err := watch("u2", dialogA)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := watch("u3", dialogA); !errors.Is(err, ErrTooManyStreams) {
		t.Fatalf("over the global cap: got %v, want ErrTooManyStreams", err)
	}
	if _, err := w.Watch("", dialogA, f.source(dialogA, time.Hour)); err == nil {
		t.Fatal("no user key: got nil error")
	}
}
