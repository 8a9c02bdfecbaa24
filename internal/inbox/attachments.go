package inbox

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// Attachment is an attachment being downloaded: the caller streams Body and closes it.
type Attachment struct {
	Body io.ReadCloser
	// ContentType is safe to serve on the portal's origin (outbound.SafeContentType).
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
		ContentType: outbound.SafeContentType(dl.ContentType, au.MediaType),
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

// WriteTo passes io.Copy on to the download's own WriteTo (outbound), which streams in
// larger writes than a copy loop over Read.
func (b *releasingBody) WriteTo(w io.Writer) (int64, error) {
	return io.Copy(w, b.ReadCloser)
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
