package export

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"mime"
	"strconv"
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/richtext"
)

// The limits of one ZIP, unless ZipConfig says otherwise.
const (
	DefaultMaxDialogs = 100
	DefaultMaxBytes   = 2 << 30 // the files' bytes, before compression
)

// DialogSource is what the ZIP needs of the dialog service (*inbox.Dialogs): the same fresh load
// with its ownership check, and the same download through the outbound fence, as one attachment
// on the dialog page has.
type DialogSource interface {
	Load(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) (*dpclient.Dialog, error)
	Download(ctx context.Context, u *inbox.User, d *dpclient.Dialog, attID, urlID string) (*inbox.Attachment, error)
}

// ZipConfig bounds a ZIP.
type ZipConfig struct {
	MaxDialogs int   // dialogs in one ZIP (DefaultMaxDialogs when 0)
	MaxBytes   int64 // the files' bytes in one ZIP (DefaultMaxBytes when 0)
}

// Attachments writes many dialogs' attachments as one ZIP.
type Attachments struct {
	dialogs DialogSource
	search  Searcher
	limit   *inbox.Limiter
	cfg     ZipConfig
}

// NewAttachments returns the ZIP export. A ZIP takes one of the user's slots of expensive work
// from limit (nil: no limit) besides the slot each download takes.
func NewAttachments(dialogs DialogSource, search Searcher, limit *inbox.Limiter, cfg ZipConfig) *Attachments {
	cfg.MaxDialogs = cmp.Or(cfg.MaxDialogs, DefaultMaxDialogs)
	cfg.MaxBytes = cmp.Or(cfg.MaxBytes, DefaultMaxBytes)
	return &Attachments{dialogs: dialogs, search: search, limit: limit, cfg: cfg}
}

// MaxDialogs is the most dialogs one ZIP holds.
func (a *Attachments) MaxDialogs() int { return a.cfg.MaxDialogs }

// ErrTooMany: more dialogs were asked for than one ZIP holds.
var ErrTooMany = errors.New("export: too many dialogs for one ZIP")

// SearchIDs is the ids of the first MaxDialogs dialogs of a search, in its order; cut is true
// when more matched.
func (a *Attachments) SearchIDs(ctx context.Context, u *inbox.User, scope []string, p dpclient.SearchParams) (ids []string, cut bool, err error) {
	p.Limit = pageLimit(len(scope), a.cfg.MaxDialogs)
	err = a.search.Each(ctx, u, scope, p, func(d dpclient.SearchDialog) bool {
		if len(ids) == a.cfg.MaxDialogs {
			cut = true
			return false
		}
		ids = append(ids, d.ID)
		return true
	})
	return ids, cut, err
}

// ZipRequest is the dialogs to put in one ZIP.
type ZipRequest struct {
	User    *inbox.User
	Parties *inbox.PartyIndex // the user's parties: the ownership check and the folder names
	IDs     []string
	// Header names the manifest's columns (ManifestColumns), in the user's language.
	Header []string
	// Cut, when set, is the manifest's last line: the dialogs are the first of a search that
	// matched more than a ZIP holds.
	Cut string
}

// ManifestColumns are manifest.csv's columns, in order. Its status column is "ok" or why the
// file was skipped: SkipUnauthorized, SkipExpired, SkipRefused, SkipFailed, SkipNotFound,
// SkipLimit, SkipNoFile.
var ManifestColumns = []string{"path", "party", "dialog", "title", "attachment", "size", "sha256", "status"}

// Why a dialog or file is not in the ZIP (manifest.csv's status column).
const (
	StatusOK         = "ok"
	SkipUnauthorized = "unauthorized" // not authorized, or the dialog needs a higher security level
	SkipExpired      = "expired"      // the attachment has expired
	SkipRefused      = "refused"      // the outbound fence refused its URL
	SkipFailed       = "failed"       // the service owner failed, or the file broke off
	SkipNotFound     = "not found"    // the dialog is gone or not the user's
	SkipLimit        = "limit"        // the ZIP reached its size limit
	SkipNoFile       = "no file"      // the attachment has no URL for people (API only)
)

// ZipSummary is what a ZIP holds.
type ZipSummary struct {
	Dialogs, Files, Skipped int
	Bytes                   int64 // the files' bytes, before compression
}

