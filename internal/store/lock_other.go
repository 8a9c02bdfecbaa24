//go:build !unix

package store

import "context"

// lockFile is a no-op where flock is missing: there, start one instance at a time on a new
// SQLite file.
func lockFile(context.Context, string) (func(), error) { return func() {}, nil }
