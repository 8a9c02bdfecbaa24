package handlers

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
)

// Downloader starts an attachment download for the user (*inbox.Dialogs).
type Downloader interface {
	DialogLoader
	Download(ctx context.Context, u *inbox.User, d *dpclient.Dialog, attID, urlID string) (*inbox.Attachment, error)
}

// Attachments streams attachment downloads through Innboks, so the dialog token never reaches
// the browser and the outbound rules apply.
type Attachments struct {
	base
	dialogs Downloader
}

// Download handles GET /dialogs/:id/attachments/:attachmentId/:urlId: the service finds the
// attachment (on the dialog or one of its transmissions) and its Gui URL in fresh details and
// refuses what may not be downloaded; the body is streamed in constant memory with a safe
// Content-Type (an allow-list: anything else is application/octet-stream) and
// Content-Disposition.
func (h *Attachments) Download(c echo.Context) error {
	if !inbox.ValidID(c.Param("attachmentId")) || !inbox.ValidID(c.Param("urlId")) {
		return errNoDialog("malformed attachment id")
	}
	u, d, err := load(c, &h.base, h.dialogs)
	if err != nil {
		return err
	}
	att, err := h.dialogs.Download(c.Request().Context(), u.in, d, c.Param("attachmentId"), c.Param("urlId"))
	if err != nil {
		return actionError("attachment download", err)
	}
	defer att.Body.Close()

	hdr := c.Response().Header()
	hdr.Set("Content-Type", att.ContentType)
	hdr.Set("Content-Disposition", web.AttachmentDisposition(cmp.Or(att.Name, present.AttachmentName(*att.Meta, string(u.lang)))))
	hdr.Set("X-Content-Type-Options", "nosniff")
	// Even if a browser were to render it, the file gets no script and no origin.
	hdr.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if att.Length >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(att.Length, 10))
	}
	// The server's WriteTimeout (cmd/web: 60 s) suits pages, not a large file on a slow line:
	// this response may take as long as the outbound download may (internal/outbound).
	if err := http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(downloadWriteWindow)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	c.Response().WriteHeader(http.StatusOK)
	// io.Copy hands the copy to the body's WriteTo (internal/outbound): one pooled 256 KiB
	// buffer per download in flight, filled over several TLS records before each write.
	if _, err := io.Copy(c.Response(), att.Body); err != nil {
		// The status is sent; the error handler only logs it. The browser sees a broken
		// download (Content-Length not reached, or a reset chunked stream).
		return actionError("attachment stream", err)
	}
	return nil
}

// downloadWriteWindow is how long an attachment response may take to write: the outbound
// client's own bound on a whole download.
const downloadWriteWindow = outbound.DefaultDownloadTimeout
