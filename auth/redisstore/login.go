package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/redis/go-redis/v9"
)

// PutLogin implements auth.Store.
func (s *Store) PutLogin(ctx context.Context, p *auth.PendingLogin, ttl time.Duration) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("redisstore: encode login: %w", err)
	}
	key := s.keys(kindLogin, p.State)[0]
	if err := s.rdb.Set(ctx, key, s.codec.seal(key, b), ttl).Err(); err != nil {
		return fmt.Errorf("redisstore: put login: %w", err)
	}
	return nil
}

// TakeLogin implements auth.Store with GETDEL (of every key the state may be under, in one
// MULTI), so two callbacks with one state cannot both get it.
func (s *Store) TakeLogin(ctx context.Context, state string) (*auth.PendingLogin, error) {
	keys := s.keys(kindLogin, state)
	cmds, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.GetDel(ctx, k)
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("redisstore: take login: %w", err)
	}
	for i, c := range cmds {
		b, err := c.(*redis.StringCmd).Bytes()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("redisstore: take login: %w", err)
		}
		plain, err := s.open(ctx, "login", keys[i], b)
		if err != nil {
			return nil, err
		}
		var p auth.PendingLogin
		if err := json.Unmarshal(plain, &p); err != nil {
			return nil, fmt.Errorf("redisstore: decode login: %w", err)
		}
		return &p, nil
	}
	return nil, auth.ErrNotFound
}
