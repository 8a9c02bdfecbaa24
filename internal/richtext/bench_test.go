package richtext

import (
	"strings"
	"testing"
)

func benchDoc() (md, htm string) {
	var m, h strings.Builder
	for i := range 40 {
		m.WriteString("## Section\n\nSome *emphasis*, **strong** text and a [link](https://www.altinn.no/) in paragraph.\n\n")
		m.WriteString("- item one\n- item two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n")
		h.WriteString("<h2>Section</h2><p>Some <em>emphasis</em>, <strong>strong</strong> text and a <a href=\"https://www.altinn.no/\">link</a>.</p>")
		h.WriteString("<ul><li>item one</li><li onclick=x>item two</li></ul><table><tr><td style=x>1</td></tr></table>")
		_ = i
	}
	return m.String(), h.String()
}

func BenchmarkMarkdown(b *testing.B) {
	r := New()
	md, _ := benchDoc()
	b.SetBytes(int64(len(md)))
	b.ReportAllocs()
	for b.Loop() {
		r.Markdown(md)
	}
}

func BenchmarkHTML(b *testing.B) {
	r := New()
	_, h := benchDoc()
	b.SetBytes(int64(len(h)))
	b.ReportAllocs()
	for b.Loop() {
		r.HTML(h)
	}
}

func BenchmarkPlain(b *testing.B) {
	r := New()
	src := strings.Repeat("A line of plain text <with> & entities.\n", 200)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		r.Plain(src)
	}
}
