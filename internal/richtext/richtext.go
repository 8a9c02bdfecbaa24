package richtext

import (
	"context"
	"html"
	"html/template"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// Media types Render understands. The front-channel embed media types of Dialogporten map to
// these through dpclient.EmbedContentType.
const (
	MediaTypePlain    = "text/plain"
	MediaTypeMarkdown = "text/markdown"
	MediaTypeHTML     = "text/html"
)

// Renderer turns service-owner content into sanitised, balanced HTML. It is safe for
// concurrent use; at most a fixed number of markdown and HTML renders run at once (see
// WithConcurrency), shared by every Renderer derived from it with HeadingOffset.
type Renderer struct {
	policy  *bluemonday.Policy
	strict  *bluemonday.Policy // text only: the fallback for HTML beyond the limits
	md      markdown
	demote  int
	maxSize int
	sem     chan struct{}
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

// New returns a Renderer with the package's allow-list (Policy).
func New(opts ...Option) *Renderer {
	r := &Renderer{
		policy:  Policy(),
		strict:  bluemonday.StrictPolicy(),
		md:      newMarkdown(),
		demote:  1,
		maxSize: 256 << 10,
		sem:     make(chan struct{}, runtime.GOMAXPROCS(0)),
	}
	for _, o := range opts {
		o(r)
	}
	return r
}

// HeadingOffset returns a Renderer that demotes headings by n levels (see WithHeadingOffset)
// and shares r's policy, limits and concurrency bound, so one bound covers every place
// content is rendered.
func (r *Renderer) HeadingOffset(n int) *Renderer {
	c := *r
	WithHeadingOffset(n)(&c)
	return &c
}

// Result is service-owner content rendered for the page.
type Result struct {
	// HTML is sanitised and balanced: written inside any block element of the page, it closes
	// everything it opens and nothing of the page ends up inside it.
	HTML template.HTML
	// Truncated reports that the input was longer than the maximum (WithMaxInput): only its
	// beginning is shown.
	Truncated bool
	// Simplified reports that the input went beyond the limits on nesting, table size or
	// amount of markup (see the package documentation): it is shown flattened, or as plain
	// text.
	Simplified bool
}

// Limited reports whether the reader should be told that the content is not shown as its
// sender wrote it (Truncated or Simplified).
func (res Result) Limited() bool { return res.Truncated || res.Simplified }

// RenderContext renders src, written for field f with the given media type, as HTML for the
// page. A media type the field does not allow is shown as plain text (Field.MediaType).
// Content beyond the limits comes back flattened, as plain text or cut short, with
// Result.Simplified or Result.Truncated set so the page can say so. The error is non-nil only
// when ctx ends (while waiting for a render slot or between stages of the render): then
// nothing is rendered and the error is ctx.Err().
func (r *Renderer) RenderContext(ctx context.Context, f Field, mediaType, src string) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	src, truncated := r.clip(src)
	var res Result
	var err error
	switch f.MediaType(mediaType) {
	case MediaTypeMarkdown:
		res, err = r.guarded(ctx, src, r.markdown)
	case MediaTypeHTML:
		res, err = r.guarded(ctx, src, r.html)
	default:
		res = Result{HTML: plain(src)}
	}
	if err != nil {
		return Result{}, err
	}
	res.Truncated = truncated
	return res, nil
}

// Render renders src according to its media type, as a front-channel embed (Embed: markdown,
// HTML, or plain text for anything else, including an empty or unknown media type), without
// a context and without telling whether limits applied. Media type parameters and case are
// ignored ("text/markdown; charset=utf-8" is markdown). Prefer RenderContext on request paths.
func (r *Renderer) Render(mediaType, src string) template.HTML {
	res, _ := r.RenderContext(context.Background(), Embed, mediaType, src)
	return res.HTML
}

// Markdown renders CommonMark with GFM tables, then sanitises and balances the result.
func (r *Renderer) Markdown(src string) template.HTML { return r.Render(MediaTypeMarkdown, src) }

// HTML sanitises legacy HTML with the policy and balances the result.
func (r *Renderer) HTML(src string) template.HTML { return r.Render(MediaTypeHTML, src) }

// Plain escapes text. Blank lines separate paragraphs; single line breaks are kept as <br>.
func (r *Renderer) Plain(src string) template.HTML {
	src, _ = r.clip(src)
	return plain(src)
}

// guarded runs one markdown or HTML render in a concurrency slot.
func (r *Renderer) guarded(ctx context.Context, src string, render func(context.Context, string) (Result, error)) (Result, error) {
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	defer func() { <-r.sem }()
	return render(ctx, src)
}

// plain escapes text into paragraphs, without bidirectional overrides (see Text).
func plain(src string) template.HTML {
	src = strings.TrimSpace(strings.ReplaceAll(Text(src), "\r\n", "\n"))
	if src == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(src) + len(src)/8)
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

// clip cuts src to the configured maximum, on a rune boundary, and says whether it did.
func (r *Renderer) clip(src string) (string, bool) {
	if len(src) <= r.maxSize {
		return src, false
	}
	cut := r.maxSize
	for cut > 0 && !utf8.RuneStart(src[cut]) {
		cut--
	}
	return src[:cut], true
}

// baseType lower-cases a media type and drops its parameters.
func baseType(mediaType string) string {
	if i := strings.IndexByte(mediaType, ';'); i >= 0 {
		mediaType = mediaType[:i]
	}
	return strings.ToLower(strings.TrimSpace(mediaType))
}
