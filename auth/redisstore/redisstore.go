// Package redisstore is an auth.Store in Redis, for several Innboks instances behind a load
// balancer (REDIS_URL): any instance can serve any request, and the refresh lock keeps two
// instances from refreshing one session's tokens at the same time.
package redisstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/redis/go-redis/v9"
)

// Option configures NewRedisStore.
type Option func(*Store)

// WithPrefix sets the prefix of every key (default "innboks:auth:"), so that several
// deployments can share one Redis.
func WithPrefix(p string) Option { return func(s *Store) { s.prefix = p } }

// WithSIDTTL sets how long the index from an ID-porten sid to its sessions lives (default 24 h,
// longer than any session).
func WithSIDTTL(d time.Duration) Option { return func(s *Store) { s.sidTTL = d } }

// Store is an auth.Store in Redis. Values are JSON; expiry is Redis' own (PX).
type Store struct {
	rdb    *redis.Client
	prefix string
	sidTTL time.Duration
	unlock *redis.Script
}

// NewRedisStore returns a Store over client (see redis.ParseURL for REDIS_URL).
func NewRedisStore(client *redis.Client, opts ...Option) auth.Store {
	s := &Store{rdb: client, prefix: "innboks:auth:", sidTTL: 24 * time.Hour, unlock: redis.NewScript(unlockScript)}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Store) sessionKey(id string) string { return s.prefix + "s:" + id }
func (s *Store) sidKey(sid string) string    { return s.prefix + "sid:" + sid }
func (s *Store) loginKey(state string) string {
	return s.prefix + "l:" + state
}
func (s *Store) lockKey(name string) string { return s.prefix + "lock:" + name }

// Get implements auth.Store.
func (s *Store) Get(ctx context.Context, id string) (*auth.Session, error) {
	b, err := s.rdb.Get(ctx, s.sessionKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, auth.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: get session: %w", err)
	}
	return decodeSession(b)
}

func decodeSession(b []byte) (*auth.Session, error) {
	var sess auth.Session
	if err := json.Unmarshal(b, &sess); err != nil {
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
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Set(ctx, s.sessionKey(sess.ID), b, ttl)
		if sess.SID != "" {
			p.SAdd(ctx, s.sidKey(sess.SID), sess.ID)
			p.Expire(ctx, s.sidKey(sess.SID), s.sidTTL)
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
// the transaction fail, and it is retried on the newer value.
func (s *Store) Update(ctx context.Context, id string, ttl time.Duration, fn func(*auth.Session) error) (*auth.Session, error) {
	key := s.sessionKey(id)
	var out *auth.Session
	txf := func(tx *redis.Tx) error {
		b, err := tx.Get(ctx, key).Bytes()
		if errors.Is(err, redis.Nil) {
			return auth.ErrNotFound
		}
		if err != nil {
			return err
		}
		cur, err := decodeSession(b)
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
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, key, nb, ttl)
			return nil
		})
		out = cur
		return err
	}
	for range updateAttempts {
		err := s.rdb.Watch(ctx, txf, key)
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

// Delete implements auth.Store. The sid index may keep the id; DeleteBySID skips it.
func (s *Store) Delete(ctx context.Context, id string) error {
	if err := s.rdb.Del(ctx, s.sessionKey(id)).Err(); err != nil {
		return fmt.Errorf("redisstore: delete session: %w", err)
	}
	return nil
}

// DeleteBySID implements auth.Store.
func (s *Store) DeleteBySID(ctx context.Context, sid string) (int, error) {
	ids, err := s.rdb.SMembers(ctx, s.sidKey(sid)).Result()
	if err != nil {
		return 0, fmt.Errorf("redisstore: sessions of sid: %w", err)
	}
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		keys = append(keys, s.sessionKey(id))
	}
	n := 0
	if len(keys) > 0 {
		n64, err := s.rdb.Del(ctx, keys...).Result()
		if err != nil {
			return 0, fmt.Errorf("redisstore: delete sessions of sid: %w", err)
		}
		n = int(n64)
	}
	if err := s.rdb.Del(ctx, s.sidKey(sid)).Err(); err != nil {
		return n, fmt.Errorf("redisstore: delete sid index: %w", err)
	}
	return n, nil
}

// PutLogin implements auth.Store.
func (s *Store) PutLogin(ctx context.Context, p *auth.PendingLogin, ttl time.Duration) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("redisstore: encode login: %w", err)
	}
	if err := s.rdb.Set(ctx, s.loginKey(p.State), b, ttl).Err(); err != nil {
		return fmt.Errorf("redisstore: put login: %w", err)
	}
	return nil
}

// TakeLogin implements auth.Store with GETDEL, so two callbacks with one state cannot both
// get it.
func (s *Store) TakeLogin(ctx context.Context, state string) (*auth.PendingLogin, error) {
	b, err := s.rdb.GetDel(ctx, s.loginKey(state)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, auth.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: take login: %w", err)
	}
	var p auth.PendingLogin
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("redisstore: decode login: %w", err)
	}
	return &p, nil
}

// unlockScript deletes the lock only if it still holds our token: a lock that expired and was
// taken by someone else is theirs.
const unlockScript = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`

// Lock implements auth.Store with SET NX PX.
func (s *Store) Lock(ctx context.Context, name string, ttl time.Duration) (func(context.Context) error, error) {
	token := rand.Text()
	key := s.lockKey(name)
	ok, err := s.rdb.SetNX(ctx, key, token, ttl).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: lock: %w", err)
	}
	if !ok {
		return nil, auth.ErrLocked
	}
	return func(ctx context.Context) error {
		if err := s.unlock.Run(ctx, s.rdb, []string{key}, token).Err(); err != nil {
			return fmt.Errorf("redisstore: unlock: %w", err)
		}
		return nil
	}, nil
}
