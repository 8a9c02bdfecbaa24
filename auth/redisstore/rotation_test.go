package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/internal/redistest"
)

// TestRotation: instances with the old key only, mid-rotation ("new,old") and after it ("new")
// share one Redis. Old values still open, new writes use the new key, and each instance sees
// exactly what its keys allow.
func TestRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	prefix := redistest.Prefix()
	oldKey, newKey := newKey(t), newKey(t)
	oldLog, oldBuf := logger()
	old := newStore(t, prefix, oldLog, oldKey)
	both := newStore(t, prefix, nil, newKey, oldKey)
	next := newStore(t, prefix, nil, newKey)

	mustCreateSession(t, old, &auth.Session{ID: "s-old", SID: "sid-x", AccessToken: "at-old"})

	// The old key still opens what it sealed.
	if got, err := both.Get(ctx, "s-old"); err != nil || got.AccessToken != "at-old" {
		t.Errorf("new,old: Get(s-old) = %v, %v; want the session sealed with the old key", got, err)
	}

	// New writes use the new key: the old-key-only instance cannot read them, the new-only one can.
	mustCreateSession(t, both, &auth.Session{ID: "s-new", SID: "sid-x", AccessToken: "at-new"})
	if _, err := old.Get(ctx, "s-new"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("old: Get(s-new) error = %v, want ErrNotFound (sealed with the new key)", err)
	}
	if got, err := next.Get(ctx, "s-new"); err != nil || got.AccessToken != "at-new" {
		t.Errorf("new: Get(s-new) = %v, %v; want it", got, err)
	}

	// An update re-seals an old session with the new key, under the key it was found under.
	if _, err := both.Update(ctx, "s-old", time.Minute, func(cur *auth.Session) error {
		cur.AccessToken = "at-refreshed"
		return nil
	}); err != nil {
		t.Fatalf("new,old: Update(s-old): %v", err)
	}
	if got, err := both.Get(ctx, "s-old"); err != nil || got.AccessToken != "at-refreshed" {
		t.Errorf("new,old: Get(s-old) after Update = %v, %v; want the refreshed token", got, err)
	}
	// The old key finds the entry by name but cannot open it any more: a wrong key is absence.
	if _, err := old.Get(ctx, "s-old"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("old: Get(s-old) after the re-seal error = %v, want ErrNotFound", err)
	}
	if !strings.Contains(oldBuf.String(), "no configured key opens") {
		t.Errorf("old: no warning logged for a value its key cannot open: %q", oldBuf.String())
	}

	// Locks exclude across key sets that share a key.
	unlock, err := both.Lock(ctx, "refresh:s-old", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]auth.Store{"old": old, "new": next, "new,old": both} {
		if _, err := s.Lock(ctx, "refresh:s-old", time.Minute); !errors.Is(err, auth.ErrLocked) {
			t.Errorf("%s: Lock while new,old holds it = %v, want ErrLocked", name, err)
		}
	}
	if err := unlock(ctx); err != nil {
		t.Fatal(err)
	}
	unlockOld, err := old.Lock(ctx, "refresh:s-old", time.Minute)
	if err != nil {
		t.Fatalf("old: Lock after unlock: %v", err)
	}
	if _, err := both.Lock(ctx, "refresh:s-old", time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Errorf("new,old: Lock while old holds it = %v, want ErrLocked", err)
	}
	_ = unlockOld(ctx)

	// DeleteBySID finds the sid's sessions under both keys' index.
	if gone, err := both.DeleteBySID(ctx, "sid-x"); err != nil || len(gone) != 2 {
		t.Errorf("new,old: DeleteBySID(sid-x) = %d, %v; want 2, nil", len(gone), err)
	}
	for _, id := range []string{"s-old", "s-new"} {
		if _, err := both.Get(ctx, id); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Get(%s) after DeleteBySID error = %v, want ErrNotFound", id, err)
		}
	}
}

// TestWrongKey: a store with another key sees nothing of what this one wrote, and cannot
// delete or change it.
func TestWrongKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	prefix := redistest.Prefix()
	right := newStore(t, prefix, nil, newKey(t))
	wrong := newStore(t, prefix, nil, newKey(t))
	mustCreateSession(t, right, &auth.Session{ID: "s1", SID: "sid-a", AccessToken: "at"})

	if got, err := wrong.Get(ctx, "s1"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Get = %v, %v; want ErrNotFound", got, err)
	}
	if _, err := wrong.Update(ctx, "s1", time.Minute, func(*auth.Session) error { return nil }); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Update error = %v, want ErrNotFound", err)
	}
	if gone, err := wrong.DeleteBySID(ctx, "sid-a"); err != nil || len(gone) != 0 {
		t.Errorf("DeleteBySID = %d, %v; want 0, nil", len(gone), err)
	}
	if got, err := right.Get(ctx, "s1"); err != nil || got.AccessToken != "at" {
		t.Errorf("right key: Get = %v, %v; want the session untouched", got, err)
	}
}

// TestLoginCookieKeys: the login cookie's keys follow the configured Keys: the same Keys give
// the same login keys (another instance opens the cookie), in the same order (the first seals,
// so rotation works as for sessions), each derived apart from the Key itself and from the other
// purposes.
func TestLoginCookieKeys(t *testing.T) {
	t.Parallel()
	k1, k2 := newKey(t), newKey(t)
	a := newStore(t, redistest.Prefix(), nil, k1, k2).LoginCookieKeys()
	b := newStore(t, redistest.Prefix(), nil, k1, k2).LoginCookieKeys()
	only2 := newStore(t, redistest.Prefix(), nil, k2).LoginCookieKeys()
	if len(a) != 2 || len(a[0]) != 32 || len(a[1]) != 32 {
		t.Fatalf("LoginCookieKeys with two Keys = %d keys (%d bytes first), want two of 32 bytes", len(a), len(a[0]))
	}
	if !bytes.Equal(a[0], b[0]) || !bytes.Equal(a[1], b[1]) {
		t.Error("two stores with the same Keys give different login cookie keys: a cookie sealed at one instance would not open at another")
	}
	if !bytes.Equal(a[1], only2[0]) || bytes.Equal(a[0], a[1]) {
		t.Error("the login cookie keys do not follow the Keys one to one, in order")
	}
	if bytes.Equal(a[0], k1[:]) || bytes.Equal(a[1], k2[:]) {
		t.Error("a login cookie key is the configured Key itself, not derived from it")
	}
}
