// Package redisstore is an auth.Store in Redis, for several Innboks instances behind a load
// balancer (REDIS_URL): any instance can serve any request, and the refresh lock keeps two
// instances from refreshing one session's tokens at the same time.
//
// What is in Redis is useless to whoever reads it (a backup, MONITOR, a shared cache host):
// every key name carries a keyed hash (HMAC-SHA256) instead of a session id, state, sid or lock
// name, and every value is sealed with AES-256-GCM, with the Redis key as additional data so
// that a value copied to another key does not open there:
//
//	<prefix>s:<H("s", session id)>      sealed auth.Session (tokens, pid)    PX = the session's TTL
//	<prefix>sid:<H("sid", sid)>         set of H("s", id) of the sid's sessions (for DeleteBySID)
//	<prefix>lock:<H("lock", name)>      a random token, one such key per configured Key
//
// Pending logins are not stored: auth seals them into the browser's login cookie, with a key
// this store derives from the same Keys under its own HKDF label (LoginCookieKeys), so that
// every instance opens the cookie another sealed.
//
// Keys rotate: the first Key seals and names new entries, every Key opens and finds old ones.
// To rotate without logging anyone out: deploy "old,new" (every instance can read the new
// key), then "new,old" (new writes use it), and drop the old key once the absolute session
// timeout has passed. A random 96-bit nonce per write means one Key should seal fewer than
// 2^32 values (every session update is one): rotate well before that.
package redisstore

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/redis/go-redis/v9"
)

// Option configures NewRedisStore.
type Option func(*Store)

// WithPrefix sets the prefix of every key (default "innboks:auth:"), so that several
// deployments can share one Redis.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithLogger sets where the store warns about a value that no configured key opens (a wrong
// or dropped key, a tampered or moved value); the warning never carries the value. Default:
// discarded.
func WithLogger(l *slog.Logger) Option { return func(s *Store) { s.log = l } }

// Kinds of entries: the key-name segment and the HMAC domain.
const (
	kindSession = "s"
	kindSID     = "sid"
	kindLock    = "lock"
)

// Store is an auth.Store in Redis with sealed values and hashed key names (see the package
// doc). Expiry is Redis' own (PX).
type Store struct {
	rdb    *redis.Client
	codec  codec
	log    *slog.Logger
	prefix string
	sidTTL time.Duration
	lock   *redis.Script
	unlock *redis.Script
}

var (
	_ auth.Store      = (*Store)(nil)
	_ auth.LoginKeyer = (*Store)(nil)
)

// NewRedisStore returns a Store over client (see redis.ParseURL for REDIS_URL) that seals with
// keys[0] and opens with any of keys (see ParseKeys for SESSION_ENCRYPTION_KEYS). Without a
// key, or with an all-zero one, it returns an error: there is no plaintext mode.
func NewRedisStore(client *redis.Client, keys []Key, opts ...Option) (*Store, error) {
	if client == nil {
		return nil, errors.New("redisstore: nil client")
	}
	kr, err := newKeyring(keys)
	if err != nil {
		return nil, fmt.Errorf("redisstore: %w", err)
	}
	return newStore(client, kr, opts), nil
}

func newStore(client *redis.Client, c codec, opts []Option) *Store {
	s := &Store{
		rdb: client, codec: c, log: slog.New(slog.DiscardHandler),
		prefix: "innboks:auth:", sidTTL: 24 * time.Hour,
		lock: redis.NewScript(lockScript), unlock: redis.NewScript(unlockScript),
	}
	for _, o := range opts {
		o(s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	return s
}

// LoginCookieKeys implements auth.LoginKeyer: one AES-256 key per configured Key, derived with
// HKDF under a label of its own (the current Key's first), so that the login cookie is sealed
// with keys every instance has and that open nothing in Redis.
func (s *Store) LoginCookieKeys() [][]byte { return s.codec.loginKeys() }

// key is the Redis key of an entry of kind whose hashed name is h.
func (s *Store) key(kind, h string) string { return s.prefix + kind + ":" + h }

// keys returns the Redis keys value of kind may be stored under: one per configured Key, the
// current Key's first.
func (s *Store) keys(kind, value string) []string {
	hs := s.codec.names(kind, value)
	for i, h := range hs {
		hs[i] = s.key(kind, h)
	}
	return hs
}

// first returns the first key of keys that MGET found a value for, and the value.
func first(keys []string, vals []any) (string, []byte) {
	for i, v := range vals {
		if str, ok := v.(string); ok {
			return keys[i], []byte(str)
		}
	}
	return "", nil
}

// open unseals the value read from key, or reports ErrNotFound (and warns) when no key opens
// it: the user logs in again, which is the right answer to a value we cannot trust.
func (s *Store) open(ctx context.Context, what, key string, blob []byte) ([]byte, error) {
	plain, ok := s.codec.open(key, blob)
	if !ok {
		s.log.WarnContext(ctx, "redisstore: no configured key opens a stored value; treated as absent",
			slog.String("kind", what), slog.String("key", key), slog.Int("bytes", len(blob)))
		return nil, auth.ErrNotFound
	}
	return plain, nil
}

// Get implements auth.Store.
func (s *Store) Get(ctx context.Context, id string) (*auth.Session, error) {
	keys := s.keys(kindSession, id)
	vals, err := s.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: get session: %w", err)
	}
	key, blob := first(keys, vals)
	if blob == nil {
		return nil, auth.ErrNotFound
	}
	return s.openSession(ctx, key, blob)
}

func (s *Store) openSession(ctx context.Context, key string, blob []byte) (*auth.Session, error) {
	plain, err := s.open(ctx, "session", key, blob)
	if err != nil {
		return nil, err
	}
	var sess auth.Session
	if err := json.Unmarshal(plain, &sess); err != nil {
		return nil, fmt.Errorf("redisstore: decode session: %w", err)
	}
	return &sess, nil
}

// Create implements auth.Store.
func (s *Store) Create(ctx context.Context, sess *auth.Session, ttl time.Duration) error {
	b, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("redisstore: encode session: %w", err)
	}
	h := s.codec.names(kindSession, sess.ID)[0]
	key := s.key(kindSession, h)
	sealed := s.codec.seal(key, b)
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, key, sealed, ttl)
		if sess.SID != "" {
			sidKey := s.keys(kindSID, sess.SID)[0]
			p.SAdd(ctx, sidKey, h) // the hashed name, never the id
			p.Expire(ctx, sidKey, s.sidTTL)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: create session: %w", err)
	}
	return nil
}

