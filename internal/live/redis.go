package live

import (
	"context"
	"encoding/json"
	"fmt"
	"hash"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultChannel is the Redis pub/sub channel RedisHub uses when none is given.
const DefaultChannel = "innboks:live"

// RedisHub joins the instances that share a Redis: Publish sends the event to one pub/sub
// channel, and every instance (this one too) delivers what arrives there to its own local
// subscribers. One channel for all parties keeps Redis' subscription count at one per
// instance, however many parties the browsers watch; the fan-out by party happens in-process.
//
// The party goes over Redis only as a keyed hash (partyHasher): a party URN of a person holds a
// national identity number, and nothing on the channel, in a MONITOR or in a capture may show
// one. The local fan-out indexes parties by the same hash, so a received event is delivered
// without ever being turned back into a URN.
type RedisHub struct {
	local   *MemoryHub
	hasher  *partyHasher
	rdb     redis.UniversalClient
	channel string
	ps      *redis.PubSub
	log     *slog.Logger
	wg      sync.WaitGroup
	stop    context.CancelFunc
}

// RedisOptions configure NewRedisHub.
type RedisOptions struct {
	// Keys are the secrets the party hashes' keys are derived from (HKDF, a label of their
	// own): SESSION_ENCRYPTION_KEYS, which every instance sharing the Redis has. The first is
	// the current one; the others let instances amid a key rotation understand each other.
	// Required.
	Keys    [][]byte
	Channel string       // pub/sub channel; DefaultChannel when empty
	Buffer  int          // per-subscription buffer; DefaultBuffer when <= 0
	Logger  *slog.Logger // undecodable messages; nil discards
}

// wireEvent is an Event as it travels over Redis: the party as one keyed hash per configured
// key (the sender's current key's first), never as a URN.
type wireEvent struct {
	Parties  [][]byte  `json:"p"`
	ID       string    `json:"id"`
	Type     string    `json:"type,omitempty"`
	DialogID string    `json:"dialogId,omitempty"`
	Time     time.Time `json:"time"`
}

// NewRedisHub subscribes to the channel (waiting for Redis to confirm, so that nothing
// published after it returns is missed) and starts delivering. Close stops it; the client
// stays the caller's.
func NewRedisHub(ctx context.Context, rdb redis.UniversalClient, o RedisOptions) (*RedisHub, error) {
	if o.Channel == "" {
		o.Channel = DefaultChannel
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	hasher, err := newPartyHasher(o.Keys)
	if err != nil {
		return nil, err
	}
	ps := rdb.Subscribe(ctx, o.Channel)
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("live: subscribe to redis channel: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h := &RedisHub{local: newMemoryHub(o.Buffer, hasher.local), hasher: hasher, rdb: rdb, channel: o.Channel, ps: ps, log: o.Logger, stop: cancel}
	msgs := ps.Channel(redis.WithChannelSize(1024))
	h.wg.Add(1)
	go h.run(runCtx, msgs)
	return h, nil
}

func (h *RedisHub) run(ctx context.Context, msgs <-chan *redis.Message) {
	defer h.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case m, ok := <-msgs:
			if !ok {
				return
			}
			var w wireEvent
			if err := json.Unmarshal([]byte(m.Payload), &w); err != nil {
				h.log.Warn("live: undecodable event on redis channel", "err", err)
				continue
			}
			ev := Event{ID: w.ID, Type: w.Type, DialogID: w.DialogID, Time: w.Time}
			// One of the hashes is under this instance's current key; the others match nothing.
			// The event carries the one that matched, so that a stream can name its party.
			for _, p := range w.Parties {
				ev.SubjectKey = string(p)
				h.local.deliver(ev.SubjectKey, ev)
			}
		}
	}
}

// Publish sends ev to every instance, this one included, with its subject as keyed hashes.
func (h *RedisHub) Publish(ctx context.Context, ev Event) error {
	k := Key(ev.Subject)
	if k == "" {
		return nil // no party: nobody watches it
	}
	b, err := json.Marshal(wireEvent{Parties: h.hasher.all(k), ID: ev.ID, Type: ev.Type, DialogID: ev.DialogID, Time: ev.Time})
	if err != nil {
		return fmt.Errorf("live: encode event: %w", err)
	}
	if err := h.rdb.Publish(ctx, h.channel, b).Err(); err != nil {
		return fmt.Errorf("live: publish to redis: %w", err)
	}
	return nil
}

// nameKeys maps the keys of events this hub delivered (Event.SubjectKey) back to URNs, the ones
// among subjects whose hash under the current key is one of keys: a key can name only a party
// of subjects, and one not there names nothing. It hashes subjects until every key is named,
// so it costs at most one HMAC per subject.
func (h *RedisHub) nameKeys(subjects, keys []string) map[string]string {
	want := make(map[string]bool, len(keys))
	for _, k := range keys {
		want[k] = true
	}
	named := make(map[string]string, len(keys))
	m := h.hasher.pool.Get().(hash.Hash)
	defer h.hasher.pool.Put(m)
	var buf []byte                   // a subject's key, for m.Write without a copy per subject
	sum := make([]byte, 0, m.Size()) // reused, as local's would escape once per subject
	for _, s := range subjects {
		if len(named) == len(want) {
			break
		}
		k := Key(s)
		if k == "" {
			continue
		}
		m.Reset()
		buf = append(buf[:0], k...)
		m.Write(buf)
		sum = m.Sum(sum[:0])
		if hk := sum[:partyHashSize]; want[string(hk)] && named[string(hk)] == "" {
			named[string(hk)] = s
		}
	}
	return named
}

// Subscribe registers a subscription with this instance's local fan-out.
func (h *RedisHub) Subscribe(subjects []string) *Subscription { return h.local.Subscribe(subjects) }

// Subscribers is how many subscriptions this instance holds.
func (h *RedisHub) Subscribers() int { return h.local.Subscribers() }

// Watchers is how many of this instance's subscriptions an event of subject would reach.
func (h *RedisHub) Watchers(subject string) int { return h.local.Watchers(subject) }

// Close unsubscribes from Redis and stops delivering.
func (h *RedisHub) Close() error {
	h.stop()
	err := h.ps.Close()
	h.wg.Wait()
	return err
}
