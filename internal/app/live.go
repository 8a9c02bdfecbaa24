package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/handlers"
	"github.com/innboks/innboks/internal/live"
)

// liveConfig builds live updates from the config: nothing but polling without
// EVENTS_WEBHOOK_SECRET; with it, a hub and duplicate check in Redis when REDIS_URL is set (so an
// event any instance receives reaches browsers on every instance), else in memory. Over Redis
// the parties travel as keyed hashes under keys derived from SESSION_ENCRYPTION_KEYS, which
// every instance sharing the Redis has.
//
// The open dialog pages' subscriptions (live.DialogWatch over Dialogporten's dialogEvents) need
// nothing but Dialogporten itself (watch.Upstream: the client of DIALOGPORTEN_URL; nil: off).
func liveConfig(ctx context.Context, cfg Config, rdb *redis.Client, store auth.Store, watch live.DialogWatchOptions, logger *slog.Logger) (handlers.LiveConfig, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	lc := handlers.LiveConfig{SessionAlive: sessionAlive(store, cfg, time.Now)}
	if watch.Upstream != nil && cfg.DialogportenURL != "" {
		watch.Logger = logger.With("component", "dialogwatch")
		w, err := live.NewDialogWatch(watch)
		if err != nil {
			return lc, fmt.Errorf("dialog event subscriptions: %w", err)
		}
		lc.Watch = w
	}
	if cfg.EventsWebhookSecret == "" {
		return lc, nil
	}
	lc.Secret = cfg.EventsWebhookSecret
	if rdb != nil {
		keys := make([][]byte, len(cfg.SessionEncryptionKeys))
		for i, k := range cfg.SessionEncryptionKeys {
			keys[i] = k[:]
		}
		hub, err := live.NewRedisHub(ctx, rdb, live.RedisOptions{Keys: keys, Logger: logger.With("component", "live")})
		if err != nil {
			return lc, fmt.Errorf("live updates over REDIS_URL: %w", err)
		}
		lc.Hub, lc.Dedup = hub, live.NewRedisDedup(rdb, "", 0)
	} else {
		lc.Hub, lc.Dedup = live.NewMemoryHub(0), live.NewMemoryDedup(0, 0)
	}
	return lc, nil
}

// sessionAlive reports whether a session still exists and has timed out neither idle nor
// absolutely (auth.Session.TimedOut, the rule Require applies), without touching it (a stream
// must not keep an unattended session alive). A store error counts as alive: a Redis hiccup
// should not end every stream.
func sessionAlive(store auth.Store, cfg Config, now func() time.Time) func(context.Context, string) bool {
	return func(ctx context.Context, id string) bool {
		s, err := store.Get(ctx, id)
		if errors.Is(err, auth.ErrNotFound) {
			return false
		}
		if err != nil || s == nil {
			return err != nil
		}
		return !s.TimedOut(now(), cfg.SessionIdleTimeout, cfg.SessionAbsTimeout)
	}
}
