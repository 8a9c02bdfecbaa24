package redisstore_test

import (
	"context"
	"crypto/rand"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/internal/redistest"
	"github.com/redis/go-redis/v9"
)

// dump returns every key under prefix with its values: a string's value, or a set's members.
func dump(t *testing.T, c *redis.Client, prefix string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		switch typ := c.Type(ctx, k).Val(); typ {
		case "string":
			out[k] = []string{c.Get(ctx, k).Val()}
		case "set":
			out[k] = c.SMembers(ctx, k).Val()
		default:
			t.Fatalf("key %q has type %q, want string or set", k, typ)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// onlyKeys returns the keys of d that start with prefix+kind+":".
func onlyKeys(d map[string][]string, prefix, kind string) []string {
	var ks []string
	for k := range d {
		if strings.HasPrefix(k, prefix+kind+":") {
			ks = append(ks, k)
		}
	}
	return ks
}

// TestNothingReadableAtRest goes through a login as auth does it (the state claimed at the
// callback, the session, a refresh under the lock, a second device in the same ID-porten
// session) and reads Redis raw: no secret may show in any key or value.
func TestNothingReadableAtRest(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	prefix := redistest.Prefix()
	s := newStore(t, prefix, nil, newKey(t))
	secret := func(label string) string { return label + rand.Text() }

	state := secret("state-")
	id, id2, sid := secret("sessionid-"), secret("sessionid-"), secret("sid-")
	const pid = "24079409630"
	at, rt, idt := secret("eyJaccess."), secret("refresh-"), secret("eyJid.")
	at2, rt2 := secret("eyJaccess2."), secret("refresh2-")
	partyUUID := secret("party-")

	// The callback claims the login's state for the rest of its life (auth names it by a hash
	// of the state; a raw state here shows that the store hashes lock names too).
	if _, err := s.Lock(ctx, "login:"+state, time.Minute); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, sessID := range []string{id, id2} {
		if err := s.Create(ctx, &auth.Session{ID: sessID, PID: pid, ACR: auth.ACRSubstantial, SID: sid, Lang: "nb",
			PartyUUID: partyUUID, CreatedAt: now, LastSeen: now, AccessToken: at, RefreshToken: rt, IDToken: idt, Expiry: now.Add(2 * time.Minute)}, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	unlock, err := s.Lock(ctx, "refresh:"+id, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, id, time.Hour, func(cur *auth.Session) error {
		cur.AccessToken, cur.RefreshToken = at2, rt2
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Read while the lock is still held, so its key is in the dump too.
	d := dump(t, client(t), prefix)
	defer func() { _ = unlock(ctx) }()

	secrets := map[string]string{
		"state": state, "party": partyUUID, "session id": id, "second session id": id2, "sid": sid, "pid": pid,
		"access token": at, "refresh token": rt, "id token": idt, "new access token": at2, "new refresh token": rt2,
		"lock name": "refresh:" + id,
		// Field names of the JSON underneath: their absence shows the values are not plain JSON.
		"a JSON field": `"access_token"`, "another JSON field": `"refresh_token"`,
	}
	name := regexp.MustCompile(`^` + regexp.QuoteMeta(prefix) + `(s|sid|lock):[0-9a-f]{64}$`)
	hashOnly := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for k, vals := range d {
		if !name.MatchString(k) {
			t.Errorf("key %q is not <prefix><kind>:<64 hex digits>", k)
		}
		for what, v := range secrets {
			if strings.Contains(k, v) {
				t.Errorf("key %q contains the %s", k, what)
			}
			for _, val := range vals {
				if strings.Contains(val, v) {
					t.Errorf("value of %q contains the %s", k, what)
				}
			}
		}
		switch {
		case strings.HasPrefix(k, prefix+"sid:"):
			for _, m := range vals {
				if !hashOnly.MatchString(m) {
					t.Errorf("sid index %q has member %q, want a hashed name", k, m)
				}
			}
		case strings.HasPrefix(k, prefix+"s:"):
			if v := vals[0]; len(v) < 1+12+16+2 || v[0] != 1 {
				t.Errorf("value of %q (%d bytes, first %#x) is not a version-1 sealed value", k, len(v), v[:1])
			}
		}
	}
	// The dump must hold what the workflow left: two sessions, one sid index, two locks (the
	// login's claim, the refresh); else the checks above looked at nothing.
	for kind, want := range map[string]int{"s": 2, "sid": 1, "lock": 2} {
		if got := len(onlyKeys(d, prefix, kind)); got != want {
			t.Errorf("%d %q keys in Redis, want %d (dump has %d keys)", got, kind, want, len(d))
		}
	}
	if sids := onlyKeys(d, prefix, "sid"); len(sids) == 1 && len(d[sids[0]]) != 2 {
		t.Errorf("sid index has %d members, want 2", len(d[sids[0]]))
	}
	// And the store still works from what it wrote.
	if gone, err := s.DeleteBySID(ctx, sid); err != nil || len(gone) != 2 {
		t.Errorf("DeleteBySID = %d, %v; want 2, nil", len(gone), err)
	}
}

// TestMovedValueDoesNotOpen copies one session's sealed value over another session's key: the
// additional data binds a value to its key, so it does not open, and the store warns without
// the value.
func TestMovedValueDoesNotOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	prefix := redistest.Prefix()
	log, buf := logger()
	s := newStore(t, prefix, log, newKey(t))
	raw := client(t)

	attacker, victim := rand.Text(), rand.Text()
	victimToken := "at-victim-" + rand.Text()
	mustCreateSession(t, s, &auth.Session{ID: attacker, PID: "24079409630", AccessToken: "at-attacker"})
	before := dump(t, raw, prefix)
	mustCreateSession(t, s, &auth.Session{ID: victim, PID: "01010112345", AccessToken: victimToken})
	after := dump(t, raw, prefix)
	var attackerKey, victimKey string
	for _, k := range onlyKeys(after, prefix, "s") {
		if _, ok := before[k]; ok {
			attackerKey = k
		} else {
			victimKey = k
		}
	}
	if attackerKey == "" || victimKey == "" {
		t.Fatalf("could not tell the two session keys apart: %v", onlyKeys(after, prefix, "s"))
	}

	// The victim's value under the attacker's key: the attacker's cookie must not get the
	// victim's session.
	if err := raw.Set(ctx, attackerKey, after[victimKey][0], time.Minute).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, attacker); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Get(attacker) with the victim's value = %v, %v; want ErrNotFound", got, err)
	}
	if _, err := s.Update(ctx, attacker, time.Minute, func(*auth.Session) error { return nil }); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Update(attacker) with the victim's value: %v, want ErrNotFound", err)
	}
	if got, err := s.Get(ctx, victim); err != nil || got.AccessToken != victimToken {
		t.Errorf("Get(victim) = %v, %v; want the victim's own session intact", got, err)
	}

	logged := buf.String()
	if n := strings.Count(logged, "no configured key opens"); n < 2 {
		t.Errorf("%d warnings logged, want one per unopened value (2):\n%s", n, logged)
	}
	for _, leak := range []string{victimToken, victim, attacker, after[victimKey][0][1:20]} {
		if strings.Contains(logged, leak) {
			t.Errorf("the warning leaks %q:\n%s", leak, logged)
		}
	}
}

// TestDamagedValueIsAbsent: a value that is tampered with, truncated, of another version or
// the plain JSON of the store before encryption reads as no session.
func TestDamagedValueIsAbsent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	raw := client(t)
	for _, tc := range []struct {
		name   string
		damage func(v string) string
	}{
		{"last byte flipped", func(v string) string { return flip(v, len(v)-1) }},
		{"nonce byte flipped", func(v string) string { return flip(v, 3) }},
		{"other version", func(v string) string { return "\x02" + v[1:] }},
		{"truncated", func(v string) string { return v[:20] }},
		{"empty", func(string) string { return "" }},
		{"plain JSON", func(string) string { return `{"id":"s1","pid":"24079409630","access_token":"at"}` }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			prefix := redistest.Prefix()
			log, buf := logger()
			s := newStore(t, prefix, log, newKey(t))
			mustCreateSession(t, s, &auth.Session{ID: "s1", PID: "24079409630", AccessToken: "at"})
			k := onlyKeys(dump(t, raw, prefix), prefix, "s")[0]
			v := raw.Get(ctx, k).Val()
			if err := raw.Set(ctx, k, tc.damage(v), time.Minute).Err(); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Get(ctx, "s1"); !errors.Is(err, auth.ErrNotFound) {
				t.Errorf("Get = %v, %v; want ErrNotFound", got, err)
			}
			if !strings.Contains(buf.String(), `"level":"WARN"`) {
				t.Errorf("no warning logged: %q", buf.String())
			}
		})
	}
}

func mustCreateSession(t *testing.T, s auth.Store, sess *auth.Session) {
	t.Helper()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt, sess.LastSeen = time.Now(), time.Now()
	}
	if err := s.Create(context.Background(), sess, time.Minute); err != nil {
		t.Fatalf("Create: %v", err)
	}
}

// flip returns v with one bit of byte i flipped.
func flip(v string, i int) string {
	b := []byte(v)
	b[i] ^= 0x80
	return string(b)
}
