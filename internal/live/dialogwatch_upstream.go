package live

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// dialogUpstream is the one upstream subscription of a (user, dialog), run by its own
// goroutine until the last watcher leaves or it ends for good.
type dialogUpstream struct {
	w      *DialogWatch
	key    dialogWatchKey
	slot   *Slot
	cancel context.CancelFunc
	done   chan struct{} // closed when run returns

	mu       sync.Mutex
	tokens   DialogTokenSource
	watchers map[*DialogWatcher]struct{}
	up       bool

	// Owned by run's goroutine.
	token   string
	expires time.Time
}

// dialogStreamResult is one Next of the stream of generation gen.
type dialogStreamResult struct {
	gen int
	ev  dpclient.DialogEvent
	err error
}

// stop ends the upstream (the last watcher left); run closes the connection.
func (u *dialogUpstream) stop() { u.cancel() }

// run holds the subscription open: it opens it, renews the token ahead of expiry by opening
// a new stream before closing the old one, and reopens a failed stream after a jittered
// backoff. A 401 fetches a fresh token and retries at once, once.
func (u *dialogUpstream) run(ctx context.Context) {
	defer close(u.done)
	defer u.slot.Release()
	defer u.cancel()
	o := &u.w.o
	results := make(chan dialogStreamResult)
	renew := time.NewTimer(time.Hour)
	renew.Stop()
	defer renew.Stop()
	var (
		cur         *dpclient.DialogEventStream
		gen         int
		opened      time.Time
		failures    int  // consecutive failed connections, for the backoff
		forceToken  bool // fetch a fresh token before the next open
		authRetried bool // the immediate retry after a 401 is spent
	)
	defer func() {
		if cur != nil {
			_ = cur.Close()
		}
	}()
	// wait sleeps the backoff; false when the upstream must end instead.
	wait := func() bool {
		d := dialogBackoff(o.MinBackoff, o.MaxBackoff, failures)
		failures++
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-u.slot.Replaced():
			u.finish()
			return false
		case <-t.C:
			return true
		}
	}
	for {
		if cur == nil {
			s, err := u.open(ctx, forceToken, false)
			forceToken = false
			switch {
			case ctx.Err() != nil:
				return
			case err == nil:
				authRetried = false
				gen++
				cur, opened = s, o.Now()
				go u.read(ctx, gen, s, results)
				u.setUp(true)
				renew.Reset(u.renewIn())
				continue
			case errors.Is(err, dpclient.ErrForbidden), errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone):
				o.Logger.Warn("live: dialog event subscription refused", "dialog", u.key.dialog, "err", err)
				u.finish()
				return
			case errors.Is(err, dpclient.ErrUnauthorized):
				forceToken = true
				if !authRetried {
					authRetried = true
					continue
				}
			}
			o.Logger.Info("live: dialog event subscription failed", "dialog", u.key.dialog, "err", err)
			u.setUp(false)
			if !wait() {
				return
			}
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-u.slot.Replaced():
			u.finish()
			return
		case r := <-results:
			if r.gen != gen {
				continue // the old stream of a renewal, closing
			}
			if r.err == nil {
				u.send(DialogWatchEvent{DialogID: u.key.dialog, Type: string(r.ev.Type)})
				continue
			}
			_ = cur.Close()
			cur = nil
			renew.Stop()
			if o.Now().Sub(opened) > o.MaxBackoff {
				failures = 0 // it had been healthy: start the backoff afresh
			}
			o.Logger.Info("live: dialog event stream ended", "dialog", u.key.dialog, "err", r.err)
			u.setUp(false)
			if !wait() {
				return
			}
		case <-renew.C:
			s, err := u.open(ctx, true, true)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				// Keep the old stream while its token lasts; try again shortly.
				o.Logger.Info("live: dialog token renewal failed", "dialog", u.key.dialog, "err", err)
				renew.Reset(dialogBackoff(o.MinBackoff, o.MaxBackoff, 0))
				continue
			}
			old := cur
			gen++
			cur, opened = s, o.Now()
			go u.read(ctx, gen, s, results)
			_ = old.Close()
			renew.Reset(u.renewIn())
		}
	}
}

// open fetches a token when forced, missing or due, and opens the subscription with it. A
// renewal's token must outlast the current one by RenewBefore, else it is fetched once more.
func (u *dialogUpstream) open(ctx context.Context, fresh, renewal bool) (*dpclient.DialogEventStream, error) {
	if fresh || u.token == "" || u.expires.Sub(u.w.o.Now()) <= u.w.o.RenewBefore {
		u.mu.Lock()
		src := u.tokens
		u.mu.Unlock()
		tok, exp, err := src(ctx)
		if err == nil && renewal && exp.Sub(u.expires) < u.w.o.RenewBefore {
			// A renewal must outlast the current token. A source may give one it already held
			// (a later tab's, loaded a moment after the current one): ask once more.
			tok, exp, err = src(ctx)
		}
		if err != nil {
			return nil, fmt.Errorf("live: dialog token: %w", err)
		}
		if tok == "" {
			return nil, errors.New("live: dialog token: empty")
		}
		u.token, u.expires = tok, exp
	}
	return u.w.o.Upstream.SubscribeDialogEvents(ctx, u.key.dialog, u.token)
}

// renewIn is when to renew the current token: RenewBefore ahead of its expiry, or half its
// remaining life when that is shorter, and never sooner than 100 ms.
func (u *dialogUpstream) renewIn() time.Duration {
	left := u.expires.Sub(u.w.o.Now())
	d := left - u.w.o.RenewBefore
	if d < left/2 {
		d = left / 2
	}
	return max(d, 100*time.Millisecond)
}

// read passes the stream's events to run until the stream ends.
func (u *dialogUpstream) read(ctx context.Context, gen int, s *dpclient.DialogEventStream, out chan<- dialogStreamResult) {
	for {
		ev, err := s.Next()
		select {
		case out <- dialogStreamResult{gen: gen, ev: ev, err: err}:
		case <-ctx.Done():
			return
		}
		if err != nil {
			return
		}
	}
}

// send gives ev to every watcher without waiting for a slow one.
func (u *dialogUpstream) send(ev DialogWatchEvent) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for dw := range u.watchers {
		select {
		case dw.ch <- ev:
		default:
		}
	}
}

// setUp records the upstream's state and tells the watchers when it changed.
func (u *dialogUpstream) setUp(up bool) {
	u.mu.Lock()
	changed := u.up != up
	u.up = up
	u.mu.Unlock()
	if !changed {
		return
	}
	typ := DialogWatchDown
	if up {
		typ = DialogWatchUp
	}
	u.send(DialogWatchEvent{DialogID: u.key.dialog, Type: typ})
}

// finish ends the upstream for good: it leaves the index and closes every watcher's channel.
func (u *dialogUpstream) finish() {
	w := u.w
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.upstreams[u.key] == u {
		delete(w.upstreams, u.key)
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for dw := range u.watchers {
		dw.closed = true
		close(dw.ch)
		delete(u.watchers, dw)
	}
}

// dialogBackoff is the wait before reconnect attempt n (from 0): lo·2ⁿ, jittered up by as much
// as half so instances do not reconnect in step, and never beyond hi.
func dialogBackoff(lo, hi time.Duration, n int) time.Duration {
	d := hi
	if n < 30 && lo<<n < hi {
		d = lo << n
	}
	return min(d+rand.N(d/2+1), hi)
}
