package handlers

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAttachmentDownload(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	for _, att := range []string{fxAttPDF, fxAttTx} {
		rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/attachments/"+att+"/"+fxURLGui, req{loggedIn: true,
			headers: map[string]string{"Accept-Encoding": "br, gzip"}})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", att, rec.Code, rec.Body)
		}
		// Passed on byte for byte: never compressed (nor buffered to be) on the way.
		if got := rec.Header().Get("Content-Encoding"); got != "" {
			t.Errorf("%s: Content-Encoding %q, want none", att, got)
		}
		if !bytes.Equal(rec.Body.Bytes(), pdfBytes) {
			t.Errorf("%s: body %s, want %s", att, sha(rec.Body.Bytes()), sha(pdfBytes))
		}
		if got := rec.Header().Get("Content-Type"); got != "application/pdf" {
			t.Errorf("Content-Type = %q", got)
		}
		if got := rec.Header().Get("Content-Security-Policy"); !strings.HasPrefix(got, "sandbox") {
			t.Errorf("CSP = %q, want sandbox", got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("nosniff missing")
		}
		_, params, err := mime.ParseMediaType(rec.Header().Get("Content-Disposition"))
		if err != nil {
			t.Errorf("Content-Disposition %q: %v", rec.Header().Get("Content-Disposition"), err)
		}
		want := "vedtak-æøå.pdf"
		if att == fxAttTx {
			want = "Skjema"
		}
		// mime decodes filename* (RFC 2231/5987) into "filename".
		if params["filename"] != want {
			t.Errorf("filename = %q, want %q (not the service owner's ../../evil.sh)", params["filename"], want)
		}
	}
	// The download itself, with the dialog token through the fence: inbox.TestDialogsDownload.
	if got, want := h.dialogs.done(), []string{fxDialog + "/" + fxAttPDF, fxDialog + "/" + fxAttTx}; !slices.Equal(got, want) {
		t.Errorf("downloads %v, want %v", got, want)
	}
}

func TestAttachmentRefusals(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	tests := []struct {
		name, dialog, att, url string
		status                 int
	}{
		{"unauthorized", fxDialog, fxAttNoAuth, fxURLGui, http.StatusForbidden},
		{"expired", fxDialog, fxAttExpired, fxURLGui, http.StatusGone},
		{"API url", fxDialog, fxAttPDF, fxURLAPI, http.StatusNotFound},
		{"unknown attachment", fxDialog, "0190fbd7-4444-7000-8000-0000000000ee", fxURLGui, http.StatusNotFound},
		{"malformed", fxDialog, "x", fxURLGui, http.StatusNotFound},
		{"another party's dialog", fxForeign, fxAttPDF, fxURLGui, http.StatusNotFound},        // one 404 for foreign and unknown (issue 8, point 9; inbox.TestDialogsLoadOwn)
		{"redirect to another host", fxDialog, fxAttRedirect, fxURLGui, http.StatusForbidden}, // the portal refused it: not the service owner's failure
	}
	for _, tt := range tests {
		rec := h.do(http.MethodGet, "/dialogs/"+tt.dialog+"/attachments/"+tt.att+"/"+tt.url, req{loggedIn: true})
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.status)
		}
		if rec.Header().Get("Content-Disposition") != "" {
			t.Errorf("%s: a refused download carries Content-Disposition", tt.name)
		}
	}
	if got := h.dialogs.done(); len(got) != 0 {
		t.Errorf("refused downloads started: %v", got)
	}
}

// TestWiringAttachmentStreamsInConstantMemory (a wiring test: the real dialog service and outbound
// client) downloads a 128 MiB attachment through the proxy over real loopback connections and checks that the heap does not grow with it (a memory bound,
// sampled with runtime.ReadMemStats while streaming; no timing).
func TestWiringAttachmentStreamsInConstantMemory(t *testing.T) {
	h := newWiredDialogHarness(t)
	n, peak, sum := downloadHuge(t, h)
	if n != hugeSize {
		t.Fatalf("got %d bytes, want %d", n, hugeSize)
	}
	if sum != hugeSum() {
		t.Errorf("bytes differ from the service owner's")
	}
	const bound = 48 << 20
	if peak > bound {
		t.Errorf("heap grew by %d MiB while streaming %d MiB, want < %d MiB", peak>>20, hugeSize>>20, bound>>20)
	}
}

// downloadHuge fetches the huge attachment through a real portal server, returning the bytes
// read, the peak heap growth seen and a digest of the body.
func downloadHuge(t testing.TB, h *dialogHarness) (n int64, peak uint64, sum string) {
	hasher := newChunkHasher()
	n, peak = streamHuge(t, h, hasher.Write)
	return n, peak, hasher.Sum()
}

// streamHuge fetches the huge attachment through a real portal server, passing each piece
// read to keep, and returns the bytes read and the peak heap growth seen. BenchmarkAttachmentProxy
// keeps nothing, as its direct arm does: a digest would be the client's time, not the proxy's.
func streamHuge(t testing.TB, h *dialogHarness, keep func([]byte)) (n int64, peak uint64) {
	portal := httptest.NewServer(h.srv.Echo)
	defer portal.Close()
	r, _ := http.NewRequest(http.MethodGet, portal.URL+"/dialogs/"+fxDialog+"/attachments/"+fxAttHuge+"/"+fxURLGui, nil)
	r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	resp, err := portal.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	buf := make([]byte, 256<<10)
	for {
		k, err := resp.Body.Read(buf)
		keep(buf[:k])
		n += int64(k)
		if n%(8<<20) < int64(k) {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > base && ms.HeapAlloc-base > peak {
				peak = ms.HeapAlloc - base
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return n, peak
}

// TestWiringAttachmentOutlivesServerWriteTimeout (wiring, as above): a download outlives the
// server's WriteTimeout (meant for pages): the attachment handler gives
// its own response a longer write window, so a slow reader still gets every byte.
func TestWiringAttachmentOutlivesServerWriteTimeout(t *testing.T) {
	h := newWiredDialogHarness(t)
	portal := httptest.NewUnstartedServer(h.srv.Echo)
	portal.Config.WriteTimeout = 200 * time.Millisecond
	portal.Start()
	defer portal.Close()
	r, _ := http.NewRequest(http.MethodGet, portal.URL+"/dialogs/"+fxDialog+"/attachments/"+fxAttHuge+"/"+fxURLGui, nil)
	r.AddCookie(&http.Cookie{Name: "test-session", Value: "s1"})
	resp, err := portal.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	// Read slowly, so the whole response takes well past the server's WriteTimeout.
	buf := make([]byte, 8<<20)
	var n int64
	for {
		k, err := io.ReadFull(resp.Body, buf)
		n += int64(k)
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", n, err)
		}
		time.Sleep(40 * time.Millisecond)
	}
	if n != hugeSize {
		t.Fatalf("got %d bytes, want %d: the download was cut off", n, hugeSize)
	}
}
