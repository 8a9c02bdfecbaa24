package web

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// minCompress is the smallest body worth compressing.
const minCompress = 1024

// The encoders are reused: a new brotli writer allocates its window and hash tables (hundreds
// of KB) and a gzip writer its state, which under load cost more CPU than the compression.
var (
	brPool = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, 5) }}
	gzPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression); return w }}
)

// Compress encodes a rendered page or fragment with brotli or gzip when the browser accepts it
// and the body is large enough, sets Content-Encoding and Vary, and returns the bytes to write.
// It is safe against BREACH because nothing secret is reflected in a page beside text an attacker
// could choose: the CSRF token is masked afresh in every response (MaskToken), and session ids
// and tokens are never in a page.
func Compress(h http.Header, r *http.Request, body []byte) []byte {
	h.Add("Vary", "Accept-Encoding")
	if len(body) < minCompress {
		return body
	}
	var buf bytes.Buffer
	switch accepts(r.Header.Get("Accept-Encoding")) {
	case "br":
		w := brPool.Get().(*brotli.Writer)
		defer brPool.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(body); err != nil || w.Close() != nil {
			return body
		}
		h.Set("Content-Encoding", "br")
	case "gzip":
		w := gzPool.Get().(*gzip.Writer)
		defer gzPool.Put(w)
		w.Reset(&buf)
		if _, err := w.Write(body); err != nil || w.Close() != nil {
			return body
		}
		h.Set("Content-Encoding", "gzip")
	default:
		return body
	}
	return buf.Bytes()
}

// accepts picks br, else gzip, from an Accept-Encoding header ("" for neither); q=0 refuses one.
func accepts(header string) string {
	br, gz := false, false
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if q := strings.ReplaceAll(params, " ", ""); q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "br":
			br = true
		case "gzip":
			gz = true
		}
	}
	switch {
	case br:
		return "br"
	case gz:
		return "gzip"
	}
	return ""
}
