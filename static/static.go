// Package static embeds the portal's assets (vendored htmx and Designsystemet, our own CSS, JS and
// icons) and serves them under content-hashed names with a one-year immutable cache, so a deploy
// never mixes old and new files and a returning browser asks for nothing it already has.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// Prefix is the URL path under which Handler serves the assets.
const Prefix = "/static/"

//go:embed files
var files embed.FS

// asset is one embedded file with its precompressed variants.
type asset struct {
	hashed      string // "vendor/htmx.min.3f2a1b9c0d.js"
	contentType string
	body        []byte
	text        bool                         // worth compressing
	subresource bool                         // a stylesheet or a script: only ever loaded into a page
	encoded     func() (gzip, brotli []byte) // computed on first request, then kept
}

// set is the immutable index of all assets, built once from the embedded files.
type set struct {
	byName   map[string]*asset
	byHashed map[string]*asset
}

// assets is computed once, on first use, from the read-only embedded files: it is derived data,
// not configuration, so it stays a package-level value (the same for every caller).
var assets = sync.OnceValue(func() *set { return build(files) })

// Path returns the URL of the named asset (relative to files/, e.g. "app.css" or
// "vendor/htmx.min.js") with its content hash in the name. An unknown name gives an unhashed URL
// that answers 404, so a typo shows up as a broken asset rather than a crash.
func Path(name string) string {
	if a, ok := assets().byName[name]; ok {
		return Prefix + a.hashed
	}
	return Prefix + name
}

// Handler serves the assets at Prefix + hashed name. Stale or unknown hashes answer 404 (never an
// old file under a new name); text assets go out brotli- or gzip-compressed when the client
// accepts it.
func Handler() http.Handler {
	s := assets()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
			return
		}
		a, ok := s.byHashed[strings.TrimPrefix(r.URL.Path, Prefix)]
		if !ok {
			w.Header().Set("Cache-Control", "no-store")
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		switch {
		case a.subresource:
			for _, k := range documentOnly {
				h.Del(k)
			}
		case a.contentType == "image/svg+xml":
			// Opened on its own an SVG is a document: it gets a policy of its own that lets it
			// load and run nothing, sandboxed and never framed, which makes the page's
			// permissions and opener policy moot (and is 330 bytes shorter than the page's).
			h.Set("Content-Security-Policy", svgCSP)
			h.Del("Permissions-Policy")
			h.Del("Cross-Origin-Opener-Policy")
		}
		h.Set("Content-Type", a.contentType)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		body := a.body
		if a.text {
			h.Add("Vary", "Accept-Encoding")
			gz, br := a.encoded()
			switch enc := r.Header.Get("Accept-Encoding"); {
			case accepts(enc, "br"):
				h.Set("Content-Encoding", "br")
				body = br
			case accepts(enc, "gzip"):
				h.Set("Content-Encoding", "gzip")
				body = gz
			}
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	})
}

// documentOnly are the security headers (set on every response by internal/web) that govern a
// document and nothing loaded into it: a stylesheet or a script runs under the CSP, framing rule,
// permissions and opener policy of the page that loads it, never its own. A cold inbox loads two
// such files, and these headers were about 420 bytes of each response (issue 10: bytes of the
// first load). nosniff, the resource and referrer policies and HSTS stay: they do govern a
// subresource.
var documentOnly = []string{"Content-Security-Policy", "X-Frame-Options", "Permissions-Policy", "Cross-Origin-Opener-Policy"}

// svgCSP is the policy of an SVG asset: nothing loads, nothing runs, no one frames it. Our SVGs
// draw with attributes only.
const svgCSP = "default-src 'none'; frame-ancestors 'none'; sandbox"

// accepts reports whether an Accept-Encoding header lists coding with a non-zero quality.
func accepts(header, coding string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), coding) {
			continue
		}
		q := strings.ReplaceAll(params, " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
}

// build indexes every embedded file, hashes it and precompresses text.
func build(fsys fs.FS) *set {
	s := &set{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	root, err := fs.Sub(fsys, "files")
	if err != nil {
		panic(err) // the embed directive guarantees "files" exists
	}
	// The Designsystemet subset first: the theme's subset keeps what it reads.
	ds := subsetDesignsystemet(mustRead(root, designsystemet), dsComponents, designsystemetReaders(root)...)
	_ = fs.WalkDir(root, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, name)
		if err != nil {
			return err
		}
		switch name {
		case designsystemet:
			body = ds
		case theme:
			body = minified("text/css", subsetTheme(body, append(ownStylesheets(root), ds)...))
		case "app.css":
			body = minified("text/css", body)
		case "app.js":
			body = minified("text/javascript", body)
		}
		s.add(name, body)
		return nil
	})
	for _, b := range bundles {
		parts := make([][]byte, len(b.parts))
		for i, p := range b.parts {
			parts[i] = s.byName[p].body
		}
		s.add(b.name, bundle(path.Ext(b.name) == ".js", parts))
	}
	return s
}

// add indexes body as the asset name, under its content-hashed name.
func (s *set) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	a := &asset{
		hashed:      strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext,
		contentType: contentType(ext),
		body:        body,
	}
	a.text = compressible(a.contentType)
	a.subresource = strings.HasPrefix(a.contentType, "text/css") || strings.HasPrefix(a.contentType, "text/javascript")
	a.encoded = sync.OnceValues(func() ([]byte, []byte) { return compress(body) })
	s.byName[name] = a
	s.byHashed[a.hashed] = a
}

func contentType(ext string) string {
	switch ext {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || ct == "image/svg+xml" || ct == "application/json"
}

// compress returns gzip and brotli encodings of body at their best levels: it runs once per
// asset per process, on the first request for it.
func compress(body []byte) (gz, br []byte) {
	var g bytes.Buffer
	gw, _ := gzip.NewWriterLevel(&g, gzip.BestCompression)
	_, _ = gw.Write(body)
	_ = gw.Close()
	var b bytes.Buffer
	bw := brotli.NewWriterLevel(&b, brotli.BestCompression)
	_, _ = bw.Write(body)
	_ = bw.Close()
	return g.Bytes(), b.Bytes()
}
