package live

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// partyHashLabel is the HKDF label of the party-hash keys, so that they open nothing the same
// secrets protect elsewhere (the sessions in Redis, the login cookie).
const partyHashLabel = "innboks live party hash v1"

// partyHashSize is how much of the HMAC-SHA256 is kept: 128 bits tell parties apart; halving
// the hash halves the bytes the index spends per party.
const partyHashSize = 16

// partyHasher turns a normalised party URN into HMAC-SHA256 under keys derived from the
// configured secrets. Without the secret a hash gives nothing away: an identity number's few
// billion candidates cannot be tried against it.
type partyHasher struct {
	keys [][]byte
	pool sync.Pool // hash.Hash under keys[0], for the local index
}

func newPartyHasher(secrets [][]byte) (*partyHasher, error) {
	if len(secrets) == 0 {
		return nil, errors.New("live: no key to hash party URNs on the redis channel with (SESSION_ENCRYPTION_KEYS)")
	}
	p := &partyHasher{}
	for i, s := range secrets {
		if len(s) < 16 {
			return nil, fmt.Errorf("live: party hash key %d is %d bytes, want at least 16", i+1, len(s))
		}
		k, err := hkdf.Key(sha256.New, s, nil, partyHashLabel, sha256.Size)
		if err != nil {
			return nil, fmt.Errorf("live: derive party hash key %d: %w", i+1, err)
		}
		p.keys = append(p.keys, k)
	}
	p.pool.New = func() any { return hmac.New(sha256.New, p.keys[0]) }
	return p, nil
}

// local is k's hash under the current key: the index key of this instance's fan-out.
func (p *partyHasher) local(k string) string {
	m := p.pool.Get().(hash.Hash)
	defer p.pool.Put(m)
	m.Reset()
	m.Write([]byte(k))
	var sum [sha256.Size]byte
	return string(m.Sum(sum[:0])[:partyHashSize])
}

// all is k's hash under every key, the current first.
func (p *partyHasher) all(k string) [][]byte {
	out := make([][]byte, len(p.keys))
	for i, key := range p.keys {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(k))
		out[i] = m.Sum(nil)[:partyHashSize]
	}
	return out
}
