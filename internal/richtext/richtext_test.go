package richtext

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func parse(t *testing.T, h string) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader("<div id=root>" + h + "</div>"))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	r := New()
	tests := []struct {
		name, src, sel, wantText string
	}{
		{"paragraph", "Hello *world*", "p em", "world"},
		{"strong", "**bold**", "p strong", "bold"},
		{"list", "- one\n- two", "ul li:nth-child(2)", "two"},
		{"ordered", "1. a\n2. b", "ol li:first-child", "a"},
		{"code", "`x := 1`", "p code", "x := 1"},
		{"fenced", "```go\nfmt.Println()\n```", "pre code", "fmt.Println()\n"},
		{"quote", "> cited", "blockquote p", "cited"},
		{"rule", "a\n\n---\n\nb", "hr", ""},
		{"h1 demoted", "# Title", "h2", "Title"},
		{"h6 capped", "###### Deep", "h6", "Deep"},
		{"table header", "| a | b |\n|---|--:|\n| 1 | 2 |", "table thead tr th:first-child", "a"},
		{"table cell", "| a | b |\n|---|--:|\n| 1 | 2 |", "table tbody tr td:nth-child(2)", "2"},
		{"link", "[Altinn](https://www.altinn.no/)", "a[href='https://www.altinn.no/']", "Altinn"},
		{"mailto", "[mail](mailto:post@example.no)", "a[href='mailto:post@example.no']", "mail"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := parse(t, string(r.Markdown(tt.src)))
			sel := doc.Find(tt.sel)
			if sel.Length() != 1 {
				h, _ := doc.Html()
				t.Fatalf("%q matched %d elements, want 1 in %s", tt.sel, sel.Length(), h)
			}
			if got := sel.Text(); got != tt.wantText {
				t.Errorf("text = %q, want %q", got, tt.wantText)
			}
		})
	}
}

func TestMarkdownTableAlignIsAnAttribute(t *testing.T) {
	t.Parallel()
	doc := parse(t, string(New().Markdown("| a | b |\n|:-:|--:|\n| 1 | 2 |")))
	if got, _ := doc.Find("th").Eq(1).Attr("align"); got != "right" {
		t.Errorf("th align = %q, want right", got)
	}
	if n := doc.Find("[style]").Length(); n != 0 {
		t.Errorf("%d elements with a style attribute, want 0", n)
	}
}

func TestLinksGetRelAndTarget(t *testing.T) {
	t.Parallel()
	doc := parse(t, string(New().HTML(`<a href="https://example.no/x" rel="opener" target="_self">x</a>`)))
	a := doc.Find("a")
	rel, _ := a.Attr("rel")
	for _, want := range []string{"noopener", "noreferrer", "nofollow"} {
		if !strings.Contains(rel, want) {
			t.Errorf("rel = %q, want it to contain %q", rel, want)
		}
	}
	if strings.Contains(rel, "opener ") || rel == "opener" {
		t.Errorf("rel = %q keeps the author's value", rel)
	}
	if got, _ := a.Attr("target"); got != "_blank" {
		t.Errorf("target = %q, want _blank", got)
	}
}

func TestHeadingOffset(t *testing.T) {
	t.Parallel()
	tests := []struct {
		offset int
		src    string
		want   string
	}{
		{0, "<h1>a</h1>", "h1"},
		{1, "<h1>a</h1>", "h2"},
		{2, "<h3>a</h3>", "h5"},
		{3, "<h5>a</h5>", "h6"},
	}
	for _, tt := range tests {
		doc := parse(t, string(New(WithHeadingOffset(tt.offset)).HTML(tt.src)))
		if doc.Find(tt.want).Length() != 1 {
			h, _ := doc.Html()
			t.Errorf("offset %d of %s: want one %s in %s", tt.offset, tt.src, tt.want, h)
		}
	}
	// An end tag without its start tag must not become an unbalanced heading.
	doc := parse(t, string(New().HTML("text</h1><p>after</p>")))
	if got := doc.Find("p").Text(); got != "after" {
		t.Errorf("p = %q, want after", got)
	}
}

func TestPlain(t *testing.T) {
	t.Parallel()
	r := New()
	got := string(r.Plain("a <b>&\nnext line\n\nsecond <script>alert(1)</script>"))
	want := "<p>a &lt;b&gt;&amp;<br>next line</p><p>second &lt;script&gt;alert(1)&lt;/script&gt;</p>"
	if got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
	if got := r.Plain("   "); got != "" {
		t.Errorf("Plain(blank) = %q, want empty", got)
	}
}

func TestRenderDispatch(t *testing.T) {
	t.Parallel()
	r := New()
	tests := []struct {
		mediaType, src, sel string
	}{
		{"text/markdown", "*x*", "em"},
		{"Text/Markdown; charset=utf-8", "*x*", "em"},
		{"text/html", "<em>x</em>", "em"},
		{"text/plain", "<em>x</em>", "p"},
		{"", "<em>x</em>", "p"},
		{"application/octet-stream", "<em>x</em>", "p"},
	}
	for _, tt := range tests {
		doc := parse(t, string(r.Render(tt.mediaType, tt.src)))
		if doc.Find(tt.sel).Length() != 1 {
			h, _ := doc.Html()
			t.Errorf("Render(%q, %q) = %s, want one %s", tt.mediaType, tt.src, h, tt.sel)
		}
		if tt.sel == "p" && doc.Find("em").Length() != 0 {
			t.Errorf("Render(%q) kept markup in plain text", tt.mediaType)
		}
	}
}

func TestMaxInput(t *testing.T) {
	t.Parallel()
	r := New(WithMaxInput(10))
	got := string(r.Plain(strings.Repeat("å", 20)))
	if want := "<p>" + strings.Repeat("å", 5) + "</p>"; got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
}
