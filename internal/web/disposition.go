package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AttachmentDisposition builds an "attachment" disposition with filename and filename* (RFC 6266, 5987):
// an ASCII fallback and the exact UTF-8 name, with path separators, quotes and control
// characters removed so the header cannot be broken out of.
func AttachmentDisposition(name string) string {
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

// Download is a response that becomes the download of a file with its first byte: until then
// nothing is sent, so a download that fails at once still gets the error page. Window is how
// long the whole body may take to write (0: the server's WriteTimeout).
type Download struct {
	W          http.ResponseWriter
	Type, Name string
	Window     time.Duration
	started    bool
}

func (d *Download) Write(p []byte) (int, error) {
	if !d.started {
		d.started = true
		hdr := d.W.Header()
		hdr.Set("Content-Type", d.Type)
		hdr.Set("Content-Disposition", AttachmentDisposition(d.Name))
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Cache-Control", "no-store")
		if d.Window > 0 {
			err := http.NewResponseController(d.W).SetWriteDeadline(time.Now().Add(d.Window))
			if err != nil && !errors.Is(err, http.ErrNotSupported) {
				return 0, err
			}
		}
		d.W.WriteHeader(http.StatusOK)
	}
	return d.W.Write(p)
}
