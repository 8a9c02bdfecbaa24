package richtext

import (
	"context"
	"html/template"
	"strings"
)

// budget is the most work one render may take, in the units of markdownCost and htmlCost:
// about 15 ns each on the machine the weights were fitted on (one core of a 16-core Xeon; see
// BenchmarkHostile), so the budget is about 40 ms. A document over budget is shown as plain
// text (markdown) or as its text only (HTML), with Result.Simplified set. Ordinary documents
// stay well below it: 100 KB of prose costs 0.2 M, 100 KB of lists with emphasis and links
// 1.3 M, a 20-column table of 550 rows 2 M; 100 KB of dense markdown (a heading, a list and a
// table every 150 bytes) is over.
const budget = 2_500_000

// markdownCost estimates the work of rendering markdown src in one linear pass: a share per
// byte, block and marker (a character that starts inline markup or becomes an entity; see
// mdWork), and the shapes on which goldmark's work grows with the square of the input:
//   - a link destination ("](") is scanned to the end of its line when it does not close;
//   - an emphasis delimiter run (of * or _) that closes nothing is matched against every
//     delimiter before it in its paragraph;
//   - a closing bracket looks through everything after its opening bracket.
//
// Paragraphs are approximated by the runs of lines between blank lines and list items, never
// shorter than goldmark's paragraphs, so the estimate errs on the high side. The weights were
// fitted to BenchmarkHostile and to ordinary documents of the same size.
func markdownCost(src string) int64 {
	c := countMarkdown(src)
	return 2*c.bytes + 600*c.blocks + 40*c.markers + 30*c.angles + 130*c.pipes + c.quadratic/4
}

// mdWork is what markdownCost counts: bytes; lines that start a block (a heading, list item,
// quote, table row, fence or the first line of a paragraph; further lines of a paragraph cost
// little more than their bytes); markers; "<" (each may open raw HTML or an autolink, which
// goldmark tries to parse); pipes (each may be a table cell, the dearest thing to render);
// and the quadratic shapes, in steps.
type mdWork struct{ bytes, blocks, markers, angles, pipes, quadratic int64 }

func countMarkdown(src string) mdWork {
	var w mdWork
	var delims, closers, markers int64 // in the current paragraph
	endParagraph := func() {
		w.quadratic += delims*delims/2 + closers*markers
		delims, closers, markers = 0, 0, 0
	}
	afterBlank := true
	for line := range strings.Lines(src) {
		blank := isBlank(line)
		if blank || startsListItem(line) {
			endParagraph()
		}
		w.bytes += int64(len(line))
		if !blank && (afterBlank || startsBlock(line)) {
			w.blocks++
		}
		afterBlank = blank
		w.quadratic += int64(strings.Count(line, "](")) * int64(len(line)) / 2
		var n int64 // markers on this line
		for i := 0; i < len(line); i++ {
			switch c := line[i]; c {
			case '*', '_':
				delims++
				n++
				for i+1 < len(line) && line[i+1] == c {
					i++
				}
			case ']':
				closers++
				n++
			case '[', '!', '`', '>', '&', '\\':
				n++
			case '<':
				n++
				w.angles++
			case '|':
				w.pipes++
			}
		}
		markers += n
		w.markers += n
	}
	endParagraph()
	return w
}

// isBlank reports whether line has nothing but white space.
func isBlank(line string) bool { return strings.TrimLeft(line, " \t\r\n") == "" }

// startsBlock reports whether line may start a block of its own: its first character after
// the indentation is a block marker.
func startsBlock(line string) bool {
	rest := strings.TrimLeft(line, " \t")
	return rest != "" && (strings.IndexByte("#>-+*|=`~", rest[0]) >= 0 || rest[0] >= '0' && rest[0] <= '9')
}

// startsListItem reports whether line starts a bullet list item with content ("- x"), which
// always ends the paragraph before it.
func startsListItem(line string) bool {
	rest := strings.TrimLeft(line, " ")
	if len(line)-len(rest) > 3 || len(rest) < 3 {
		return false
	}
	return strings.IndexByte("-+*", rest[0]) >= 0 && (rest[1] == ' ' || rest[1] == '\t') && !isBlank(rest[2:])
}

// htmlCost estimates the work of sanitising, flattening and parsing src: a share per byte,
// per tag and per attribute. The parser's work per tag is bounded by flatten's depth limit.
func htmlCost(src string) int64 {
	w := countHTML(src)
	return 2*w.bytes + 50*w.tags + 150*w.attrs
}

// htmlWork is what htmlCost counts: bytes, tags (or what might be one: "<") and attributes
// (or what might be one: "=").
type htmlWork struct{ bytes, tags, attrs int64 }

func countHTML(src string) htmlWork {
	return htmlWork{int64(len(src)), int64(strings.Count(src, "<")), int64(strings.Count(src, "="))}
}

// html sanitises legacy HTML and balances it; beyond the budget it shows only the text.
func (r *Renderer) html(ctx context.Context, src string) (Result, error) {
	if htmlCost(src) > budget {
		return Result{HTML: r.textOnly(src), Simplified: true}, nil
	}
	return r.renderHTML(ctx, src)
}

func (r *Renderer) renderHTML(ctx context.Context, src string) (Result, error) {
	out, flattened, err := r.sanitise(ctx, []byte(src))
	if err != nil {
		return Result{}, err
	}
	return Result{HTML: out, Simplified: flattened}, nil
}

// textOnly is the text of HTML src, escaped, in one paragraph.
func (r *Renderer) textOnly(src string) template.HTML {
	t := strings.TrimSpace(Text(r.strict.Sanitize(src)))
	if t == "" {
		return ""
	}
	return template.HTML("<p>" + t + "</p>")
}
