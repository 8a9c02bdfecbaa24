package cache

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestExpiresAfterTTL(t *testing.T) {
	t.Parallel()
	now := time.Unix(1000, 0)
	c := New[int](time.Minute, 10, WithClock(func() time.Time { return now }))
	c.Put("a", 1)
	if v, ok := c.Peek("a"); !ok || v != 1 {
		t.Fatalf("Peek = %d, %v; want 1, true", v, ok)
	}
	now = now.Add(time.Minute)
	if _, ok := c.Peek("a"); ok {
		t.Fatal("entry still there after its TTL")
	}
}

func TestEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	c := New[int](time.Hour, 2)
	c.Put("a", 1)
	c.Put("b", 2)
	c.Peek("a") // a is now the most recent
	c.Put("c", 3)
	if _, ok := c.Peek("b"); ok {
		t.Error("b kept; want it evicted as least recently used")
	}
	for _, k := range []string{"a", "c"} {
		if _, ok := c.Peek(k); !ok {
			t.Errorf("%s evicted; want kept", k)
		}
	}
	if got := c.Len(); got != 2 {
		t.Errorf("Len = %d, want 2", got)
	}
}

func TestGetSharesOneLoad(t *testing.T) {
	t.Parallel()
	c := New[string](time.Hour, 10)
	var calls atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (string, error) {
		calls.Add(1)
		<-release
		return "v", nil
	}
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := c.Get(context.Background(), "k", load); err != nil || v != "v" {
				t.Errorf("Get = %q, %v", v, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Errorf("loads = %d, want 1", n)
	}
	if _, err := c.Get(context.Background(), "k", load); err != nil || calls.Load() != 1 {
		t.Errorf("a cached Get loaded again (%d loads, %v)", calls.Load(), err)
	}
}

func TestGetDoesNotCacheFailures(t *testing.T) {
	t.Parallel()
	c := New[int](time.Hour, 10)
	boom := errors.New("boom")
	if _, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil })
	if err != nil || v != 7 {
		t.Fatalf("Get after a failure = %d, %v; want 7", v, err)
	}
}

func TestGetSurvivesAnotherCallersCancel(t *testing.T) {
	t.Parallel()
	c := New[int](time.Hour, 10)
	first, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	go func() {
		_, _ = c.Get(first, "k", func(ctx context.Context) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		})
	}()
	<-started
	done := make(chan error, 1)
	go func() {
		v, err := c.Get(context.Background(), "k", func(context.Context) (int, error) { return 5, nil })
		if err == nil && v != 5 {
			err = fmt.Errorf("v = %d, want 5", v)
		}
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("second caller: %v", err)
	}
}
