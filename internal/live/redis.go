package live

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"

	"github.com/redis/go-redis/v9"
)

// DefaultChannel is the Redis pub/sub channel RedisHub uses when none is given.
const DefaultChannel = "innboks:live"

// RedisHub joins the instances that share a Redis: Publish sends the event to one pub/sub
// channel, and every instance (this one too) delivers what arrives there to its own local
// subscribers. One channel for all parties keeps Redis' subscription count at one per
// instance, however many parties the browsers watch; the fan-out by party happens in-process.
type RedisHub struct {
	local   *MemoryHub
	rdb     redis.UniversalClient
	channel string
	ps      *redis.PubSub
	log     *slog.Logger
	wg      sync.WaitGroup
	stop    context.CancelFunc
}

// RedisOptions configure NewRedisHub.
type RedisOptions struct {
	Channel string       // pub/sub channel; DefaultChannel when empty
	Buffer  int          // per-subscription buffer; DefaultBuffer when <= 0
	Logger  *slog.Logger // undecodable messages; nil discards
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
	ps := rdb.Subscribe(ctx, o.Channel)
	if _, err := ps.Receive(ctx); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("live: subscribe to redis channel: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	h := &RedisHub{local: NewMemoryHub(o.Buffer), rdb: rdb, channel: o.Channel, ps: ps, log: o.Logger, stop: cancel}
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
			var ev Event
			if err := json.Unmarshal([]byte(m.Payload), &ev); err != nil {
				h.log.Warn("live: undecodable event on redis channel", "err", err)
				continue
			}
			h.local.deliver(ev)
		}
	}
}

// Publish sends ev to every instance, this one included.
func (h *RedisHub) Publish(ctx context.Context, ev Event) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("live: encode event: %w", err)
	}
	if err := h.rdb.Publish(ctx, h.channel, b).Err(); err != nil {
		return fmt.Errorf("live: publish to redis: %w", err)
	}
	return nil
}

// Subscribe registers a subscription with this instance's local fan-out.
func (h *RedisHub) Subscribe(subjects []string) *Subscription { return h.local.Subscribe(subjects) }

// Subscribers is how many subscriptions this instance holds.
func (h *RedisHub) Subscribers() int { return h.local.Subscribers() }

// Close unsubscribes from Redis and stops delivering.
func (h *RedisHub) Close() error {
	h.stop()
	err := h.ps.Close()
	h.wg.Wait()
	return err
}
