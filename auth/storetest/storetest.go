// Package storetest is the one test suite every auth.Store must pass: the memory store runs it
// in package auth, the Redis store in auth/redisstore against a real redis-server.
package storetest

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/auth"
)

// shortTTL is the lifetime of the entries that the expiry tests wait out.
const shortTTL = 150 * time.Millisecond

// Run runs the suite; newStore returns an empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) auth.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s auth.Store)
	}{
		{"SessionRoundTrip", sessionRoundTrip},
		{"GetUnknown", getUnknown},
		{"UpdateChangesFieldsNotKeys", updateChangesFieldsNotKeys},
		{"UpdateUnknown", updateUnknown},
		{"UpdateErrorWritesNothing", updateErrorWritesNothing},
		{"UpdateConcurrent", updateConcurrent},
		{"Delete", deleteSession},
		{"DeleteBySID", deleteBySID},
		{"SessionExpires", sessionExpires},
		{"LoginCookieKeys", loginCookieKeys},
		{"Lock", lock},
		{"LockExpires", lockExpires},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, newStore(t))
		})
	}
}

func sample(id, sid string) *auth.Session {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	return &auth.Session{
		ID: id, PID: "24079409630", ACR: auth.ACRSubstantial, SID: sid, Lang: "nb",
		PartyUUID: "0190c6a2-0000-7000-8000-000000000001", CreatedAt: now, LastSeen: now,
		AccessToken: "at-" + id, RefreshToken: "rt-" + id, IDToken: "idt-" + id, Expiry: now.Add(2 * time.Minute),
	}
}

func mustCreate(t *testing.T, s auth.Store, sess *auth.Session, ttl time.Duration) {
	t.Helper()
	if err := s.Create(context.Background(), sess, ttl); err != nil {
		t.Fatalf("Create(%s): %v", sess.ID, err)
	}
}

func sameSession(t *testing.T, got, want *auth.Session) {
	t.Helper()
	if got.ID != want.ID || got.PID != want.PID || got.ACR != want.ACR || got.SID != want.SID ||
		got.Lang != want.Lang || got.PartyUUID != want.PartyUUID ||
		!got.CreatedAt.Equal(want.CreatedAt) || !got.LastSeen.Equal(want.LastSeen) ||
		got.AccessToken != want.AccessToken || got.RefreshToken != want.RefreshToken ||
		got.IDToken != want.IDToken || !got.Expiry.Equal(want.Expiry) {
		t.Errorf("got session %v (tokens %q %q %q), want %v (tokens %q %q %q)", got, got.AccessToken, got.RefreshToken, got.IDToken,
			want, want.AccessToken, want.RefreshToken, want.IDToken)
	}
}

func sessionRoundTrip(t *testing.T, s auth.Store) {
	want := sample("s1", "sid-a")
	mustCreate(t, s, want, time.Minute)
	got, err := s.Get(context.Background(), "s1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	sameSession(t, got, want)
	got.Lang = "changed"
	again, _ := s.Get(context.Background(), "s1")
	if again.Lang != "nb" {
		t.Errorf("changing a returned session changed the stored one: Lang = %q, want nb", again.Lang)
	}
}

func getUnknown(t *testing.T, s auth.Store) {
	if _, err := s.Get(context.Background(), "nope"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Get(unknown) error = %v, want ErrNotFound", err)
	}
}

func updateChangesFieldsNotKeys(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreate(t, s, sample("s1", "sid-a"), time.Minute)
	out, err := s.Update(ctx, "s1", time.Minute, func(cur *auth.Session) error {
		cur.Lang, cur.RefreshToken = "nn", "rt-new"
		cur.ID, cur.SID = "hijack", "other"
		return nil
	})
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	got, err := s.Get(ctx, "s1")
	if err != nil {
		t.Fatalf("Get after Update: %v", err)
	}
	want := sample("s1", "sid-a")
	want.Lang, want.RefreshToken = "nn", "rt-new"
	sameSession(t, got, want)
	sameSession(t, out, want)
	if _, err := s.Get(ctx, "hijack"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Get(hijack) error = %v, want ErrNotFound: Update must not move a session", err)
	}
}

func updateUnknown(t *testing.T, s auth.Store) {
	_, err := s.Update(context.Background(), "nope", time.Minute, func(*auth.Session) error { return nil })
	if !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Update(unknown) error = %v, want ErrNotFound", err)
	}
}

func updateErrorWritesNothing(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreate(t, s, sample("s1", ""), time.Minute)
	boom := errors.New("boom")
	_, err := s.Update(ctx, "s1", time.Minute, func(cur *auth.Session) error {
		cur.Lang = "en"
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Update error = %v, want %v", err, boom)
	}
	got, _ := s.Get(ctx, "s1")
	if got.Lang != "nb" {
		t.Errorf("Lang after failed Update = %q, want nb", got.Lang)
	}
}

// updateConcurrent increments a counter from many goroutines: lost updates show as a short count.
func updateConcurrent(t *testing.T, s auth.Store) {
	ctx := context.Background()
	sess := sample("s1", "")
	sess.PartyUUID = "0"
	mustCreate(t, s, sess, time.Minute)
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := s.Update(ctx, "s1", time.Minute, func(cur *auth.Session) error {
				v, err := strconv.Atoi(cur.PartyUUID)
				cur.PartyUUID = strconv.Itoa(v + 1)
				return err
			})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Update: %v", err)
		}
	}
	got, _ := s.Get(ctx, "s1")
	if got.PartyUUID != strconv.Itoa(n) {
		t.Errorf("counter after %d concurrent updates = %s, want %d", n, got.PartyUUID, n)
	}
}