// updateAttempts bounds the optimistic retries of Update under contention.
const updateAttempts = 20

// Update implements auth.Store with WATCH/MULTI: a concurrent write to the same session makes
// the transaction fail, and it is retried on the newer value. The session stays under the key
// it was found under and is sealed again with the current Key.
func (s *Store) Update(ctx context.Context, id string, ttl time.Duration, fn func(*auth.Session) error) (*auth.Session, error) {
	keys := s.keys(kindSession, id)
	var out *auth.Session
	txf := func(tx *redis.Tx) error {
		vals, err := tx.MGet(ctx, keys...).Result()
		if err != nil {
			return err
		}
		key, blob := first(keys, vals)
		if blob == nil {
			return auth.ErrNotFound
		}
		cur, err := s.openSession(ctx, key, blob)
		if err != nil {
			return err
		}
		idKey, sid := cur.ID, cur.SID
		if err := fn(cur); err != nil {
			return err
		}
		cur.ID, cur.SID = idKey, sid
		nb, err := json.Marshal(cur)
		if err != nil {
			return err
		}
		sealed := s.codec.seal(key, nb)
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, sealed, ttl)
			return nil
		})
		out = cur
		return err
	}
	for range updateAttempts {
		err := s.rdb.Watch(ctx, txf, keys...)
		if errors.Is(err, redis.TxFailedErr) {
			continue
		}
		if errors.Is(err, auth.ErrNotFound) {
			return nil, err
		}
		if err != nil {
			return nil, fmt.Errorf("redisstore: update session: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("redisstore: update session: %w", redis.TxFailedErr)
}

// Delete implements auth.Store. The sid index may keep the hashed name; DeleteBySID skips it.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.keys(kindSession, id)...).Err(); err != nil {
		return fmt.Errorf("redisstore: delete session: %w", err)
	}
	return nil
}

// DeleteBySID implements auth.Store: the sid's index (under every Key) names the sessions by
// their hashed names, which is all it takes to take them (GETDEL, so each is returned once
// even when two instances race) and then drop the index.
func (s *Store) DeleteBySID(ctx context.Context, sid string) ([]*auth.Session, error) {
	if sid == "" {
		return nil, nil // sessions without a sid are not one group, and are not indexed
	}
	sidKeys := s.keys(kindSID, sid)
	cmds, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range sidKeys {
			p.SMembers(ctx, k)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("redisstore: sessions of sid: %w", err)
	}
	var keys []string
	for _, c := range cmds {
		for _, h := range c.(*redis.StringSliceCmd).Val() {
			if isHashName(h) {
				keys = append(keys, s.key(kindSession, h))
			}
		}
	}
	var out []*auth.Session
	if len(keys) > 0 {
		got, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys {
				p.GetDel(ctx, k)
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) {
			return nil, fmt.Errorf("redisstore: delete sessions of sid: %w", err)
		}
		for i, c := range got {
			blob, err := c.(*redis.StringCmd).Bytes()
			if err != nil {
				continue // gone already (expired, logged out, taken by another instance)
			}
			if sess, err := s.openSession(ctx, keys[i], blob); err == nil {
				out = append(out, sess)
			}
		}
	}
	if err := s.rdb.Del(ctx, sidKeys...).Err(); err != nil {
		return out, fmt.Errorf("redisstore: delete sid index: %w", err)
	}
	return out, nil
}

// isHashName reports whether h looks like a hashed name (64 hex digits), so that a tampered
// index cannot make DeleteBySID delete other keys.
func isHashName(h string) bool {
	if len(h) != 64 {
		return false
	}
	_, err := hex.DecodeString(h)
	return err == nil
}
