package redisstore

import "github.com/redis/go-redis/v9"

// NewPlainStoreForBenchmark is the Store with neither encryption nor hashed names, as the store
// was before: the baseline that shows what the crypto costs. It exists in tests only.
func NewPlainStoreForBenchmark(client *redis.Client, opts ...Option) *Store {
	return newStore(client, plainCodec{}, opts)
}

// plainCodec is the identity codec.
type plainCodec struct{}

func (plainCodec) names(_, value string) []string            { return []string{value} }
func (plainCodec) seal(_ string, plain []byte) []byte        { return plain }
func (plainCodec) open(_ string, blob []byte) ([]byte, bool) { return blob, true }
func (plainCodec) loginKeys() [][]byte                       { return [][]byte{[]byte("benchmark login key, 32 bytes..")} }
