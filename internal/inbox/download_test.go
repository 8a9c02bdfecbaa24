package inbox

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// TestDialogsDownload: an attachment of the dialog or of a transmission is streamed with the
// dialog token; its Content-Type is the first safe one of upstream's and the declared one.
func TestDialogsDownload(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	tests := []struct {
		name, attID, path string
		wantType, wantNm  string
	}{
		// Upstream says text/html, the dialog declares a PDF: the PDF type is served.
		{"upstream type unsafe, declared safe", svAttPDF, "/att/pdf", "application/pdf", "decision.pdf"},
		// Both HTML: saved, never rendered on the portal's origin.
		{"both unsafe", svAttHTML, "/att/html", "application/octet-stream", "page.html"},
		{"a transmission's attachment", svAttTx, "/att/tx", "application/pdf", "tx.pdf"},
	}
	for _, tt := range tests {
		att, err := h.svc.Download(t.Context(), h.user, h.d, tt.attID, svURLGui)
		if err != nil {
			t.Errorf("%s: Download: %v", tt.name, err)
			continue
		}
		body, err := io.ReadAll(att.Body)
		if cerr := att.Body.Close(); err == nil {
			err = cerr
		}
		if err != nil || !bytes.Equal(body, svPDF) {
			t.Errorf("%s: got %d bytes (%v), want the %d-byte fixture", tt.name, len(body), err, len(svPDF))
		}
		if att.ContentType != tt.wantType || att.Name != tt.wantNm || att.Length != int64(len(svPDF)) || att.Meta == nil || att.Meta.ID != tt.attID {
			t.Errorf("%s: got type %q, name %q, length %d; want %q, %q, %d", tt.name, att.ContentType, att.Name, att.Length, tt.wantType, tt.wantNm, len(svPDF))
		}
		calls := h.so.calls(tt.path)
		if len(calls) != 1 || calls[0].Method != http.MethodGet || calls[0].Header.Get("Authorization") != "Bearer "+svDialogToken {
			t.Errorf("%s: got calls %+v, want one GET with the dialog token", tt.name, calls)
		}
	}
}

// TestDialogsDownloadRefusals: placeholders, an expiry passed, malformed or unknown ids and an
// API-only URL are refused before any call, and hold no download slot.
func TestDialogsDownloadRefusals(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h := newSV(t, func(c *DialogsConfig) {
		c.Limit = NewLimiter(1)
		c.Now = func() time.Time { return now }
	})
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	h.d.Attachments = append(h.d.Attachments,
		dpclient.Attachment{ID: svAttExpired, ExpiresAt: &past, URLs: []dpclient.AttachmentURL{svGUI(h.so.srv.URL+"/att/old?ct=application/pdf", "application/pdf")}})
	tests := []struct {
		name, attID, urlID string
		want               error
	}{
		{"unauthorized placeholder", svAttNoAuth, svURLGui, ErrNotAuthorized},
		{"expired placeholder", svAttExpURL, svURLGui, ErrExpired},
		{"expiry passed", svAttExpired, svURLGui, ErrExpired},
		{"malformed attachment id", "../x", svURLGui, ErrNotFound},
		{"malformed URL id", svAttPDF, "x", ErrNotFound},
		{"unknown attachment", svActMissing, svURLGui, ErrNotFound},
		{"an API consumer's URL", svAttPDF, svURLAPI, ErrNotFound},
	}
	for _, tt := range tests {
		att, err := h.svc.Download(t.Context(), h.user, h.d, tt.attID, tt.urlID)
		if att != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: Download = %v, %v; want %v", tt.name, att, err, tt.want)
		}
	}
	svNoCall(t, h.so, 0, "refused downloads")
	if err := h.svc.LinkRefusal(h.so.plain.URL+"/att/pdf", &future); !errors.Is(err, outbound.ErrURLRefused) {
		t.Errorf("LinkRefusal(plain http) = %v, want ErrURLRefused", err)
	}
	if err := h.svc.LinkRefusal(h.so.srv.URL+"/att/pdf", &future); err != nil {
		t.Errorf("LinkRefusal(https, not yet expired) = %v, want nil", err)
	}
	// None of the refusals kept the one slot.
	att, err := h.svc.Download(t.Context(), h.user, h.d, svAttPDF, svURLGui)
	if err != nil {
		t.Fatalf("a download after refusals: %v", err)
	}
	_ = att.Body.Close()
}

