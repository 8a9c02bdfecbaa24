package outbound

import (
	"io"
	"sync"
	"time"
)

// streamBufSize is the buffer a download is streamed through (WriteTo).
const streamBufSize = 256 << 10

// streamHold is the longest bytes read wait in the buffer for more before they are written
// (measured from the first of them, checked after each read).
const streamHold = 20 * time.Millisecond

// streamBufs holds the buffers of the downloads in flight: reused, so streaming allocates
// nothing per download once warm, and nothing per chunk.
var streamBufs = sync.Pool{New: func() any { return new([streamBufSize]byte) }}

// WriteTo streams the body to w; io.Copy and io.CopyBuffer use it in place of their own loop.
// A TLS connection gives at most one record (16 KiB) a Read, so a plain copy loop wrote 16 KiB
// at a time: a write system call, and a wake-up of the reader on the other side, per record.
// WriteTo fills its buffer over several reads and writes it when full, at the end, or once the
// first bytes in it have waited streamHold: a slow service owner's bytes still go out within
// streamHold (plus the read in flight). The limit and the error classification are Read's, and
// the bytes read before an error are written before it is returned, as io.Copy does.
func (b *limitedBody) WriteTo(w io.Writer) (int64, error) {
	buf := streamBufs.Get().(*[streamBufSize]byte)
	defer streamBufs.Put(buf)
	var written int64
	n := 0
	var first time.Time
	for {
		k, rerr := b.Read(buf[n:])
		if k > 0 && n == 0 {
			first = time.Now()
		}
		n += k
		if n > 0 && (rerr != nil || n == len(buf) || time.Since(first) >= streamHold) {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			if werr == nil && m < n {
				werr = io.ErrShortWrite
			}
			if werr != nil {
				return written, werr
			}
			n = 0
		}
		if rerr == io.EOF {
			return written, nil
		}
		if rerr != nil {
			return written, rerr
		}
	}
}
