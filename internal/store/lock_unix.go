//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockFile holds an exclusive flock on path (made if missing) until unlock is called, waiting
// for another holder until ctx ends. SQLite's migrations run under it: goose cannot lock a
// SQLite database itself, and two instances migrating one file at once would both try to
// create the tables. flock (not SQLite's fcntl locks) on a file of its own, so closing it
// cannot release SQLite's locks.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("store: migration lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = f.Close() }, nil // closing releases the lock
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return nil, fmt.Errorf("store: migration lock: %w", err)
		}
		select {
		case <-ctx.Done():
			_ = f.Close()
			return nil, fmt.Errorf("store: waiting for the migration lock: %w", ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
