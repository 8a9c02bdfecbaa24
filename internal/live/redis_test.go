package live

import (
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/internal/redistest"
)

// redisServer starts a real redis-server on a free loopback port for the test or benchmark (no
// persistence, internal/redistest) and stops it by its PID at the end. It fails, never skips,
// without redis-server.
func redisServer(tb testing.TB) *redis.Client {
	tb.Helper()
	return redistest.Run(tb).NewClient(tb)
}
