package richtext

import (
	"bytes"
	"html"
	"html/template"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	xhtml "golang.org/x/net/html"
)

// Media types Render understands. The front-channel embed media types of Dialogporten map to
// these through dpclient.EmbedContentType.
const (
	MediaTypePlain    = "text/plain"
	MediaTypeMarkdown = "text/markdown"
	MediaTypeHTML     = "text/html"
)

// Renderer turns service-owner content into sanitised HTML. It is safe for concurrent use.
type Renderer struct {
	policy  *bluemonday.Policy
	md      goldmark.Markdown
	demote  int
	maxSize int
}

// Option configures a Renderer.
type Option func(*Renderer)

// WithHeadingOffset demotes every heading by n levels (h1 becomes h(1+n), capped at h6).
// The default is 1, so content sits under the page's h1; use 2 inside a section with an h2.
func WithHeadingOffset(n int) Option {
	return func(r *Renderer) {
		if n >= 0 && n <= 5 {
			r.demote = n
		}
	}
}

// WithMaxInput truncates input longer than n bytes before rendering (default 1 MiB), so an
// oversized document cannot make the page expensive to render.
func WithMaxInput(n int) Option {
	return func(r *Renderer) {
		if n > 0 {
			r.maxSize = n
		}
	}
}

// New returns a Renderer with the package's allow-list (Policy).
func New(opts ...Option) *Renderer {
	r := &Renderer{
		policy: Policy(),
		md: goldmark.New(
			goldmark.WithExtensions(extension.NewTable(
				extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))),
			// Raw HTML inside markdown is omitted (goldmark's default: no html.WithUnsafe):
			// markdown from service owners is markdown, not a way around the policy.
		),
		demote:  1,
		maxSize: 1 << 20,
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// Render renders src according to its media type: markdown, HTML, or (for anything else,
// including an empty or unknown media type) plain text. Media type parameters and case are
// ignored ("text/markdown; charset=utf-8" is markdown).
func (r *Renderer) Render(mediaType, src string) template.HTML {
	switch baseType(mediaType) {
	case MediaTypeMarkdown:
		return r.Markdown(src)
	case MediaTypeHTML:
		return r.HTML(src)
	}
	return r.Plain(src)
}

// Markdown renders CommonMark with GFM tables, then sanitises the result with the policy.
func (r *Renderer) Markdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(r.clip(src)), &buf); err != nil {
		// goldmark only fails when the writer fails; a bytes.Buffer does not. Fall back to
		// escaped text rather than showing nothing.
		return r.Plain(src)
	}
	return r.finish(r.policy.SanitizeBytes(buf.Bytes()))
}

// HTML sanitises legacy HTML with the policy.
func (r *Renderer) HTML(src string) template.HTML {
	return r.finish(r.policy.SanitizeBytes([]byte(r.clip(src))))
}

// Plain escapes text. Blank lines separate paragraphs; single line breaks are kept as <br>.
func (r *Renderer) Plain(src string) template.HTML {
	src = strings.TrimSpace(strings.ReplaceAll(r.clip(src), "\r\n", "\n"))
	if src == "" {
		return ""
	}
	var b strings.Builder
	for para := range strings.SplitSeq(src, "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(line))
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}

// clip cuts src to the configured maximum, on a rune boundary.
func (r *Renderer) clip(src string) string {
	if len(src) <= r.maxSize {
		return src
	}
	cut := r.maxSize
	for cut > 0 && !utf8.RuneStart(src[cut]) {
		cut--
	}
	return src[:cut]
}

// finish demotes headings in sanitised HTML. The input is the policy's output (well formed,
// only allowed elements), so copying the raw bytes of every other token is safe.
func (r *Renderer) finish(sanitised []byte) template.HTML {
	if r.demote == 0 || !bytes.Contains(sanitised, []byte("<h")) {
		return template.HTML(sanitised)
	}
	var out bytes.Buffer
	out.Grow(len(sanitised))
	z := xhtml.NewTokenizer(bytes.NewReader(sanitised))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			return template.HTML(out.String())
		}
		if tt == xhtml.StartTagToken || tt == xhtml.EndTagToken {
			name, _ := z.TagName()
			if len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6' {
				level := min(int(name[1]-'0')+r.demote, 6)
				if tt == xhtml.EndTagToken {
					out.WriteString("</")
				} else {
					out.WriteString("<")
				}
				out.WriteString("h")
				out.WriteByte(byte('0' + level))
				out.WriteString(">")
				continue
			}
		}
		out.Write(z.Raw())
	}
}

// baseType lower-cases a media type and drops its parameters.
func baseType(mediaType string) string {
	if i := strings.IndexByte(mediaType, ';'); i >= 0 {
		mediaType = mediaType[:i]
	}
	return strings.ToLower(strings.TrimSpace(mediaType))
}
