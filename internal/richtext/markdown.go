package richtext

import (
	"bytes"
	"context"
	"errors"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Limits of markdown rendering. Beyond them a block quote or list is not opened (its markers
// stay as text), a table stays a paragraph, or the whole document is shown as plain text;
// Result.Simplified says so.
const (
	// maxContainerDepth is how deeply block quotes and lists may nest. goldmark looks
	// through every open container for every line, and opens one per marker: 100 KB of ">"
	// took seconds.
	maxContainerDepth = 12
	// maxTableColumns and maxTableCells bound GFM tables: goldmark pads every row to the
	// header's width, so a wide header over many one-cell rows made millions of cells.
	maxTableColumns = 64
	maxTableCells   = 20_000
)

// markdown is the goldmark parser and renderer of a Renderer: CommonMark with GFM tables,
// bounded (see the limits above), raw HTML omitted (goldmark's default: no html.WithUnsafe;
// markdown from service owners is markdown, not a way around the policy), images shown as
// their alt text (Innboks loads nothing from service owners into the page).
type markdown struct {
	parser   parser.Parser
	renderer renderer.Renderer
}

func newMarkdown() markdown {
	blocks := parser.DefaultBlockParsers()
	quote, list := parser.NewBlockquoteParser(), parser.NewListParser()
	for i, b := range blocks {
		if b.Value == quote || b.Value == list {
			blocks[i] = util.Prioritized(depthLimited{b.Value.(parser.BlockParser)}, b.Priority)
		}
	}
	return markdown{
		parser: parser.NewParser(
			parser.WithBlockParsers(blocks...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(append(parser.DefaultParagraphTransformers(),
				util.Prioritized(tableLimited{extension.NewTableParagraphTransformer()}, 200))...),
			parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
		),
		renderer: renderer.NewRenderer(renderer.WithNodeRenderers(
			util.Prioritized(html.NewRenderer(), 1000),
			util.Prioritized(extension.NewTableHTMLRenderer(
				// align="…" rather than a style attribute, which the CSP forbids.
				extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)), 500),
			util.Prioritized(imageAsText{}, 100),
		)),
	}
}

// markdown renders CommonMark with GFM tables, then sanitises and balances the result; beyond
// the budget it shows src as plain text.
func (r *Renderer) markdown(ctx context.Context, src string) (Result, error) {
	if markdownCost(src) > budget {
		return Result{HTML: plain(src), Simplified: true}, nil
	}
	return r.renderMarkdown(ctx, src)
}

func (r *Renderer) renderMarkdown(ctx context.Context, src string) (Result, error) {
	source := []byte(src)
	pc := parser.NewContext()
	doc := r.md.parser.Parse(text.NewReader(source), parser.WithContext(pc))
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	var buf bytes.Buffer
	buf.Grow(2 * len(source))
	w := &limitWriter{ctx: ctx, w: &buf, max: 16*len(source) + 64<<10}
	if err := r.md.renderer.Render(w, source, doc); err != nil {
		if errors.Is(err, errTooLong) {
			return Result{HTML: plain(src), Simplified: true}, nil
		}
		return Result{}, ctx.Err() // goldmark fails only when its writer does
	}
	out, flattened, err := r.sanitise(ctx, buf.Bytes())
	if err != nil {
		return Result{}, err
	}
	return Result{HTML: out, Simplified: flattened || pc.Get(simplifiedKey) != nil}, nil
}

// simplifiedKey marks a parse in which a limit applied.
var simplifiedKey = parser.NewContextKey()

// depthLimited is a block quote or list parser that opens no container deeper than
// maxContainerDepth: the marker then stays text of a paragraph.
type depthLimited struct{ parser.BlockParser }

func (d depthLimited) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for n := parent; n != nil; n = n.Parent() {
		if k := n.Kind(); k == ast.KindBlockquote || k == ast.KindList {
			depth++
		}
	}
	if depth >= maxContainerDepth {
		pc.Set(simplifiedKey, true)
		return nil, parser.NoChildren
	}
	return d.BlockParser.Open(parent, reader, pc)
}

// tableLimited makes a table only of a paragraph within maxTableColumns and, with the tables
// before it, maxTableCells.
type tableLimited struct{ parser.ParagraphTransformer }

var tableCellsKey = parser.NewContextKey()

func (t tableLimited) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	source := reader.Source()
	cols, delim := 0, false
	for i := range lines.Len() {
		seg := lines.At(i)
		line := seg.Value(source)
		cols = max(cols, cellCount(line))
		delim = delim || i > 0 && isDelimRow(line)
	}
	if !delim {
		return // no table here
	}
	cells, _ := pc.Get(tableCellsKey).(int)
	cells += cols * lines.Len()
	if cols > maxTableColumns || cells > maxTableCells {
		pc.Set(simplifiedKey, true)
		return
	}
	pc.Set(tableCellsKey, cells)
	t.ParagraphTransformer.Transform(node, reader, pc)
}

// cellCount is how many cells a table row of line would have at most.
func cellCount(line []byte) int {
	line = bytes.TrimSpace(line)
	n := bytes.Count(line, []byte{'|'}) + 1
	if bytes.HasPrefix(line, []byte{'|'}) {
		n--
	}
	if len(line) > 1 && bytes.HasSuffix(line, []byte{'|'}) {
		n--
	}
	return n
}

// isDelimRow reports whether line could be a GFM table's delimiter row ("|---|:-:|").
func isDelimRow(line []byte) bool {
	dash := false
	for _, c := range line {
		switch c {
		case '-':
			dash = true
		case '|', ':', ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return dash
}

// imageAsText renders a markdown image as its alt text: the policy allows no images (they
// would load from the service owner, or track the reader), and the alt text is what the
// author wrote for a reader who cannot see the image.
type imageAsText struct{}

func (imageAsText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, func(util.BufWriter, []byte, ast.Node, bool) (ast.WalkStatus, error) {
		return ast.WalkContinue, nil // the children are the alt text
	})
}
