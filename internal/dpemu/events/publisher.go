package events

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// Options configures a Publisher. Store and DialogportenBase are required.
type Options struct {
	// Store is the emulator store whose changes are published.
	Store *dpemu.Store
	// DialogportenBase is the Dialogporten base URL events point at ({emulator}/dialogporten).
	DialogportenBase string
	// PlatformBase is the Altinn platform base used in handshake sources; default: the
	// emulator URL (DialogportenBase without /dialogporten).
	PlatformBase string
	// Webhooks are subscribed to every event when the publisher starts.
	Webhooks []string
	// Client posts the events; nil uses a client with Timeout (Altinn Events waits 45 s).
	Client *http.Client
	// Timeout bounds one delivery attempt when Client is nil; default 10 s.
	Timeout time.Duration
	// Retries are the waits before each retry of a failed delivery or handshake; after the
	// last one the event is dead-lettered. Default: 100 ms, 500 ms, 2 s, 5 s, 10 s.
	Retries []time.Duration
	// QueueSize bounds each subscription's queue; when full, new events are dropped and
	// counted. Default 4096.
	QueueSize int
	// Logger receives delivery failures; nil discards. Webhook URLs are never logged (they
	// may carry a secret).
	Logger *slog.Logger
}

// Subscription is one webhook and the filters Altinn Events would apply. Empty filters match
// everything (the emulator does not reproduce Events' "empty string matches nothing" quirk).
type Subscription struct {
	EndPoint       string
	ResourceFilter string // exact service resource URN
	SubjectFilter  string // exact party URN
	TypeFilter     string // exact event type
}

func (s *Subscription) matches(ev *CloudEvent) bool {
	return (s.ResourceFilter == "" || strings.EqualFold(s.ResourceFilter, ev.Resource)) &&
		(s.SubjectFilter == "" || strings.EqualFold(s.SubjectFilter, ev.Subject)) &&
		(s.TypeFilter == "" || s.TypeFilter == ev.Type)
}

// Stats counts what happened to one subscription's events.
type Stats struct {
	Validated    bool
	Delivered    int // events acknowledged with 2xx
	Retried      int // failed attempts that were retried
	DeadLettered int // events given up after the last retry
	Dropped      int // events dropped because the queue was full
}

// Publisher turns store changes into CloudEvents and delivers them to subscriptions. Create it
// with New, stop it with Close. It is safe for concurrent use.
type Publisher struct {
	opts   Options
	client *http.Client
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.RWMutex
	subs   map[string]*subscriber
	order  []*subscriber
	closed bool
}

// New starts a publisher subscribed to opts.Store and to each of opts.Webhooks.
func New(opts Options) (*Publisher, error) {
	if opts.Store == nil || opts.DialogportenBase == "" {
		return nil, errors.New("events: Options.Store and DialogportenBase are required")
	}
	if opts.PlatformBase == "" {
		opts.PlatformBase = strings.TrimSuffix(strings.TrimSuffix(opts.DialogportenBase, "/"), "/dialogporten")
	}
	if opts.Retries == nil {
		opts.Retries = []time.Duration{100 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second, 5 * time.Second, 10 * time.Second}
	}
	if opts.QueueSize <= 0 {
		opts.QueueSize = 4096
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout}
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Publisher{opts: opts, client: client, log: log, ctx: ctx, cancel: cancel, subs: map[string]*subscriber{}}
	for _, u := range opts.Webhooks {
		p.Subscribe(Subscription{EndPoint: u})
	}
	opts.Store.OnChange(p.publish)
	return p, nil
}

// Subscribe adds a subscription and returns its id. The subscription is validated with the
// handshake event first; events raised from now on are queued and delivered after it.
func (p *Publisher) Subscribe(s Subscription) string {
	ctx, cancel := context.WithCancel(p.ctx)
	sub := &subscriber{
		id:     uuid.Must(uuid.NewV7()).String(),
		spec:   s,
		queue:  make(chan CloudEvent, p.opts.QueueSize),
		p:      p,
		cancel: cancel,
		done:   make(chan struct{}),
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return sub.id
	}
	p.subs[sub.id] = sub
	p.order = append(p.order, sub)
	p.wg.Add(1)
	go sub.run(ctx)
	return sub.id
}

// Unsubscribe stops and removes subscription id; queued events are discarded. It reports
// whether the subscription existed.
func (p *Publisher) Unsubscribe(id string) bool {
	p.mu.Lock()
	sub, ok := p.subs[id]
	if ok {
		delete(p.subs, id)
		p.order = slices.DeleteFunc(p.order, func(s *subscriber) bool { return s == sub })
	}
	p.mu.Unlock()
	if ok {
		sub.stop()
	}
	return ok
}

// Subscription returns subscription id as it was made.
func (p *Publisher) Subscription(id string) (Subscription, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	sub, ok := p.subs[id]
	if !ok {
		return Subscription{}, false
	}
	return sub.spec, true
}

// Stats returns the counters of subscription id.
func (p *Publisher) Stats(id string) (Stats, bool) {
	p.mu.RLock()
	sub, ok := p.subs[id]
	p.mu.RUnlock()
	if !ok {
		return Stats{}, false
	}
	return sub.stats(), true
}

// Subscriptions returns the ids of all subscriptions in the order they were made.
func (p *Publisher) Subscriptions() []string {
	p.mu.RLock()
	defer p.mu.RUnlock()
	ids := make([]string, len(p.order))
	for i, s := range p.order {
		ids[i] = s.id
	}
	return ids
}

// Close stops delivery; queued events are discarded. It waits for the workers to finish.
func (p *Publisher) Close() {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.cancel()
	p.wg.Wait()
}

// publish is the Store.OnChange hook: it runs on the mutating goroutine, so it only enqueues.
func (p *Publisher) publish(c dpemu.Change) {
	ev, ok := FromChange(c, p.opts.DialogportenBase)
	if !ok {
		return
	}
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.closed {
		return
	}
	for _, sub := range p.order {
		if sub.spec.matches(&ev) {
			sub.enqueue(ev)
		}
	}
}