// TestDialogsDownloadLimit: a download holds one of the user's slots until its body is closed;
// with a limit of 1 a second download is ErrBusy (no call) until then, another user is not
// affected, and a failed download gives its slot back.
func TestDialogsDownloadLimit(t *testing.T) {
	t.Parallel()
	h := newSV(t, func(c *DialogsConfig) { c.Limit = NewLimiter(1) })
	first, err := h.svc.Download(t.Context(), h.user, h.d, svAttPDF, svURLGui)
	if err != nil {
		t.Fatalf("first download: %v", err)
	}
	before := h.so.total()
	if att, err := h.svc.Download(t.Context(), h.user, h.d, svAttTx, svURLGui); att != nil || !errors.Is(err, ErrBusy) {
		t.Errorf("second download while the first is open: %v, %v; want ErrBusy", att, err)
	}
	svNoCall(t, h.so, before, "a busy download")
	other := &User{Key: "session-2", Lang: svLang, Token: h.user.Token}
	if att, err := h.svc.Download(t.Context(), other, h.d, svAttTx, svURLGui); err != nil {
		t.Errorf("another session's download: %v", err)
	} else {
		_ = att.Body.Close()
	}

	// Reading to the end is not enough; closing gives the slot back.
	if _, err := io.Copy(io.Discard, first.Body); err != nil {
		t.Fatal(err)
	}
	if _, err := h.svc.Download(t.Context(), h.user, h.d, svAttTx, svURLGui); !errors.Is(err, ErrBusy) {
		t.Errorf("after reading, before closing: %v, want ErrBusy", err)
	}
	if err := first.Body.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	second, err := h.svc.Download(t.Context(), h.user, h.d, svAttTx, svURLGui)
	if err != nil {
		t.Fatalf("after closing the first: %v", err)
	}
	_ = second.Body.Close()
	_ = second.Body.Close() // twice is harmless: it gives back one slot, not two

	// A download the service owner fails releases its slot at once.
	if _, err := h.svc.Download(t.Context(), h.user, h.d, svAttFail, svURLGui); !errors.Is(err, outbound.ErrUnavailable) {
		t.Errorf("failing download: %v, want ErrUnavailable", err)
	}
	third, err := h.svc.Download(t.Context(), h.user, h.d, svAttPDF, svURLGui)
	if err != nil {
		t.Fatalf("after a failed download: %v", err)
	}
	if _, err := h.svc.Download(t.Context(), h.user, h.d, svAttTx, svURLGui); !errors.Is(err, ErrBusy) {
		t.Errorf("a double Close gave back two slots: %v, want ErrBusy", err)
	}
	_ = third.Body.Close()
}

// writerToBody is a download body that records whether io.Copy used its WriteTo.
type writerToBody struct {
	io.Reader
	usedWriteTo bool
}

func (b *writerToBody) WriteTo(w io.Writer) (int64, error) {
	b.usedWriteTo = true
	return io.Copy(w, b.Reader)
}

func (b *writerToBody) Close() error { return nil }

// TestReleasingBodyKeepsWriteTo: io.Copy of an attachment's body reaches the download's own
// WriteTo (outbound streams through it in whole buffers, not a record at a time), and Close
// still gives the slot back.
func TestReleasingBodyKeepsWriteTo(t *testing.T) {
	t.Parallel()
	inner := &writerToBody{Reader: bytes.NewReader(svPDF)}
	released := false
	body := &releasingBody{ReadCloser: inner, release: func() { released = true }}
	var got bytes.Buffer
	if n, err := io.CopyBuffer(&got, body, make([]byte, 1024)); err != nil || n != int64(len(svPDF)) {
		t.Fatalf("copied %d, %v", n, err)
	}
	if !inner.usedWriteTo || !bytes.Equal(got.Bytes(), svPDF) {
		t.Errorf("WriteTo used: %v; bytes equal: %v", inner.usedWriteTo, bytes.Equal(got.Bytes(), svPDF))
	}
	if body.Close(); !released {
		t.Error("Close did not release the download slot")
	}
}
