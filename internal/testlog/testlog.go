// Package testlog holds what tests use to read what the code logged, and to check that no
// national identity number or token got into the logs or the URLs a client visited.
package testlog

import (
	"bytes"
	"sync"
)

// Buffer collects log output written from concurrent goroutines; the zero value is ready.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns everything written so far.
func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
