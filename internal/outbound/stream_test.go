package outbound

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// recordReader is a source that gives at most 16 KiB a Read, as a TLS connection does.
type recordReader struct{ r io.Reader }

func (r recordReader) Read(p []byte) (int, error) { return r.r.Read(p[:min(len(p), 16<<10)]) }

// writeCounter counts the writes it gets and keeps their bytes.
type writeCounter struct {
	bytes.Buffer
	writes int
}

func (w *writeCounter) Write(p []byte) (int, error) { w.writes++; return w.Buffer.Write(p) }

func newLimitedBody(r io.Reader, limit int64) *limitedBody {
	ctx, cancel := context.WithCancel(context.Background())
	return &limitedBody{rc: io.NopCloser(r), remaining: limit, cancel: cancel, ctx: ctx, sent: &sent{origin: "https://so.example"}}
}

// TestDownloadWriteToBatchesRecords: io.Copy of a download's body fills the stream buffer over
// several record-sized reads before it writes (a plain copy loop wrote each 16 KiB record on
// its own), and passes every byte on.
func TestDownloadWriteToBatchesRecords(t *testing.T) {
	t.Parallel()
	src := bytes.Repeat([]byte("0123456789abcdef"), 4<<20/16)
	var w writeCounter
	n, err := io.Copy(&w, newLimitedBody(recordReader{bytes.NewReader(src)}, 1<<30))
	if err != nil || n != int64(len(src)) {
		t.Fatalf("copied %d, %v", n, err)
	}
	if !bytes.Equal(w.Bytes(), src) {
		t.Fatal("bytes differ")
	}
	// 256 reads of 16 KiB; 16 writes of 256 KiB when nothing waits (streamHold is a bound
	// for slow sources: leave room for a scheduler's pause under -race).
	if w.writes > 64 {
		t.Errorf("%d writes for %d records, want whole buffers", w.writes, len(src)/(16<<10))
	}
}

// slowReader gives a small piece every delay.
type slowReader struct {
	pieces int
	delay  time.Duration
}

func (s *slowReader) Read(p []byte) (int, error) {
	if s.pieces == 0 {
		return 0, io.EOF
	}
	time.Sleep(s.delay)
	s.pieces--
	return copy(p, bytes.Repeat([]byte{'x'}, 100)), nil
}

// TestDownloadWriteToDoesNotHoldSlowBytes: from a slow service owner, bytes go out as they
// come (within streamHold), not once the buffer is full or the body ends.
func TestDownloadWriteToDoesNotHoldSlowBytes(t *testing.T) {
	t.Parallel()
	var w writeCounter
	n, err := io.Copy(&w, newLimitedBody(&slowReader{pieces: 8, delay: 2 * streamHold}, 1<<30))
	if err != nil || n != 800 {
		t.Fatalf("copied %d, %v", n, err)
	}
	if w.writes < 4 {
		t.Errorf("%d writes for 8 pieces %v apart: bytes were held back", w.writes, 2*streamHold)
	}
}

// TestDownloadWriteToKeepsLimit: WriteTo fails past the download limit as Read does, having
// written exactly the limit.
func TestDownloadWriteToKeepsLimit(t *testing.T) {
	t.Parallel()
	const limit = 1<<20 + 5
	var w writeCounter
	n, err := io.Copy(&w, newLimitedBody(recordReader{bytes.NewReader(make([]byte, 2<<20))}, limit))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if n != limit || w.Len() != limit {
		t.Errorf("wrote %d (%d kept), want the limit %d", n, w.Len(), limit)
	}
}

// failingWriter refuses every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("client gone") }

// TestDownloadWriteToStopsOnWriteError: a failed write ends the copy with its error.
func TestDownloadWriteToStopsOnWriteError(t *testing.T) {
	t.Parallel()
	src := &slowReader{pieces: 1000, delay: time.Millisecond}
	_, err := io.Copy(failingWriter{}, newLimitedBody(src, 1<<30))
	if err == nil || err.Error() != "client gone" {
		t.Fatalf("err = %v", err)
	}
	if src.pieces < 900 {
		t.Errorf("read on for %d pieces after the write failed", 1000-src.pieces)
	}
}

// TestDownloadWriteToAllocatesNothing: streaming a body allocates nothing, per chunk or per
// download (the buffer is pooled).
func TestDownloadWriteToAllocatesNothing(t *testing.T) {
	if raceOn {
		t.Skip("sync.Pool drops objects at random under -race")
	}
	src := make([]byte, 4<<20)
	r := bytes.NewReader(src)
	b := newLimitedBody(recordReader{r}, 1<<30)
	allocs := testing.AllocsPerRun(20, func() {
		r.Reset(src)
		b.remaining = 1 << 30
		if n, err := b.WriteTo(io.Discard); err != nil || n != int64(len(src)) {
			t.Fatalf("copied %d, %v", n, err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per 4 MiB streamed, want 0", allocs)
	}
}

// TestDownloadStreamsOverTLS: a download's body copied with io.Copy from a TLS service owner
// arrives whole.
func TestDownloadStreamsOverTLS(t *testing.T) {
	t.Parallel()
	src := bytes.Repeat([]byte("innboks!"), 3<<20/8)
	srv, c := tlsServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(src) }), Config{})
	d, err := c.Download(context.Background(), Request{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Body.Close()
	var w writeCounter
	if n, err := io.Copy(&w, d.Body); err != nil || n != int64(len(src)) || !bytes.Equal(w.Bytes(), src) {
		t.Fatalf("copied %d, %v", n, err)
	}
}
