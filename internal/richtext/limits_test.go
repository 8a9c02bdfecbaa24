package richtext

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// maxDepth is how deeply the parsed output nests elements.
func maxDepth(t *testing.T, out string) int {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(out), fragmentContext)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node, d int) int
	walk = func(n *html.Node, d int) int {
		m := d
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				m = max(m, walk(c, d+1))
			}
		}
		return m
	}
	deepest := 0
	for _, n := range nodes {
		if n.Type == html.ElementNode {
			deepest = max(deepest, walk(n, 1))
		}
	}
	return deepest
}

// deepOutput bounds the depth of any output: what flatten allows, with the parser's implied
// tbody/tr per table level and reopened formatting elements.
const deepOutput = 2*maxHTMLDepth + 16

// TestDeepNestingIsFlattened: nesting beyond the limits is flattened (and says so) instead of
// making the parsers' work grow with the square of the depth.
func TestDeepNestingIsFlattened(t *testing.T) {
	t.Parallel()
	r := New()
	const n = 3000
	tests := []struct{ name, mediaType, src string }{
		{"md quotes", MediaTypeMarkdown, strings.Repeat(">", n) + " x"},
		{"md quotes spaced", MediaTypeMarkdown, strings.Repeat("> ", n) + "x"},
		{"md quoted lists", MediaTypeMarkdown, strings.Repeat("> - ", n) + "x"},
		{"md lists", MediaTypeMarkdown, strings.Repeat("- ", n) + "x"},
		{"md ordered lists", MediaTypeMarkdown, strings.Repeat("1. ", n) + "x"},
		{"md emphasis", MediaTypeMarkdown, strings.Repeat("*a ", n) + strings.Repeat(" a*", n)},
		{"html blockquotes", MediaTypeHTML, strings.Repeat("<blockquote>", n)},
		{"html lists", MediaTypeHTML, strings.Repeat("<ul><li>", n)},
		{"html emphasis", MediaTypeHTML, strings.Repeat("<em>", n) + "x"},
		{"html tables", MediaTypeHTML, strings.Repeat("<table><tr><td>", n)},
		{"html formatting around blocks", MediaTypeHTML, strings.Repeat("<em><blockquote>x</em>", n)},
		{"html cells outside tables", MediaTypeHTML, strings.Repeat("<td><ul><li>", n)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := r.RenderContext(context.Background(), Embed, tt.mediaType, tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if d := maxDepth(t, string(res.HTML)); d > deepOutput {
				t.Errorf("output nests %d elements deep, want at most %d", d, deepOutput)
			}
			if !res.Simplified && tt.name != "md emphasis" && tt.name != "html formatting around blocks" {
				t.Errorf("Simplified = false, want true")
			}
		})
	}
	// Markdown nested as deeply as the limit allows keeps all of it.
	res, _ := r.RenderContext(context.Background(), Embed, MediaTypeMarkdown, strings.Repeat("> ", maxContainerDepth)+"x")
	if got := strings.Count(string(res.HTML), "<blockquote>"); got != maxContainerDepth || res.Simplified {
		t.Errorf("%d quotes at the limit: %d rendered, simplified %v", maxContainerDepth, got, res.Simplified)
	}
}

// TestQuadraticShapesAreRefused: inputs on which goldmark's work grows with the square of
// their length are shown as plain text, with Simplified set.
func TestQuadraticShapesAreRefused(t *testing.T) {
	t.Parallel()
	r := New()
	const n = 30_000
	for name, src := range map[string]string{
		"link openers":     fillTo("[a](", n),
		"heading links":    "# " + fillTo("[a](", n),
		"image openers":    fillTo("![a](", n),
		"angle dests":      fillTo("[a](<", n),
		"emphasis runs":    fillTo("**a_", n),
		"underscore runs":  fillTo("_a*", n),
		"quoted emphasis":  fillTo("> **a_\n", n),
		"nested brackets":  fillTo("[", n/2) + fillTo("]", n/2),
		"bracket contents": fillTo("[", 900) + fillTo("`a` ", n) + fillTo("]", 900),
	} {
		res, err := r.RenderContext(context.Background(), Embed, MediaTypeMarkdown, src)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Simplified || res.HTML != plain(src) {
			t.Errorf("%s: simplified %v, plain text %v; want it refused as plain text", name, res.Simplified, res.HTML == plain(src))
		}
	}
	// Ordinary documents are rendered, up to 100 KB of lists with emphasis and links; 100 KB of
	// one heading after another is not.
	md, _ := benchDoc()
	for _, src := range []string{
		strings.Repeat(md, 8),
		fillTo("Dette er en helt vanlig setning uten noe spesielt i seg. ", hostileSize),
		fillTo("- Et punkt med **viktig** tekst og en [lenke](https://www.altinn.no/)\n", hostileSize),
	} {
		if res, _ := r.RenderContext(context.Background(), Embed, MediaTypeMarkdown, src); res.Simplified {
			t.Errorf("an ordinary document of %d bytes was simplified", len(src))
		}
	}
	if res, _ := r.RenderContext(context.Background(), Embed, MediaTypeMarkdown, fillTo("a\n=\n", hostileSize)); !res.Simplified {
		t.Errorf("100 KB of headings: not simplified")
	}
}