// ZIP streams the attachments of req.IDs (in order) to w as a ZIP: a folder per party and per
// dialog, each file named from the attachment (sanitised and made unique), and manifest.csv
// last, with a row for every file written or skipped and every dialog that could not be
// loaded. Each dialog is loaded fresh with the ownership check and each file downloaded as the
// dialog page's download is, one at a time: memory stays constant however large the files.
// Nothing is written before the first dialog is loaded, so a ZIP that fails at once (busy,
// session ended) can still be answered with an error page.
func (a *Attachments) ZIP(ctx context.Context, w io.Writer, req ZipRequest) (ZipSummary, error) {
	var sum ZipSummary
	if len(req.IDs) > a.cfg.MaxDialogs {
		return sum, ErrTooMany
	}
	release, err := a.limit.Acquire(req.User.Key)
	if err != nil {
		return sum, err
	}
	defer release()

	var manifest bytes.Buffer
	mt, err := newTable(&manifest)
	if err != nil {
		return sum, err
	}
	if err := mt.write(req.Header...); err != nil {
		return sum, err
	}
	z := &zipper{names: newNames(), buf: make([]byte, 64<<10), hash: sha256.New()}
	defer func() {
		if z.w != nil {
			z.w.Close()
		}
	}()
	for _, id := range req.IDs {
		d, err := a.dialogs.Load(ctx, req.User, req.Parties, id)
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		if err != nil {
			if z.w == nil && fatal(err) {
				return sum, err // nothing written yet: the caller answers with an error page
			}
			sum.Skipped++
			mt.write("", "", id, "", "", "", "", skipReason(err))
			continue
		}
		if z.w == nil {
			z.w = zip.NewWriter(w)
		}
		sum.Dialogs++
		if err := a.dialog(ctx, z, mt, &sum, req, d); err != nil {
			return sum, err
		}
	}
	if z.w == nil {
		z.w = zip.NewWriter(w)
	}
	if req.Cut != "" {
		mt.write(req.Cut)
	}
	if err := mt.flush(); err != nil {
		return sum, err
	}
	fw, err := z.w.CreateHeader(&zip.FileHeader{Name: "manifest.csv", Method: zip.Deflate})
	if err != nil {
		return sum, err
	}
	if _, err := manifest.WriteTo(fw); err != nil {
		return sum, err
	}
	err = z.w.Close()
	z.w = nil
	return sum, err
}

// zipper is one ZIP being written.
type zipper struct {
	w     *zip.Writer
	names *names
	buf   []byte
	hash  hash.Hash
}

// dialog writes the attachments of one loaded dialog (its own and its transmissions').
func (a *Attachments) dialog(ctx context.Context, z *zipper, mt *table, sum *ZipSummary, req ZipRequest, d *dpclient.Dialog) error {
	lang := req.User.Lang
	partyName := ""
	if p, ok := req.Parties.ByURN(d.Party); ok {
		partyName = p.Name
		if p.OrgNo != "" {
			partyName += " " + p.OrgNo // a person's folder never carries their identity number
		}
	}
	title := richtext.Text(d.Content.Title.Best(lang))
	dir := z.names.dir(d.Party, partyName, d.ID, title)
	atts := d.Attachments
	for _, t := range d.Transmissions {
		atts = append(atts[:len(atts):len(atts)], t.Attachments...)
	}
	for _, att := range atts {
		name := richtext.Text(cmp.Or(strings.TrimSpace(att.Name), strings.TrimSpace(att.DisplayName.Best(lang)), "vedlegg"))
		row := []string{"", partyName, d.ID, title, name, "", "", ""}
		skip := func(reason string) {
			sum.Skipped++
			row[7] = reason
			mt.write(row...)
		}
		urlID, ok := guiURL(att)
		if !ok {
			skip(SkipNoFile)
			continue
		}
		if sum.Bytes >= a.cfg.MaxBytes {
			skip(SkipLimit)
			continue
		}
		file, err := a.dialogs.Download(ctx, req.User, d, att.ID, urlID)
		if err := ctx.Err(); err != nil {
			return err
		}
		if err != nil {
			skip(skipReason(err))
			continue
		}
		if file.Length > 0 && sum.Bytes+file.Length > a.cfg.MaxBytes {
			file.Body.Close()
			skip(SkipLimit)
			continue
		}
		path := z.names.file(dir, name)
		row[0] = path
		n, sha, err := z.add(path, file, a.cfg.MaxBytes-sum.Bytes)
		file.Body.Close()
		sum.Bytes += n
		row[5] = strconv.FormatInt(n, 10)
		if err != nil {
			if werr := (*writeError)(nil); errors.As(err, &werr) {
				return werr.err // the browser is gone: nothing more to write to
			}
			// The entry holds what came before the break; the manifest says it is not whole.
			if errors.Is(err, errOverLimit) {
				skip(SkipLimit)
			} else {
				skip(SkipFailed)
			}
			continue
		}
		sum.Files++
		row[6], row[7] = sha, StatusOK
		mt.write(row...)
	}
	return nil
}

