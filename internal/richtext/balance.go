package richtext

import (
	"bytes"
	"context"
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxHTMLDepth is how deeply the sanitised HTML may nest elements (as the HTML parser would
// count them, see flatten); deeper start tags are dropped. The HTML5 tree builder looks
// through the stack of open elements for most tags, so its work grows with depth × tags.
// Markdown within maxContainerDepth stays well under it.
const maxHTMLDepth = 40

// httpMarker is appended to the text of every plain-http link, which also gets the class
// httpLinkClass: the reader sees that the link is not encrypted before following it.
const (
	httpMarker    = " (http)"
	httpLinkClass = "richtext-http"
)

// fragmentContext is where service-owner HTML sits in the page: inside a <div>.
var fragmentContext = &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}

// sanitise puts markup (from goldmark or a service owner) through the policy and returns it
// balanced: parsed as a fragment in a <div>, the way the browser will parse it in the page,
// and rendered again, so it closes everything it opens. simplified says elements nested
// beyond maxHTMLDepth were flattened.
func (r *Renderer) sanitise(ctx context.Context, markup []byte) (out template.HTML, simplified bool, err error) {
	var clean bytes.Buffer
	clean.Grow(len(markup))
	if err := r.policy.SanitizeReaderToWriter(ctxReader{ctx, bytes.NewReader(markup)}, &clean); err != nil {
		if ctx.Err() != nil {
			return "", false, ctx.Err()
		}
		// The tokenizer fails only on its reader, which is a bytes.Reader: show nothing
		// rather than half of it.
		return "", false, nil
	}
	flat, simplified := flatten(clean.Bytes(), maxHTMLDepth)
	nodes, err := html.ParseFragment(ctxReader{ctx, bytes.NewReader(flat)}, fragmentContext)
	if err := ctx.Err(); err != nil {
		return "", false, err
	}
	if err != nil {
		return "", false, nil // as above: the reader is a bytes.Reader
	}
	var b bytes.Buffer
	b.Grow(len(flat) + len(flat)/8)
	for _, n := range nodes {
		r.tidy(n)
		if err := html.Render(&b, n); err != nil {
			// Only a tree that a parse cannot produce (a void element with children) fails.
			return "", false, nil
		}
	}
	return template.HTML(b.String()), simplified, nil
}

// tidy adjusts the parsed tree under n: headings demoted, bidirectional controls removed
// from text and attributes, plain-http links marked.
func (r *Renderer) tidy(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		n.Data = Text(n.Data)
		return
	case html.ElementNode:
	default:
		return
	}
	for i := range n.Attr {
		n.Attr[i].Val = Text(n.Attr[i].Val)
	}
	if level := headingLevel(n.DataAtom); level > 0 && r.demote > 0 {
		n.DataAtom = headings[min(level+r.demote, 6)-1]
		n.Data = n.DataAtom.String()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		r.tidy(c)
	}
	if n.DataAtom == atom.A && isHTTP(attr(n, "href")) {
		n.Attr = append(n.Attr, html.Attribute{Key: "class", Val: httpLinkClass})
		n.AppendChild(&html.Node{Type: html.TextNode, Data: httpMarker})
	}
}

var headings = [6]atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}

// headingLevel is 1–6 for h1–h6, else 0.
func headingLevel(a atom.Atom) int {
	for i, h := range headings {
		if a == h {
			return i + 1
		}
	}
	return 0
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// isHTTP reports whether href is a plain-http URL (the policy allows no relative ones).
func isHTTP(href string) bool {
	href = strings.TrimSpace(href)
	return len(href) >= 5 && strings.EqualFold(href[:5], "http:")
}
