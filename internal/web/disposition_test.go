package web

import (
	"mime"
	"strings"
	"testing"
)

func TestContentDisposition(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"rapport.pdf", "rapport.pdf"},
		{"vedtak æøå.pdf", "vedtak æøå.pdf"},
		{"../../etc/passwd", "_.._etc_passwd"},
		{`a"; filename="evil.exe`, "a_; filename=_evil.exe"},
		{"a\r\nSet-Cookie: x=1", "a__Set-Cookie: x=1"},
		{"...", "vedlegg"},
		{"", "vedlegg"},
		{"C:\\Windows\\x.bat", "C:_Windows_x.bat"},
		{"\u202egnp.exe", "_gnp.exe"},
		{strings.Repeat("å", 300), strings.Repeat("å", 150)},
	}
	for _, tt := range tests {
		h := AttachmentDisposition(tt.in)
		if strings.ContainsAny(h, "\r\n") {
			t.Errorf("%q: header %q has a line break", tt.in, h)
		}
		disp, params, err := mime.ParseMediaType(h)
		if err != nil || disp != "attachment" {
			t.Errorf("%q: %q does not parse: %v", tt.in, h, err)
			continue
		}
		if params["filename"] != tt.want {
			t.Errorf("%q: filename = %q, want %q", tt.in, params["filename"], tt.want)
		}
	}
}

// FuzzContentDisposition: whatever the file name, the header is one line, parses, and names a
// file without directories.
func FuzzContentDisposition(f *testing.F) {
	for _, s := range []string{"a.pdf", "æøå.pdf", "../x", "a\r\nb", `a"b`, "\u202e", "%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		h := AttachmentDisposition(name)
		if strings.ContainsAny(h, "\r\n\x00") {
			t.Fatalf("%q: line break in %q", name, h)
		}
		disp, params, err := mime.ParseMediaType(h)
		if err != nil || disp != "attachment" {
			t.Fatalf("%q: %q does not parse: %v", name, h, err)
		}
		if fn := params["filename"]; fn == "" || strings.ContainsAny(fn, `/\`) {
			t.Fatalf("%q: filename %q", name, fn)
		}
	})
}
