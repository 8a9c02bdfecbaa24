package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestVendoredChecksums fails when a vendored file no longer matches vendor.json.
func TestVendoredChecksums(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("vendor.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Assets []struct{ Name, Version, Integrity, File, SHA256 string }
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Assets) < 5 {
		t.Fatalf("vendor.json lists %d assets, want at least 5 (htmx, sse, preload, css, theme)", len(m.Assets))
	}
	for _, a := range m.Assets {
		body, err := files.ReadFile(a.File)
		if err != nil {
			t.Errorf("%s: %v", a.Name, err)
			continue
		}
		sum := sha256.Sum256(body)
		if got := hex.EncodeToString(sum[:]); got != a.SHA256 {
			t.Errorf("%s %s (%s): sha256 %s, want %s", a.Name, a.Version, a.File, got, a.SHA256)
		}
		if a.Version == "" || !strings.HasPrefix(a.Integrity, "sha512-") {
			t.Errorf("%s: version %q integrity %q: want both pinned", a.Name, a.Version, a.Integrity)
		}
	}
}

func TestPathIsHashed(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^/static/vendor/htmx\.min\.[0-9a-f]{10}\.js$`)
	if got := Path("vendor/htmx.min.js"); !re.MatchString(got) {
		t.Errorf("Path(htmx) = %q, want match %s", got, re)
	}
	if got, want := Path("nope.css"), "/static/nope.css"; got != want {
		t.Errorf("Path(unknown) = %q, want %q", got, want)
	}
	for _, name := range []string{"app.css", "app.js", "favicon.svg", "vendor/designsystemet.css", "vendor/designsystemet-theme-altinn.css", "vendor/htmx-ext-sse.min.js", "vendor/htmx-ext-preload.min.js"} {
		if p := Path(name); p == Prefix+name {
			t.Errorf("Path(%q) = %q: asset missing", name, p)
		}
	}
}

func TestHandler(t *testing.T) {
	t.Parallel()
	h := Handler()
	css := Path("app.css")
	raw, _ := files.ReadFile("files/app.css")
	orig := minified("text/css", raw) // served minified
	tests := []struct {
		name, method, path, accept string
		wantStatus                 int
		wantEncoding, wantCache    string
		decode                     func(io.Reader) io.Reader
	}{
		{"plain", "GET", css, "", 200, "", "public, max-age=31536000, immutable", nil},
		{"gzip", "GET", css, "gzip, deflate", 200, "gzip", "public, max-age=31536000, immutable",
			func(r io.Reader) io.Reader { g, _ := gzip.NewReader(r); return g }},
		{"brotli preferred", "GET", css, "gzip, br", 200, "br", "public, max-age=31536000, immutable",
			func(r io.Reader) io.Reader { return brotli.NewReader(r) }},
		{"br refused with q=0", "GET", css, "br;q=0, gzip", 200, "gzip", "public, max-age=31536000, immutable",
			func(r io.Reader) io.Reader { g, _ := gzip.NewReader(r); return g }},
		{"stale hash", "GET", "/static/app.0123456789.css", "", 404, "", "no-store", nil},
		{"unhashed name", "GET", "/static/app.css", "", 404, "", "no-store", nil},
		{"post refused", "POST", css, "", 405, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept-Encoding", tt.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Content-Encoding"); got != tt.wantEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, tt.wantEncoding)
			}
			if got := rec.Header().Get("Cache-Control"); got != tt.wantCache {
				t.Errorf("Cache-Control %q, want %q", got, tt.wantCache)
			}
			if tt.wantStatus != 200 {
				return
			}
			if got := rec.Header().Get("Content-Type"); got != "text/css; charset=utf-8" {
				t.Errorf("Content-Type %q", got)
			}
			var r io.Reader = rec.Body
			if tt.decode != nil {
				r = tt.decode(r)
			}
			body, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(body, orig) {
				t.Errorf("decoded body differs from minified app.css (%d vs %d bytes)", len(body), len(orig))
			}
		})
	}
}

func TestHead(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodHead, Path("favicon.svg"), nil))
	if rec.Code != 200 || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d body %d bytes, want 200 and empty", rec.Code, rec.Body.Len())
	}
}

// TestBundles: the page's one stylesheet and one script hold their parts in the page's old order,
// our own files minified (smaller, the code still in them), the stylesheet without @charset (only
// allowed first), the script's parts each ending their statement.
func TestBundles(t *testing.T) {
	t.Parallel()
	s := assets()
	for _, tt := range []struct {
		bundle string
		parts  []string
		sep    string
	}{
		{StyleBundle, []string{theme, designsystemet, "app.css"}, "\n"},
		{ScriptBundle, []string{"vendor/htmx.min.js", "vendor/htmx-ext-sse.min.js", "vendor/htmx-ext-preload.min.js", "app.js"}, ";\n"},
	} {
		b, ok := s.byName[tt.bundle]
		if !ok {
			t.Fatalf("%s missing", tt.bundle)
		}
		if !regexp.MustCompile(`\.[0-9a-f]{10}\.`).MatchString(Path(tt.bundle)) {
			t.Errorf("Path(%s) = %q: not hashed", tt.bundle, Path(tt.bundle))
		}
		var want []byte
		for _, p := range tt.parts {
			want = append(want, bytes.TrimPrefix(s.byName[p].body, []byte(`@charset "UTF-8";`))...)
			want = append(want, tt.sep...)
		}
		if !bytes.Equal(b.body, want) {
			t.Errorf("%s is not its parts in order (%d vs %d bytes)", tt.bundle, len(b.body), len(want))
		}
	}
	if css := s.byName[StyleBundle].body; bytes.Contains(css, []byte("@charset")) {
		t.Error("bundle.css carries @charset after its first byte")
	}
	for _, name := range []string{"app.css", "app.js"} {
		raw, err := files.ReadFile("files/" + name)
		if err != nil {
			t.Fatal(err)
		}
		served := s.byName[name].body
		if len(served) >= len(raw)*3/4 {
			t.Errorf("%s served %d bytes of %d: not minified", name, len(served), len(raw))
		}
		// Comments go; the code stays (names app.js and app.css rely on).
		for _, keep := range map[string][]string{
			"app.css": {".dialog-list>li", "@media print"},
			"app.js":  {"htmx:", "data-replace-address", "/parties/first"},
		}[name] {
			if !bytes.Contains(served, []byte(keep)) {
				t.Errorf("minified %s lost %q", name, keep)
			}
		}
	}
}
