package richtext

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFlattenBoundsParserDepth: whatever order the allowed tags come in, the HTML parser's
// tree of the output stays within deepOutput. Random sequences of start and end tags find
// the places where the parser's stack would outgrow the model of it (a block closing
// formatting elements the parser then reopens on top of the next block).
func TestFlattenBoundsParserDepth(t *testing.T) {
	t.Parallel()
	tagSets := [][]string{
		{"p", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h3",
			"table", "thead", "tbody", "tr", "td", "th", `a href="https://x.example/"`},
		{"p", "em", "strong", "code", "em", "strong", "code", "table", "tr", "td", "li", "ul",
			"blockquote", "h2", `a href="https://x.example/"`, `a href="https://y.example/"`},
	}
	r := New()
	for _, tags := range tagSets {
		for seed := range uint64(100) {
			rnd := rand.New(rand.NewPCG(seed, 8))
			var b strings.Builder
			for range 6000 {
				tag := tags[rnd.IntN(len(tags))]
				switch rnd.IntN(5) {
				case 0, 1:
					b.WriteString("</" + strings.Fields(tag)[0] + ">")
				case 2:
					b.WriteString("x")
					fallthrough
				default:
					b.WriteString("<" + tag + ">")
				}
			}
			out := string(r.HTML(b.String()))
			if d := maxDepth(t, out); d > deepOutput {
				t.Fatalf("seed %d: output nests %d deep, want at most %d", seed, d, deepOutput)
			}
			assertContained(t, "random tags", out)
		}
	}
}
