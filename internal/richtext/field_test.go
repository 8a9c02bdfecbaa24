package richtext

import (
	"context"
	"strings"
	"testing"
)

// TestFieldMediaTypes: each field renders only the media types the Dialogporten specification
// allows there; anything else is shown as plain text, markup and all.
func TestFieldMediaTypes(t *testing.T) {
	t.Parallel()
	r := New()
	const md, htm = "**bold** [link](https://x.example/)", `<strong>bold</strong> <a href="https://x.example/">link</a>`
	tests := []struct {
		field           Field
		mediaType, src  string
		wantRenderedAs  string
		wantStrong, tag bool // <strong> in the output; markup shown as text
	}{
		{Summary, "text/plain", htm, MediaTypePlain, false, true},
		{Summary, "text/html", htm, MediaTypePlain, false, true},
		{Summary, "text/markdown", md, MediaTypePlain, false, false},
		{Summary, "", htm, MediaTypePlain, false, true},
		{AdditionalInfo, "text/plain", md, MediaTypePlain, false, false},
		{AdditionalInfo, "Text/Markdown; charset=utf-8", md, MediaTypeMarkdown, true, false},
		{AdditionalInfo, "text/html", htm, MediaTypePlain, false, true},
		{AdditionalInfo, "application/xhtml+xml", htm, MediaTypePlain, false, true},
		{Embed, "text/html", htm, MediaTypeHTML, true, false},
		{Embed, "text/markdown", md, MediaTypeMarkdown, true, false},
		{Embed, "application/octet-stream", htm, MediaTypePlain, false, true},
	}
	for _, tt := range tests {
		if got := tt.field.MediaType(tt.mediaType); got != tt.wantRenderedAs {
			t.Errorf("%s.MediaType(%q) = %q, want %q", tt.field, tt.mediaType, got, tt.wantRenderedAs)
		}
		res, err := r.RenderContext(context.Background(), tt.field, tt.mediaType, tt.src)
		if err != nil {
			t.Fatal(err)
		}
		out := string(res.HTML)
		if got := strings.Contains(out, "<strong>"); got != tt.wantStrong {
			t.Errorf("%s %q: <strong> rendered %v, want %v: %s", tt.field, tt.mediaType, got, tt.wantStrong, out)
		}
		if got := strings.Contains(out, "&lt;strong&gt;"); got != tt.tag {
			t.Errorf("%s %q: markup shown as text %v, want %v: %s", tt.field, tt.mediaType, got, tt.tag, out)
		}
		if tt.wantRenderedAs == MediaTypePlain && strings.Contains(out, "<a ") {
			t.Errorf("%s %q: a link in plain text: %s", tt.field, tt.mediaType, out)
		}
	}
	if Field(42).MediaType("text/html") != MediaTypePlain || Field(42).String() != "unknown field" {
		t.Errorf("an unknown field allows more than plain text")
	}
}
