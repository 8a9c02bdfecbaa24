package dpemu

import (
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/google/uuid"
)

// idSource makes UUIDv7 (time-ordered entity ids) and UUIDv4 (revisions) from a seeded
// generator, so a scenario always produces the same ids.
type idSource struct {
	mu  sync.Mutex
	rnd *rand.Rand
}

func newIDSource(seed uint64) *idSource {
	return &idSource{rnd: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *idSource) random() (uint64, uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.rnd.Uint64(), g.rnd.Uint64()
}

// v7 returns a UUIDv7 whose timestamp is t.
func (g *idSource) v7(t time.Time) uuid.UUID {
	a, b := g.random()
	var u uuid.UUID
	ms := uint64(t.UnixMilli())
	u[0] = byte(ms >> 40)
	u[1] = byte(ms >> 32)
	u[2] = byte(ms >> 24)
	u[3] = byte(ms >> 16)
	u[4] = byte(ms >> 8)
	u[5] = byte(ms)
	binary.BigEndian.PutUint16(u[6:8], uint16(a))
	binary.BigEndian.PutUint64(u[8:16], b)
	u[6] = (u[6] & 0x0f) | 0x70
	u[8] = (u[8] & 0x3f) | 0x80
	return u
}

// v4 returns a random UUIDv4.
func (g *idSource) v4() uuid.UUID {
	a, b := g.random()
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[0:8], a)
	binary.BigEndian.PutUint64(u[8:16], b)
	u[6] = (u[6] & 0x0f) | 0x40
	u[8] = (u[8] & 0x3f) | 0x80
	return u
}

// tick is the resolution of timestamps on the wire (7 fractional digits). Stored times are
// truncated to it so that a timestamp read back from a continuation token compares equal.
const tick = 100 * time.Nanosecond

func norm(t time.Time) time.Time { return t.UTC().Truncate(tick) }

func normPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := norm(*t)
	return &n
}
