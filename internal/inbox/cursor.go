package inbox

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/dpclient"
)

// A batch cursor travels in the URL (`ct`), so its size matters: "all organisations" for an
// accountant holds a position in each of up to 20 batches, and the JSON form ("b.") of 20
// keyset tokens is about 2.5 KB, more than a return-to path may be (2,048). The compact form
// ("c.") stores each position as the batch index, the order key, the time in 100 ns ticks and
// the id's 16 bytes: about 30 bytes a batch, under 1 KB for 20. Dialogporten's continuation
// token is opaque by contract: its tokens today are keyset tokens (dpclient.ParseKeysetToken
// reads them), and a position holding any other token falls back to the JSON form rather than
// silently restarting its batch; both forms decode.

// batchPos is where one batch continues: the token after the last row shown from it ("" from
// its start).
type batchPos struct {
	Token string `json:"t,omitempty"`
}

// batchCursor holds, per batch index, where each batch that has more continues.
type batchCursor map[int]batchPos

// Order keys of keyset tokens by their code in the compact form.
var cursorKeys = []string{dpclient.KeyUpdatedAt, dpclient.KeyCreatedAt, dpclient.KeyDueAt}

const cursorNull = 0x80 // set in the key byte when the time is null (a dialog without a due date)

func encodeBatchCursor(c batchCursor) string {
	if s, ok := compactCursor(c); ok {
		return s
	}
	b, _ := json.Marshal(c)
	return "b." + base64.RawURLEncoding.EncodeToString(b)
}

// compactCursor encodes c in the compact form, or reports that a position is not a keyset
// token it can carry.
func compactCursor(c batchCursor) (string, bool) {
	buf := make([]byte, 0, len(c)*32)
	for _, i := range slices.Sorted(maps.Keys(c)) { // deterministic: the same cursor is the same URL
		if i < 0 {
			return "", false
		}
		tok := c[i].Token
		buf = binary.AppendUvarint(buf, uint64(i))
		if tok == "" { // from the batch's start
			buf = append(buf, 0xff)
			continue
		}
		key, at, id, ok := dpclient.ParseKeysetToken(tok)
		if !ok {
			return "", false
		}
		code := byte(slices.Index(cursorKeys, key))
		if at == nil {
			buf = append(buf, code|cursorNull)
		} else {
			buf = append(buf, code)
			buf = binary.AppendVarint(buf, at.Unix())
			buf = binary.AppendUvarint(buf, uint64(at.Nanosecond()/100))
		}
		buf = append(buf, id[:]...)
	}
	return "c." + base64.RawURLEncoding.EncodeToString(buf), true
}

func decodeBatchCursor(s string) (batchCursor, bool) {
	switch {
	case strings.HasPrefix(s, "c."):
		return decodeCompactCursor(s[2:])
	case strings.HasPrefix(s, "b."):
		raw, err := base64.RawURLEncoding.DecodeString(s[2:])
		if err != nil {
			return nil, false
		}
		var c batchCursor
		if json.Unmarshal(raw, &c) != nil {
			return nil, false
		}
		return c, true
	}
	return nil, false
}

// decodeCompactCursor reads the compact form back into keyset tokens.
func decodeCompactCursor(s string) (batchCursor, bool) {
	buf, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	c := batchCursor{}
	for len(buf) > 0 {
		i, n := binary.Uvarint(buf)
		if n <= 0 || i > 1<<16 || len(buf) < n+1 {
			return nil, false
		}
		buf = buf[n:]
		code := buf[0]
		buf = buf[1:]
		if code == 0xff {
			c[int(i)] = batchPos{}
			continue
		}
		k := int(code &^ cursorNull)
		if k >= len(cursorKeys) {
			return nil, false
		}
		var at *time.Time
		if code&cursorNull == 0 {
			sec, n := binary.Varint(buf)
			if n <= 0 {
				return nil, false
			}
			buf = buf[n:]
			ticks, n := binary.Uvarint(buf)
			if n <= 0 || ticks >= 10_000_000 {
				return nil, false
			}
			buf = buf[n:]
			t := time.Unix(sec, int64(ticks)*100).UTC()
			at = &t
		}
		if len(buf) < 16 {
			return nil, false
		}
		id, _ := uuid.FromBytes(buf[:16])
		buf = buf[16:]
		c[int(i)] = batchPos{Token: dpclient.KeysetToken(cursorKeys[k], at, id.String())}
	}
	return c, true
}
