package handlers

import (
	"cmp"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/views"
)

// Attachments streams attachment downloads through Innboks, so the dialog token never reaches
// the browser and the outbound rules apply.
type Attachments struct{ dialogBase }

// NewAttachments returns the attachment download handler.
func NewAttachments(d DialogDeps) *Attachments { return &Attachments{newDialogBase(d)} }

// copyBufs are the 32 KiB buffers downloads are copied through.
var copyBufs = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// Download handles GET /dialogs/:id/attachments/:attachmentId/:urlId: it finds the attachment
// (on the dialog or one of its transmissions) and its Gui URL in fresh details, refuses
// placeholders (unauthorized 403, expired 410), and streams the body in constant memory with a
// safe Content-Type and Content-Disposition.
func (h *Attachments) Download(c echo.Context) error {
	attID, urlID := c.Param("attachmentId"), c.Param("urlId")
	if !validID(attID) || !validID(urlID) {
		return errNoAttachment
	}
	u, d, err := h.load(c)
	if err != nil {
		return err
	}
	att, au, ok := findAttachmentURL(d, attID, urlID)
	if !ok {
		return errNoAttachment
	}
	switch {
	case au.URL == dpclient.URLExpired || (att.ExpiresAt != nil && att.ExpiresAt.Before(h.now())):
		return &Error{Status: http.StatusGone, Kind: views.ErrGone, Msg: "attachment expired"}
	case au.URL == dpclient.URLUnauthorized:
		return &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: "attachment not authorized"}
	}
	ctx := c.Request().Context()
	var dl *outbound.Download
	err = h.withToken(ctx, u, d, au.URL, func(token string) (err error) {
		dl, err = h.out.Download(ctx, outbound.Request{URL: au.URL, Token: token})
		return err
	})
	if err != nil {
		return serviceOwnerError("attachment download", err)
	}
	defer dl.Body.Close()

	hdr := c.Response().Header()
	hdr.Set("Content-Type", safeContentType(dl.ContentType, au.MediaType))
	hdr.Set("Content-Disposition", contentDisposition(cmp.Or(att.Name, attachmentName(*att, string(u.lang)))))
	// Even if a browser were to render it, the file gets no script and no origin.
	hdr.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	if dl.ContentLength >= 0 {
		hdr.Set("Content-Length", strconv.FormatInt(dl.ContentLength, 10))
	}
	// The server's WriteTimeout (cmd/web: 60 s) suits pages, not a large file on a slow line:
	// this response may take as long as the outbound download may (internal/outbound).
	if err := http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(downloadWriteWindow)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	c.Response().WriteHeader(http.StatusOK)
	buf := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(buf)
	if _, err := io.CopyBuffer(c.Response(), dl.Body, *buf); err != nil {
		// The status is sent; the error handler only logs it. The browser sees a broken
		// download (Content-Length not reached, or a reset chunked stream).
		return serviceOwnerError("attachment stream", err)
	}
	return nil
}

// downloadWriteWindow is how long an attachment response may take to write: the outbound
// client's own bound on a whole download.
const downloadWriteWindow = outbound.DefaultDownloadTimeout

// errNoAttachment is the answer for an attachment or URL id the dialog does not have.
var errNoAttachment = &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such attachment"}

// findAttachmentURL finds a Gui URL of an attachment of the dialog or of its transmissions.
func findAttachmentURL(d *dpclient.Dialog, attID, urlID string) (*dpclient.Attachment, *dpclient.AttachmentURL, bool) {
	lists := [][]dpclient.Attachment{d.Attachments}
	for _, t := range d.Transmissions {
		lists = append(lists, t.Attachments)
	}
	for _, list := range lists {
		for i := range list {
			a := &list[i]
			if a.ID != attID {
				continue
			}
			for j := range a.URLs {
				u := &a.URLs[j]
				if u.ID == urlID && u.ConsumerType == dpclient.AttachmentURLConsumerGUI {
					return a, u, true
				}
			}
		}
	}
	return nil, nil, false
}

// safeContentType is the upstream Content-Type if it parses, else the attachment URL's media
// type, else application/octet-stream; always re-serialised, so nothing odd passes through.
func safeContentType(upstream, declared string) string {
	for _, v := range []string{upstream, declared} {
		mt, params, err := mime.ParseMediaType(v)
		if err != nil || !strings.Contains(mt, "/") {
			continue
		}
		keep := map[string]string{}
		if cs, ok := params["charset"]; ok {
			keep["charset"] = cs
		}
		if s := mime.FormatMediaType(mt, keep); s != "" {
			return s
		}
	}
	return "application/octet-stream"
}

// contentDisposition builds an "attachment" disposition with filename and filename* (RFC 6266, 5987):
// an ASCII fallback and the exact UTF-8 name, with path separators, quotes and control
// characters removed so the header cannot be broken out of.
func contentDisposition(name string) string {
	name = cleanFilename(name)
	var ascii, ext strings.Builder
	for _, r := range name {
		switch {
		case r < 0x80 && r != '"' && r != '\\' && r != '%':
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	for _, b := range []byte(name) {
		if isAttrChar(b) {
			ext.WriteByte(b)
		} else {
			ext.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(b), 16)))
		}
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + ext.String()
}

// cleanFilename keeps a file name printable, without directories or bidi/format characters
// (which can disguise an extension: "\u202egnp.exe"), and at most 150 runes.
func cleanFilename(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		if n >= 150 {
			break
		}
		switch {
		case r == '/' || r == '\\' || r == '"' || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
		n++
	}
	s := strings.Trim(strings.TrimSpace(b.String()), ".")
	if s == "" {
		return "vedlegg"
	}
	return s
}

// isAttrChar is RFC 5987's attr-char.
func isAttrChar(b byte) bool {
	switch {
	case b >= 'a' && b <= 'z', b >= 'A' && b <= 'Z', b >= '0' && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
