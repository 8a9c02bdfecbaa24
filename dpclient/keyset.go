package dpclient

import (
	"strings"
	"time"

	"github.com/google/uuid"
)

// Keyset continuation tokens (ENDUSER-API.md §9): Dialogporten's token after a row is its sort
// key and its id, "key_value,id_uuid", with a lower-case key, the time in the round-trip wire
// format (UTC, seven fractional digits) and a null time as empty. A caller that merges several
// searches resumes each one from the last row it showed with the token of that row.

// Keyset order keys, as they stand in a token.
const (
	KeyUpdatedAt = "updatedat"
	KeyCreatedAt = "createdat"
	KeyDueAt     = "dueat"
)

// KeysetToken is the continuation token after the row with this sort time (nil: null) and id.
func KeysetToken(key string, at *time.Time, id string) string {
	v := ""
	if at != nil {
		v = formatTime(*at)
	}
	return key + "_" + v + ",id_" + id
}

// ParseKeysetToken reads a token KeysetToken wrote. Only the canonical form is accepted (a
// lower-case id, the exact time layout), so a parsed token writes back to the same string.
func ParseKeysetToken(tok string) (key string, at *time.Time, id uuid.UUID, ok bool) {
	head, idPart, found := strings.Cut(tok, ",id_")
	if !found {
		return "", nil, id, false
	}
	key, ts, found := strings.Cut(head, "_")
	if !found || (key != KeyUpdatedAt && key != KeyCreatedAt && key != KeyDueAt) {
		return "", nil, id, false
	}
	id, err := uuid.Parse(idPart)
	if err != nil || id.String() != idPart {
		return "", nil, id, false
	}
	if ts != "" {
		t, err := time.Parse(wireTime, ts)
		if err != nil || formatTime(t) != ts {
			return "", nil, id, false
		}
		at = &t
	}
	return key, at, id, true
}
