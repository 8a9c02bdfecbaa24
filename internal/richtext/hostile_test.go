package richtext

import (
	"context"
	"strings"
	"testing"
)

// hostileSize is the size of each hostile input: what one service owner can put in one field.
const hostileSize = 100_000

// hostile is one input built to make a renderer slow: deep nesting, unclosed openers, output
// amplification.
type hostile struct {
	name, mediaType, src string
}

// fillTo repeats unit until the result is about n bytes.
func fillTo(unit string, n int) string { return strings.Repeat(unit, n/len(unit)) }

// hostileInputs are the worst ~100 KB inputs we know of for goldmark, bluemonday and the
// HTML5 tree builder (golang.org/x/net/html). Each shape was quadratic (or amplifying) in at
// least one of them.
func hostileInputs() []hostile {
	n := hostileSize
	md := func(name, src string) hostile { return hostile{"md/" + name, MediaTypeMarkdown, src} }
	ht := func(name, src string) hostile { return hostile{"html/" + name, MediaTypeHTML, src} }

	var indent, backticks, quoteLines, table, rowsOfCells strings.Builder
	for i := 0; indent.Len() < n; i++ {
		indent.WriteString(strings.Repeat(" ", 2*i) + "- x\n")
	}
	for i := 1; backticks.Len() < n; i++ {
		backticks.WriteString(strings.Repeat("`", i) + "a")
	}
	for quoteLines.Len() < n {
		quoteLines.WriteString(strings.Repeat(">", 2000) + " x\n")
	}
	cols := n / 5
	table.WriteString(strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n")
	for table.Len() < n+n/4 {
		table.WriteString("x\n")
	}
	rowsOfCells.WriteString(strings.Repeat("|a", 1000) + "|\n" + strings.Repeat("|-", 1000) + "|\n")
	for rowsOfCells.Len() < n {
		rowsOfCells.WriteString(strings.Repeat("|b", 100) + "|\n")
	}
	return []hostile{
		md("quote-nest", fillTo(">", n)+" x"),
		md("quote-nest-spaced", fillTo("> ", n)+"x"),
		md("quote-lines", quoteLines.String()),
		md("quote-list", fillTo("> - ", n)+"x"),
		md("list-nest", fillTo("- ", n)+"x"),
		md("ordered-nest", fillTo("1. ", n)+"x"),
		md("list-indent", indent.String()),
		md("link-openers", fillTo("[a](", n)),
		md("heading-links", "# "+fillTo("[a](", n)),
		md("link-parens", fillTo("[a](b(", n)),
		md("image-openers", fillTo("![a](", n)),
		md("bracket-openers", fillTo("[", n)+"a"),
		md("bracket-pairs", fillTo("[a]", n)),
		md("bracket-nest", fillTo("[", n/2)+fillTo("]", n/2)),
		md("bracket-content", fillTo("[", 990)+fillTo("`a` ", n-2000)+fillTo("]", 990)),
		md("link-dest-angle", fillTo("[a](<", n)),
		md("link-title-open", fillTo(`[a](b "`, n)),
		md("emphasis-openers", fillTo("*a ", n)),
		md("emphasis-mixed", fillTo("*_", n)+"a"),
		md("emphasis-closers", fillTo("a* ", n)),
		md("emphasis-runs", fillTo("**a_", n)),
		md("underscore-runs", fillTo("_a*", n)),
		md("quoted-emphasis", fillTo("> **a_\n", n)),
		md("list-emphasis", fillTo("- **a_\n", n)),
		md("setext-headings", fillTo("a\n=\n", n)),
		md("backticks", backticks.String()),
		md("table-columns", table.String()),
		md("table-cells", rowsOfCells.String()),
		md("html-in-markdown", fillTo("<div>", n)),
		md("autolink-openers", fillTo("<a", n)),
		md("entities", fillTo("&#", n)),
		md("pipes", fillTo("a|", n)),
		ht("blockquote-nest", fillTo("<blockquote>", n)),
		ht("list-nest", fillTo("<ul><li>", n)),
		ht("em-nest", fillTo("<em>", n)),
		ht("table-nest", fillTo("<table><tr><td>", n)),
		ht("link-nest", fillTo(`<a href="https://x.example/">`, n)),
		ht("formatting-misnest", fillTo("<em><strong></em></strong>", n)),
		ht("p-in-table", fillTo("<table><p>", n)),
		ht("div-nest", fillTo("<div>", n)),
		ht("unclosed-tags", fillTo("<p", n)),
		ht("heading-nest", fillTo("<h1><h2>", n)),
		ht("paragraph-run", fillTo("<p>", n)),
		ht("break-run", fillTo("<br>", n)),
		ht("entity-run", fillTo("&lt;", n)),
		ht("attribute-run", fillTo(`<ol start=1 x=1 y=2 z=3>`, n)),
	}
}

// ordinaryInputs are ~100 KB documents a service owner might really send, dense with markup:
// the other side of the budget (see limits.go).
func ordinaryInputs() []hostile {
	var table, list, code, mixed, htm strings.Builder
	table.WriteString("|" + strings.Repeat(" Kolonne |", 20) + "\n|" + strings.Repeat("---|", 20) + "\n")
	for table.Len() < hostileSize {
		table.WriteString("|" + strings.Repeat(" 12 345 |", 20) + "\n")
	}
	for list.Len() < hostileSize {
		list.WriteString("- Et punkt med **viktig** tekst og en [lenke](https://www.altinn.no/)\n")
	}
	for code.Len() < hostileSize {
		code.WriteString("```\nfunc main() { fmt.Println(\"<hei>\") }\n```\n\n")
	}
	md, h := benchDoc()
	for mixed.Len() < hostileSize {
		mixed.WriteString(md)
	}
	for htm.Len() < hostileSize {
		htm.WriteString(h)
	}
	return []hostile{
		{"md/prose", MediaTypeMarkdown, fillTo("Dette er en helt vanlig setning uten noe spesielt i seg.\n", hostileSize)},
		{"md/table", MediaTypeMarkdown, table.String()},
		{"md/list", MediaTypeMarkdown, list.String()},
		{"md/code", MediaTypeMarkdown, code.String()},
		{"md/dense", MediaTypeMarkdown, mixed.String()},
		{"html/dense", MediaTypeHTML, htm.String()},
		{"html/prose", MediaTypeHTML, fillTo("<p>Dette er en helt vanlig setning uten noe spesielt i seg.</p>\n", hostileSize)},
	}
}

// BenchmarkHostile renders each hostile input through the Renderer (go test -bench Hostile).
// Target: ≤ 50 ms per input, rendered or refused. "cost" is the input's estimated work (see
// budget); "simplified" is 1 where a limit applied.
func BenchmarkHostile(b *testing.B) { benchmarkInputs(b, hostileInputs()) }

// BenchmarkOrdinary renders ordinary documents of the same size; "cost" over the budget means
// the document is shown as plain text (go test -bench Ordinary).
func BenchmarkOrdinary(b *testing.B) { benchmarkInputs(b, ordinaryInputs()) }

func benchmarkInputs(b *testing.B, inputs []hostile) {
	r := New()
	for _, h := range inputs {
		b.Run(h.name, func(b *testing.B) {
			b.SetBytes(int64(len(h.src)))
			var res Result
			for b.Loop() {
				res, _ = r.RenderContext(context.Background(), Embed, h.mediaType, h.src)
			}
			cost := markdownCost(h.src)
			if h.mediaType == MediaTypeHTML {
				cost = htmlCost(h.src)
			}
			simplified := 0.0
			if res.Simplified {
				simplified = 1
			}
			b.ReportMetric(float64(cost), "cost")
			b.ReportMetric(simplified, "simplified")
		})
	}
}

// TestHostileInputsAreHostile keeps the benchmark honest: every input is about the size it
// claims.
func TestHostileInputsAreHostile(t *testing.T) {
	t.Parallel()
	for _, h := range hostileInputs() {
		if len(h.src) < hostileSize*9/10 || len(h.src) > hostileSize*2 {
			t.Errorf("%s: %d bytes, want about %d", h.name, len(h.src), hostileSize)
		}
	}
}