// TestWideTablesAreNotBuilt: goldmark pads every row to the header's width; a table wider
// than maxTableColumns, or beyond maxTableCells, stays a paragraph.
func TestWideTablesAreNotBuilt(t *testing.T) {
	t.Parallel()
	r := New()
	table := func(cols, rows int) string {
		return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("x\n", rows)
	}
	half := func(cols, rows int) string { // rows fill half the columns
		return strings.Repeat("|a", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat(strings.Repeat("|b", cols/2)+"|\n", rows)
	}
	for _, tt := range []struct {
		name      string
		src       string
		wantTable bool
	}{
		{"ordinary", table(8, 100), true},
		{"at the column limit", table(maxTableColumns-1, 10), true},
		{"too wide", table(500, 10), false},
		{"too many cells", table(50, maxTableCells/50+1), false},
		{"too many cells in all", strings.Repeat(half(50, 90)+"\n", maxTableCells/(50*92)+1), true},
	} {
		res, _ := r.RenderContext(context.Background(), Embed, MediaTypeMarkdown, tt.src)
		cells := strings.Count(string(res.HTML), "<td") + strings.Count(string(res.HTML), "<th")
		if got := strings.Contains(string(res.HTML), "<table>"); got != tt.wantTable || cells > maxTableCells+maxTableColumns {
			t.Errorf("%s: table %v with %d cells, want table %v", tt.name, got, cells, tt.wantTable)
		}
		if res.Simplified == (tt.name == "ordinary" || tt.name == "at the column limit") {
			t.Errorf("%s: Simplified = %v", tt.name, res.Simplified)
		}
	}
}

// TestMaxInputTruncates: input over the maximum is cut, and the result says so.
func TestMaxInputTruncates(t *testing.T) {
	t.Parallel()
	r := New(WithMaxInput(10))
	for _, mt := range []string{MediaTypePlain, MediaTypeMarkdown, MediaTypeHTML} {
		res, _ := r.RenderContext(context.Background(), Embed, mt, strings.Repeat("å", 20))
		if got := string(res.HTML); !strings.Contains(got, strings.Repeat("å", 5)) || strings.Contains(got, strings.Repeat("å", 6)) || !res.Truncated || !res.Limited() {
			t.Errorf("%s: %q truncated %v, want 5 å truncated", mt, got, res.Truncated)
		}
	}
	if res, _ := r.RenderContext(context.Background(), Embed, MediaTypePlain, "short"); res.Limited() {
		t.Errorf("short input: Limited() = true")
	}
}

// countdownCtx is a context that ends after its Err has been asked n times: it finds every
// place a render checks its context.
type countdownCtx struct {
	context.Context
	n atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestRenderStopsWhenContextEnds: a render whose context ends stops at its next stage and
// returns the context's error, never a partial result.
func TestRenderStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	r := New()
	md, h := benchDoc()
	for _, tt := range []struct{ mediaType, src string }{
		{MediaTypeMarkdown, strings.Repeat(md, 3)},
		{MediaTypeHTML, strings.Repeat(h, 3)},
	} {
		stopped := 0
		for n := int64(0); ; n++ {
			ctx := &countdownCtx{Context: context.Background()}
			ctx.n.Store(n)
			res, err := r.RenderContext(ctx, Embed, tt.mediaType, tt.src)
			if err == nil {
				if res.HTML == "" {
					t.Fatalf("%s: empty result without an error", tt.mediaType)
				}
				break
			}
			if !errors.Is(err, context.Canceled) || res.HTML != "" {
				t.Fatalf("%s after %d checks: %v with %d bytes, want context.Canceled and nothing", tt.mediaType, n, err, len(res.HTML))
			}
			stopped++
		}
		// Checked before waiting, before and after each stage, and every few KiB of parsing.
		if stopped < 10 {
			t.Errorf("%s: the render checks its context only %d times", tt.mediaType, stopped)
		}
	}
}

// TestConcurrencyIsBounded: with every slot taken, a render waits, and gives up when its
// context ends; plain text needs no slot.
func TestConcurrencyIsBounded(t *testing.T) {
	t.Parallel()
	r := New(WithConcurrency(1))
	derived := r.HeadingOffset(2) // shares the bound
	r.sem <- struct{}{}
	for _, rr := range []*Renderer{r, derived} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, err := rr.RenderContext(ctx, Embed, MediaTypeMarkdown, "*x*")
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("with no slot free: err = %v, want DeadlineExceeded", err)
		}
	}
	if res, err := r.RenderContext(context.Background(), Summary, MediaTypePlain, "x"); err != nil || res.HTML != "<p>x</p>" {
		t.Errorf("plain text with no slot free: %q, %v", res.HTML, err)
	}
	<-r.sem
	res, err := derived.RenderContext(context.Background(), Embed, MediaTypeMarkdown, "# x")
	if err != nil || strings.TrimSpace(string(res.HTML)) != "<h3>x</h3>" {
		t.Errorf("after the slot is free: %q, %v; want <h3>x</h3>", res.HTML, err)
	}
	if _, err := r.RenderContext(canceled(), Summary, MediaTypePlain, "x"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v, want Canceled", err)
	}
}

func canceled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
