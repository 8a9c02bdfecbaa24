package richtext

import (
	"context"
	"errors"
	"io"
)

// ctxReader reads from r until ctx ends, so a parser reading it stops at its next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	// Small reads, so a parser notices a cancelled context within a few KiB of input.
	return c.r.Read(p[:min(len(p), 4<<10)])
}

// errTooLong is the error of a limitWriter that has written its maximum.
var errTooLong = errors.New("richtext: rendered markup exceeds its limit")

// limitWriter writes to w until ctx ends or max bytes are written: goldmark stops rendering
// at the first write error.
type limitWriter struct {
	ctx context.Context
	w   io.Writer
	max int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if err := l.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > l.max {
		return 0, errTooLong
	}
	l.max -= len(p)
	return l.w.Write(p)
}
