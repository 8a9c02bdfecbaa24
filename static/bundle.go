package static

import (
	"bytes"
	"sync"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/js"
)

// A page loads one stylesheet and one script (issue 10: a cold inbox asked for seven files, each
// paying about 800 bytes of response headers and, on a phone, a round trip of its own). Each
// bundle is its parts in the order the page used to load them, so the cascade and the scripts'
// order are as before; the parts are still served under their own names.
const (
	StyleBundle  = "bundle.css"
	ScriptBundle = "bundle.js"
)

// bundles are the parts of each bundle, in order: Designsystemet's theme, its components and
// ours; htmx, its two extensions and ours.
var bundles = []struct {
	name  string
	parts []string
}{
	{StyleBundle, []string{theme, designsystemet, "app.css"}},
	{ScriptBundle, []string{"vendor/htmx.min.js", "vendor/htmx-ext-sse.min.js", "vendor/htmx-ext-preload.min.js", "app.js"}},
}

// minifier shrinks our own stylesheet and script, whose comments explain them to their reader
// (tdewolff/minify: app.js 28 → 12 KB). The vendored files are served as they were pinned
// (Designsystemet's subsets aside), already minified.
var minifier = sync.OnceValue(func() *minify.M {
	m := minify.New()
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("text/javascript", js.Minify)
	return m
})

// minified returns body minified as mediatype, or body itself should the minifier refuse it (a
// syntax it does not know must not take the asset down; the tests minify every asset).
func minified(mediatype string, body []byte) []byte {
	out, err := minifier().Bytes(mediatype, body)
	if err != nil {
		return body
	}
	return out
}

// bundle joins parts into one file: scripts each end their statement (";"), stylesheets lose
// their @charset, which is only allowed first (the response's Content-Type says UTF-8).
func bundle(script bool, parts [][]byte) []byte {
	var b bytes.Buffer
	for _, p := range parts {
		if !script {
			p = bytes.TrimPrefix(p, []byte(`@charset "UTF-8";`))
		}
		b.Write(p)
		if script {
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}
