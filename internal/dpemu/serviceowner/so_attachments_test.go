package serviceowner_test

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

func blobBytes(t testing.TB, seed uint64, size int64) []byte {
	t.Helper()
	b, err := io.ReadAll(serviceowner.NewBlob(seed, size))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBlobIsDeterministicAndSeekable(t *testing.T) {
	t.Parallel()
	full := blobBytes(t, 5, 1000)
	if len(full) != 1000 {
		t.Fatalf("length: got %d, want 1000", len(full))
	}
	if !bytes.Equal(full, blobBytes(t, 5, 1000)) {
		t.Error("same seed gave different bytes")
	}
	if bytes.Equal(full[:100], blobBytes(t, 6, 100)) {
		t.Error("different seeds gave the same bytes")
	}
	for _, off := range []int64{0, 1, 7, 8, 9, 123, 995} {
		for _, n := range []int{0, 1, 5, 8, 17, 64} {
			p := make([]byte, n)
			got, _ := serviceowner.NewBlob(5, 1000).ReadAt(p, off)
			want := full[off:min(off+int64(n), 1000)]
			if !bytes.Equal(p[:got], want) {
				t.Errorf("ReadAt(%d, %d): got %x, want %x", n, off, p[:got], want)
			}
		}
	}
	b := serviceowner.NewBlob(5, 1000)
	if _, err := b.Seek(-10, io.SeekEnd); err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(b)
	if !bytes.Equal(tail, full[990:]) {
		t.Errorf("after Seek(-10, End): got %x, want %x", tail, full[990:])
	}
}

func TestAttachmentDownload(t *testing.T) {
	t.Parallel()
	e := setup(t)
	att := e.app.Attachments[0]
	path := "/serviceowner/skd/attachments/" + att.ID.String()
	tok := e.dialogToken(e.app, "read", nil)
	resp, body := e.do("GET", path, tok)
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200 (%s)", resp.StatusCode, body)
	}
	if !bytes.Equal([]byte(body), blobBytes(t, smallSeed, smallSize)) {
		t.Error("bytes differ from NewBlob(seed, size)")
	}
	for h, want := range map[string]string{
		"Content-Type":        "application/pdf",
		"Content-Length":      "100003",
		"Content-Disposition": `attachment; filename=kvittering.pdf`,
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s: got %q, want %q", h, got, want)
		}
	}
	resp, body = e.do("GET", path, tok, "Range", "bytes=100-199")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal([]byte(body), blobBytes(t, smallSeed, smallSize)[100:200]) {
		t.Errorf("range: got %d and %d bytes, want 206 and bytes 100-199", resp.StatusCode, len(body))
	}
}

func TestAttachmentRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t)
	own := "/serviceowner/skd/attachments/" + e.app.Attachments[0].ID.String()
	tests := []struct {
		name       string
		path       string
		token      string
		wantStatus int
	}{
		{"no token", own, "", 401},
		{"token of a dialog without the attachment", own, e.dialogToken(e.corr, "read", nil), 403},
		{"another dialog's attachment", "/serviceowner/skd/attachments/" + e.other.Attachments[0].ID.String(), e.dialogToken(e.app, "read", nil), 403},
		{"no read", own, e.dialogToken(e.app, "write", nil), 403},
		{"party mismatch", own, e.dialogToken(e.app, "read", func(c map[string]any) { c["p"] = orgURN }), 403},
		{"wrong org", "/serviceowner/nav/attachments/" + e.app.Attachments[0].ID.String(), e.dialogToken(e.app, "read", nil), 403},
	}
	for _, tc := range tests {
		if resp, body := e.do("GET", tc.path, tc.token); resp.StatusCode != tc.wantStatus {
			t.Errorf("%s: got %d, want %d (%s)", tc.name, resp.StatusCode, tc.wantStatus, body)
		}
	}
}

// TestLargeAttachmentStreamsInConstantMemory reads a 256 MiB attachment through HTTP and
// checks that the process allocated far less than that (a memory bound, not a timing one).
// Not parallel: it measures the whole process's allocations.
func TestLargeAttachmentStreamsInConstantMemory(t *testing.T) {
	e := setup(t)
	big := e.app.Attachments[1]
	req, _ := http.NewRequest("GET", e.base+"/serviceowner/skd/attachments/"+big.ID.String(), nil)
	req.Header.Set("Authorization", "Bearer "+e.dialogToken(e.app, "read", nil))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if n != bigSize {
		t.Fatalf("streamed %d bytes, want %d", n, bigSize)
	}
	const bound = 64 << 20
	t.Logf("streamed %d MiB; allocated %d KiB; heap in use %d → %d MiB", n>>20,
		(after.TotalAlloc-before.TotalAlloc)>>10, before.HeapInuse>>20, after.HeapInuse>>20)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > bound {
		t.Errorf("allocated %d MiB while streaming %d MiB, want under %d MiB", alloc>>20, bigSize>>20, bound>>20)
	}
	if heap := after.HeapInuse; heap > before.HeapInuse+bound {
		t.Errorf("heap in use grew from %d to %d MiB", before.HeapInuse>>20, heap>>20)
	}
}

// BenchmarkAttachmentStream1GiB streams a 1 GiB attachment over loopback HTTP; it reports
// throughput (SetBytes) and the bytes allocated per stream.
func BenchmarkAttachmentStream1GiB(b *testing.B) {
	e := setup(b)
	const size = 1 << 30
	id := e.bigAttachment(size)
	tok := e.dialogToken(e.app, "read", nil)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("GET", e.base+"/serviceowner/skd/attachments/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := io.Copy(io.Discard, resp.Body); n != size {
			b.Fatalf("streamed %d bytes", n)
		}
		resp.Body.Close()
	}
}

// BenchmarkBlob measures the generator alone.
func BenchmarkBlob(b *testing.B) {
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(buf)))
	blob := serviceowner.NewBlob(1, 1<<62)
	var off int64
	for b.Loop() {
		n, _ := blob.ReadAt(buf, off)
		off += int64(n)
	}
}
