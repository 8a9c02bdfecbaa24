package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// DialogWatch holds Dialogporten's dialogEvents subscription for each dialog page that is
// open (DESIGN.md, Live updates): one upstream subscription per user and dialog, however many
// tabs show it, shared by reference count and closed when the last watcher leaves. It renews
// the dialog token before it expires (make-before-break: the new stream opens before the old
// one closes), reconnects with jittered backoff (1–30 s) when the stream fails, and is capped
// per user and in all with Slots.
type DialogWatch struct {
	o     DialogWatchOptions
	slots *Slots

	mu        sync.Mutex
	upstreams map[dialogWatchKey]*dialogUpstream
}

// DialogEventsUpstream opens dialogEvents subscriptions; *dpclient.Client satisfies it.
type DialogEventsUpstream interface {
	SubscribeDialogEvents(ctx context.Context, dialogID, dialogToken string) (*dpclient.DialogEventStream, error)
}

// DialogTokenSource yields a fresh dialog token for the watched dialog and its expiry. It is
// called from the watch's own goroutine, long after the request that called Watch ended: it
// must not use that request's context, only ctx.
type DialogTokenSource func(ctx context.Context) (token string, expires time.Time, err error)

// DialogWatchOptions configure a DialogWatch. Upstream is required.
type DialogWatchOptions struct {
	Upstream DialogEventsUpstream
	// MaxUpstreams bounds the upstream subscriptions of the instance (DefaultMaxStreams when
	// <= 0); beyond it Watch answers ErrTooManyStreams and the page keeps polling.
	MaxUpstreams int
	// PerUser bounds the dialogs one user key watches at once (DefaultStreamsPerSession when
	// <= 0); watching one more ends the user's oldest upstream (its watchers' channels close).
	PerUser int
	// RenewBefore is how long before the token's expiry a fresh one is fetched and the stream
	// reopened with it; default 30 s.
	RenewBefore time.Duration
	// MinBackoff and MaxBackoff bound the jittered wait between reconnects; default 1 s, 30 s.
	MinBackoff, MaxBackoff time.Duration
	// Buffer is each watcher's event buffer (DefaultBuffer when <= 0); a watcher that falls
	// behind loses events beyond it (each only says "fetch again").
	Buffer int
	// Logger receives one line per failed (re)connect, without tokens; nil discards.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Kinds of DialogWatchEvent besides the upstream's DIALOG_UPDATED and DIALOG_DELETED. A
// watcher starts out down: the page polls until DialogWatchUp arrives.
const (
	// DialogWatchUp says the upstream subscription is (again) open: events arrive from now on.
	// After a DialogWatchDown the watcher should fetch the dialog once (changes may have been
	// missed) and stop polling.
	DialogWatchUp = "UPSTREAM_UP"
	// DialogWatchDown says the upstream subscription failed and is being reopened with
	// backoff: the watcher should poll meanwhile.
	DialogWatchDown = "UPSTREAM_DOWN"
)

// DialogWatchEvent is what a watcher receives: an event of the dialog (Type DIALOG_UPDATED or
// DIALOG_DELETED, from dpclient) or a change of the upstream's state (DialogWatchUp,
// DialogWatchDown).
type DialogWatchEvent struct {
	DialogID string
	Type     string
}

type dialogWatchKey struct{ user, dialog string }

// NewDialogWatch returns a DialogWatch over o.Upstream.
func NewDialogWatch(o DialogWatchOptions) (*DialogWatch, error) {
	if o.Upstream == nil {
		return nil, errors.New("live: DialogWatchOptions.Upstream is required")
	}
	if o.RenewBefore <= 0 {
		o.RenewBefore = 30 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = o.MinBackoff
	}
	if o.Buffer <= 0 {
		o.Buffer = DefaultBuffer
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &DialogWatch{o: o, slots: NewSlots(o.MaxUpstreams, o.PerUser), upstreams: map[dialogWatchKey]*dialogUpstream{}}, nil
}

// Watch subscribes to the events of dialogID for userKey (a stable key of the user or
// session, never an identity number or token). The first watcher of a (userKey, dialogID)
// opens the upstream subscription; later ones share it, and the latest tokens source is the
// one used from then on. It fails with ErrTooManyStreams when the instance holds its most
// upstream subscriptions. Close the watcher when the page leaves.
func (w *DialogWatch) Watch(userKey, dialogID string, tokens DialogTokenSource) (*DialogWatcher, error) {
	if userKey == "" || dialogID == "" || tokens == nil {
		return nil, errors.New("live: Watch needs a user key, a dialog id and a token source")
	}
	k := dialogWatchKey{userKey, dialogID}
	w.mu.Lock()
	defer w.mu.Unlock()
	u := w.upstreams[k]
	if u == nil {
		slot, err := w.slots.Take(userKey)
		if err != nil {
			return nil, err
		}
		ctx, cancel := context.WithCancel(context.Background())
		u = &dialogUpstream{w: w, key: k, slot: slot, cancel: cancel, tokens: tokens,
			watchers: map[*DialogWatcher]struct{}{}, done: make(chan struct{})}
		w.upstreams[k] = u
		go u.run(ctx)
	}
	dw := &DialogWatcher{u: u, ch: make(chan DialogWatchEvent, w.o.Buffer)}
	u.mu.Lock()
	u.tokens = tokens
	u.watchers[dw] = struct{}{}
	if u.up {
		dw.ch <- DialogWatchEvent{DialogID: dialogID, Type: DialogWatchUp}
	}
	u.mu.Unlock()
	return dw, nil
}

// DialogWatcher is one page's share of an upstream subscription.
type DialogWatcher struct {
	u      *dialogUpstream
	ch     chan DialogWatchEvent
	closed bool // guarded by u.mu
}

// C is the channel the events arrive on. It is closed when the watcher is closed, or when
// the upstream ended for good (Dialogporten answered 403, 404 or 410: the token is for
// another dialog, the user lost access or the dialog is gone; or a newer watch of the same
// user beyond PerUser took its place): the page then keeps polling.
func (dw *DialogWatcher) C() <-chan DialogWatchEvent { return dw.ch }

// Close leaves the watch; the last watcher to leave closes the upstream subscription. It is
// safe to call more than once.
func (dw *DialogWatcher) Close() {
	u := dw.u
	w := u.w
	w.mu.Lock()
	u.mu.Lock()
	if dw.closed {
		u.mu.Unlock()
		w.mu.Unlock()
		return
	}
	dw.closed = true
	close(dw.ch)
	delete(u.watchers, dw)
	last := len(u.watchers) == 0
	u.mu.Unlock()
	if last && w.upstreams[u.key] == u {
		delete(w.upstreams, u.key)
	}
	w.mu.Unlock()
	if last {
		u.stop()
	}
}
