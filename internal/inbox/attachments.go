package inbox

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// Attachment is an attachment being downloaded: the caller streams Body and closes it.
type Attachment struct {
	Body io.ReadCloser
	// ContentType is safe to serve on the portal's origin (SafeContentType).
	ContentType string
	// Name is the attachment's name as the dialog gives it ("" when it has none).
	Name string
	// Length is -1 when unknown.
	Length int64
	// Meta is the attachment as the dialog describes it.
	Meta *dpclient.Attachment
}

// Download finds Gui URL urlID of attachment attID (on d or one of its transmissions) and starts
// the download with the dialog token through the outbound fence. Placeholders are refused
// (ErrNotAuthorized, ErrExpired), as are URLs the fence would not call.
func (s *Dialogs) Download(ctx context.Context, u *User, d *dpclient.Dialog, attID, urlID string) (*Attachment, error) {
	if !ValidID(attID) || !ValidID(urlID) {
		return nil, fmt.Errorf("%w: malformed attachment id", ErrNotFound)
	}
	att, au, ok := findAttachmentURL(d, attID, urlID)
	if !ok {
		return nil, fmt.Errorf("%w: no such attachment", ErrNotFound)
	}
	if err := s.LinkRefusal(au.URL, att.ExpiresAt); err != nil {
		return nil, err
	}
	release, err := s.limit.Acquire(u.Key)
	if err != nil {
		return nil, err
	}
	var dl *outbound.Download
	err = s.withToken(ctx, u, d, au.URL, func(token string, guard func(*url.URL) error) (err error) {
		dl, err = s.out.Download(ctx, outbound.Request{URL: au.URL, Token: token, Guard: guard})
		return err
	})
	if err != nil {
		release()
		return nil, err
	}
	return &Attachment{
		Body:        &releasingBody{ReadCloser: dl.Body, release: release},
		ContentType: SafeContentType(dl.ContentType, au.MediaType),
		Name:        att.Name, Length: dl.ContentLength, Meta: att,
	}, nil
}

// LinkRefusal is why an attachment or navigational URL cannot be followed (nil when it can):
// Dialogporten's placeholder for an unauthorized or expired URL, an expiry passed, or the
// outbound fence's refusal. The dialog page draws with it; Download applies it again.
func (s *Dialogs) LinkRefusal(raw string, expiresAt *time.Time) error {
	switch {
	case raw == dpclient.URLUnauthorized:
		return ErrNotAuthorized
	case raw == dpclient.URLExpired || (expiresAt != nil && expiresAt.Before(s.now())):
		return ErrExpired
	}
	return s.Permits("GET", raw)
}

// releasingBody gives the user's download slot back when the body is closed.
type releasingBody struct {
	io.ReadCloser
	release func()
}

func (b *releasingBody) Close() error {
	defer b.release()
	return b.ReadCloser.Close()
}

// findAttachmentURL finds a Gui URL of an attachment of the dialog or of its transmissions.
func findAttachmentURL(d *dpclient.Dialog, attID, urlID string) (*dpclient.Attachment, *dpclient.AttachmentURL, bool) {
	lists := [][]dpclient.Attachment{d.Attachments}
	for _, t := range d.Transmissions {
		lists = append(lists, t.Attachments)
	}
	for _, list := range lists {
		for i := range list {
			a := &list[i]
			if !strings.EqualFold(a.ID, attID) {
				continue
			}
			for j := range a.URLs {
				u := &a.URLs[j]
				if strings.EqualFold(u.ID, urlID) && u.ConsumerType == dpclient.AttachmentURLConsumerGUI {
					return a, u, true
				}
			}
		}
	}
	return nil, nil, false
}

// safeTypes are the media types an attachment keeps on the portal's origin: documents, images
// that cannot carry script, plain text and archives. Anything else (HTML, SVG, XML, JavaScript,
// unknown types) is served as application/octet-stream, so a browser saves it instead of
// rendering a service owner's document as the portal's own page.
var safeTypes = map[string]bool{
	"application/pdf": true, "text/plain": true, "text/csv": true,
	"image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true, "image/tiff": true, "image/bmp": true,
	"application/zip": true, "application/gzip": true, "application/x-7z-compressed": true,
	"application/msword": true, "application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"application/rtf": true, "application/json": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/vnd.oasis.opendocument.text":                                   true,
	"application/vnd.oasis.opendocument.spreadsheet":                            true,
	"application/vnd.oasis.opendocument.presentation":                           true,
}

// SafeContentType is the first of upstream's Content-Type and the declared media type that is
// on the allow-list (re-serialised, charset kept for text), else application/octet-stream.
func SafeContentType(upstream, declared string) string {
	for _, v := range []string{upstream, declared} {
		mt, params, err := mime.ParseMediaType(v)
		if err != nil || !safeTypes[mt] {
			continue
		}
		keep := map[string]string{}
		if cs, ok := params["charset"]; ok && strings.HasPrefix(mt, "text/") {
			keep["charset"] = cs
		}
		if s := mime.FormatMediaType(mt, keep); s != "" {
			return s
		}
	}
	return "application/octet-stream"
}
