package live

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/redistest"
)

// redisServer starts a real redis-server on a free loopback port for the test (no
// persistence) and stops it by its PID at the end. It fails, never skips, without redis-server.
func redisServer(t *testing.T) *redis.Client { return redisServerB(t) }

// redisServerB is redisServer for tests and benchmarks (internal/redistest).
func redisServerB(t testing.TB) *redis.Client {
	t.Helper()
	return redistest.Run(t).NewClient(t)
}