// errOverLimit: a file of unknown length ran past what was left of the ZIP's size limit.
var errOverLimit = errors.New("export: the ZIP's size limit was reached")

// writeError is a failed write to the ZIP's reader (the response), as opposed to a failed read.
type writeError struct{ err error }

func (e *writeError) Error() string { return e.err.Error() }

// add writes one file, hashing it on the way; n is the bytes written.
func (z *zipper) add(path string, f *inbox.Attachment, room int64) (n int64, sum string, err error) {
	method := zip.Deflate
	if compressed(f.ContentType, path) {
		method = zip.Store // deflating a JPEG or a DOCX again costs time and gains nothing
	}
	fh := &zip.FileHeader{Name: path, Method: method}
	fw, err := z.w.CreateHeader(fh)
	if err != nil {
		return 0, "", &writeError{err}
	}
	z.hash.Reset()
	for {
		k, rerr := f.Body.Read(z.buf)
		if k > 0 {
			if n+int64(k) > room {
				return n, "", errOverLimit
			}
			if _, err := fw.Write(z.buf[:k]); err != nil {
				return n, "", &writeError{err}
			}
			z.hash.Write(z.buf[:k])
			n += int64(k)
		}
		if rerr == io.EOF {
			return n, hex.EncodeToString(z.hash.Sum(nil)), nil
		}
		if rerr != nil {
			return n, "", rerr
		}
	}
}

// guiURL is the id of an attachment's first URL for people (ConsumerType Gui).
func guiURL(a dpclient.Attachment) (string, bool) {
	for _, u := range a.URLs {
		if u.ConsumerType == dpclient.AttachmentURLConsumerGUI {
			return u.ID, true
		}
	}
	return "", false
}

// fatal reports an error that ends the whole ZIP rather than one dialog: the session ended,
// the user is busy, or Dialogporten is down or throttling.
func fatal(err error) bool {
	return errors.Is(err, inbox.ErrBusy) || errors.Is(err, dpclient.ErrUnauthorized) ||
		errors.Is(err, dpclient.ErrRateLimited) || errors.Is(err, dpclient.ErrUnavailable)
}

// skipReason is manifest.csv's status for a dialog or file that could not be added.
func skipReason(err error) string {
	switch {
	case errors.Is(err, inbox.ErrNotFound), errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone):
		return SkipNotFound // another person's dialog too (Load's one answer for both)
	case errors.Is(err, inbox.ErrNotAuthorized), errors.Is(err, dpclient.ErrForbidden):
		// Forbidden here is a dialog that asks for a higher security level than the login's.
		return SkipUnauthorized
	case errors.Is(err, inbox.ErrExpired):
		return SkipExpired
	case errors.Is(err, outbound.ErrURLRefused), errors.Is(err, outbound.ErrAddressRefused), errors.Is(err, outbound.ErrRedirectRefused):
		return SkipRefused
	}
	return SkipFailed
}

// compressed reports a file already compressed (archives, images, office documents), by its
// media type or extension.
func compressed(contentType, name string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case strings.HasPrefix(mt, "image/") && mt != "image/bmp" && mt != "image/tiff",
		strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "audio/"),
		strings.Contains(mt, "zip"), strings.Contains(mt, "compressed"), mt == "application/gzip",
		strings.Contains(mt, "openxmlformats"), strings.Contains(mt, "opendocument"):
		return true
	}
	ext := strings.ToLower(name[strings.LastIndexByte(name, '.')+1:])
	switch ext {
	case "zip", "gz", "7z", "rar", "jpg", "jpeg", "png", "gif", "webp", "docx", "xlsx", "pptx", "odt", "ods", "odp", "mp4", "mp3":
		return true
	}
	return false
}
