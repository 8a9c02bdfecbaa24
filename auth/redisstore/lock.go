package redisstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/innboks/innboks/auth"
)

// lockScript takes a lock under every configured Key's name for it, or none: two instances
// mid-rotation (one with "old,new", one with "new,old" or "new") share at least one name, so
// they still exclude each other.
const lockScript = `for _, k in ipairs(KEYS) do
  if redis.call("EXISTS", k) == 1 then return 0 end
end
for _, k in ipairs(KEYS) do redis.call("SET", k, ARGV[1], "PX", ARGV[2]) end
return 1`

// unlockScript deletes the lock's keys that still hold our token: a lock that expired and was
// taken by someone else is theirs.
const unlockScript = `local n = 0
for _, k in ipairs(KEYS) do
  if redis.call("GET", k) == ARGV[1] then n = n + redis.call("DEL", k) end
end
return n`

// Lock implements auth.Store with a script that sets every name of the lock with PX, if none
// is set.
func (s *Store) Lock(ctx context.Context, name string, ttl time.Duration) (func(context.Context) error, error) {
	token := rand.Text()
	keys := s.keys(kindLock, name)
	ms := max(ttl.Milliseconds(), 1)
	got, err := s.lock.Run(ctx, s.rdb, keys, token, ms).Int()
	if err != nil {
		return nil, fmt.Errorf("redisstore: lock: %w", err)
	}
	if got != 1 {
		return nil, auth.ErrLocked
	}
	return func(ctx context.Context) error {
		if err := s.unlock.Run(ctx, s.rdb, keys, token).Err(); err != nil {
			return fmt.Errorf("redisstore: unlock: %w", err)
		}
		return nil
	}, nil
}