func deleteSession(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreate(t, s, sample("s1", "sid-a"), time.Minute)
	if err := s.Delete(ctx, "s1"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := s.Get(ctx, "s1"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("Get after Delete error = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, "s1"); err != nil {
		t.Errorf("Delete(absent) = %v, want nil", err)
	}
	if gone, err := s.DeleteBySID(ctx, "sid-a"); err != nil || len(gone) != 0 {
		t.Errorf("DeleteBySID after Delete = %d, %v; want 0, nil", len(gone), err)
	}
}

func deleteBySID(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreate(t, s, sample("a1", "sid-a"), time.Minute)
	mustCreate(t, s, sample("a2", "sid-a"), time.Minute)
	mustCreate(t, s, sample("b1", "sid-b"), time.Minute)
	mustCreate(t, s, sample("c1", ""), time.Minute)
	got, err := s.DeleteBySID(ctx, "sid-a")
	if err != nil || len(got) != 2 {
		t.Fatalf("DeleteBySID(sid-a) = %d sessions, %v; want 2, nil", len(got), err)
	}
	ids := []string{got[0].ID, got[1].ID}
	slices.Sort(ids)
	if ids[0] != "a1" || ids[1] != "a2" || got[0].RefreshToken == "" || got[0].RefreshToken != sample(got[0].ID, "sid-a").RefreshToken {
		t.Errorf("DeleteBySID(sid-a) returned %v; want sessions a1 and a2 as stored", ids)
	}
	for _, id := range []string{"a1", "a2"} {
		if _, err := s.Get(ctx, id); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("Get(%s) after DeleteBySID error = %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{"b1", "c1"} {
		if _, err := s.Get(ctx, id); err != nil {
			t.Errorf("Get(%s) after DeleteBySID(sid-a) error = %v, want the session kept", id, err)
		}
	}
	if got, err := s.DeleteBySID(ctx, "sid-a"); err != nil || len(got) != 0 {
		t.Errorf("second DeleteBySID(sid-a) = %d sessions, %v; want 0, nil", len(got), err)
	}
	if got, err := s.DeleteBySID(ctx, ""); err != nil || len(got) != 0 {
		t.Errorf("DeleteBySID(\"\") = %d sessions, %v; want 0, nil (sessions without sid are not one group)", len(got), err)
	}
}

// eventually polls cond until it holds or 5 s have passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not the case after 5 s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func sessionExpires(t *testing.T, s auth.Store) {
	ctx := context.Background()
	mustCreate(t, s, sample("s1", "sid-a"), shortTTL)
	mustCreate(t, s, sample("s2", ""), time.Minute)
	eventually(t, "session with a short TTL is gone", func() bool {
		_, err := s.Get(ctx, "s1")
		return errors.Is(err, auth.ErrNotFound)
	})
	if _, err := s.Get(ctx, "s2"); err != nil {
		t.Errorf("Get(s2) = %v, want the long-lived session kept", err)
	}
}

// loginCookieKeys: a store that gives login cookie keys (auth.LoginKeyer) gives at least one,
// each of 32 bytes, and the same ones on every call.
func loginCookieKeys(t *testing.T, s auth.Store) {
	lk, ok := s.(auth.LoginKeyer)
	if !ok {
		return
	}
	keys := lk.LoginCookieKeys()
	if len(keys) == 0 {
		t.Fatal("LoginCookieKeys gave no key")
	}
	for i, k := range keys {
		if len(k) != 32 {
			t.Errorf("login cookie key %d has %d bytes, want 32", i+1, len(k))
		}
	}
	again := lk.LoginCookieKeys()
	if len(again) != len(keys) || string(again[0]) != string(keys[0]) {
		t.Error("LoginCookieKeys changed between two calls")
	}
}

func lock(t *testing.T, s auth.Store) {
	ctx := context.Background()
	unlock, err := s.Lock(ctx, "refresh:s1", time.Minute)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if _, err := s.Lock(ctx, "refresh:s1", time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Errorf("second Lock error = %v, want ErrLocked", err)
	}
	other, err := s.Lock(ctx, "refresh:s2", time.Minute)
	if err != nil {
		t.Errorf("Lock of another name: %v, want it free", err)
	} else {
		_ = other(ctx)
	}
	if err := unlock(ctx); err != nil {
		t.Fatalf("unlock: %v", err)
	}
	again, err := s.Lock(ctx, "refresh:s1", time.Minute)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	_ = again(ctx)
}

func lockExpires(t *testing.T, s auth.Store) {
	ctx := context.Background()
	stale, err := s.Lock(ctx, "l", shortTTL)
	if err != nil {
		t.Fatalf("Lock: %v", err)
	}
	var fresh func(context.Context) error
	eventually(t, "an expired lock can be taken", func() bool {
		fresh, err = s.Lock(ctx, "l", time.Minute)
		return err == nil
	})
	if err := stale(ctx); err != nil {
		t.Fatalf("unlock of the expired lock: %v", err)
	}
	if _, err := s.Lock(ctx, "l", time.Minute); !errors.Is(err, auth.ErrLocked) {
		t.Errorf("Lock after the old holder unlocked = %v, want ErrLocked: the stale unlock released the new holder's lock", err)
	}
	_ = fresh(ctx)
}
