package richtext

import (
	"context"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// unbalanced are fragments the allow-list alone would pass on unclosed, or with end tags of
// the page's elements.
var unbalanced = []string{
	`<table>`,
	`<table><tr><td>cell`,
	`<a href="https://x.example/">link`,
	`<a href="https://x.example/"><table><tr><td>x`,
	`<table><a href="https://x.example/">x`,
	`<ul><li>item`,
	`<ol><li><blockquote><pre>x`,
	`<em><strong><code>x`,
	`<h2>heading`,
	`<p><table>`,
	`</p></div></section></article></main><table>`,
	`</td></tr></table></div></div>`,
	`<table><tbody><tr><td>x</td>`,
	`<div><form action="https://evil.example/"><table>`,
	"[link](https://x.example/",
	"| a |\n|---|\n| b",
	"```\ncode",
	"> - quoted list",
	"<a href=\"https://x.example/\">raw html in markdown",
}

// assertContained writes out into a page, between elements of the page's own, parses the page
// as a browser does, and fails when a page element ends up inside the service owner's box or
// inside one of its links, or when out does not close what it opens.
func assertContained(t *testing.T, what, out string) {
	t.Helper()
	page := `<!DOCTYPE html><html><body><main><div id="box">` + out +
		`</div><p id="after"><a id="ctl" href="/x">x</a></p><form id="form"><button id="btn">b</button></form></main></body></html>`
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find("#box").Parent().Is("main") == false {
		t.Errorf("%s: the box moved out of its place in %q", what, out)
	}
	for _, id := range []string{"after", "ctl", "form", "btn"} {
		el := doc.Find("#" + id)
		switch {
		case el.Length() != 1:
			t.Errorf("%s: #%s found %d times in %q", what, id, el.Length(), out)
		case el.ParentsFiltered("#box").Length() > 0:
			t.Errorf("%s: #%s ends up inside the service owner's box: %q", what, id, out)
		case el.ParentsFiltered("a").Length() > 0:
			t.Errorf("%s: #%s ends up inside a link: %q", what, id, out)
		}
	}
	assertBalancedTokens(t, what, out)
}

// assertBalancedTokens fails unless every start tag in out is closed by its own end tag, in
// order, with nothing left open: balanced by construction, not by the browser's repairs.
func assertBalancedTokens(t *testing.T, what, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	var open []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if len(open) > 0 {
				t.Errorf("%s: %v left open in %q", what, open, out)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if a := atom.Lookup(name); a != atom.Br && a != atom.Hr {
				open = append(open, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(open) == 0 || open[len(open)-1] != string(name) {
				t.Errorf("%s: </%s> does not close the innermost open element (%v) in %q", what, name, open, out)
				return
			}
			open = open[:len(open)-1]
		}
	}
}

// TestOutputIsBalanced: on every surface and media type, unbalanced input comes out closed, and
// the page's own elements stay outside it.
func TestOutputIsBalanced(t *testing.T) {
	t.Parallel()
	r := New()
	surfaces := []struct {
		field     Field
		mediaType string
	}{
		{Embed, MediaTypeHTML}, {Embed, MediaTypeMarkdown}, {Embed, MediaTypePlain},
		{AdditionalInfo, MediaTypeMarkdown}, {AdditionalInfo, MediaTypeHTML},
		{Summary, MediaTypePlain}, {Summary, MediaTypeHTML},
	}
	for _, s := range surfaces {
		for _, src := range append(unbalanced, attacks...) {
			res, err := r.RenderContext(context.Background(), s.field, s.mediaType, src)
			if err != nil {
				t.Fatal(err)
			}
			assertContained(t, s.field.String()+" "+s.mediaType+" "+src, string(res.HTML))
		}
	}
	// The legacy entry points balance too.
	for _, src := range unbalanced {
		assertContained(t, "HTML "+src, string(r.HTML(src)))
		assertContained(t, "Markdown "+src, string(r.Markdown(src)))
		assertContained(t, "Plain "+src, string(r.Plain(src)))
	}
}

// TestBalancedKeepsStructure: balancing closes what is open and changes nothing else.
func TestBalancedKeepsStructure(t *testing.T) {
	t.Parallel()
	r := New()
	for src, want := range map[string]string{
		`<table><tr><td>x`:                  `<table><tbody><tr><td>x</td></tr></tbody></table>`,
		`<a href="https://x.example/">link`: `<a href="https://x.example/" rel="nofollow noreferrer noopener" target="_blank">link</a>`,
		`<ul><li>a<li>b`:                    `<ul><li>a</li><li>b</li></ul>`,
		`<p>a<p>b`:                          `<p>a</p><p>b</p>`,
		// A formatting end tag misnested around a block is dropped (flatten): the block
		// stays whole, the emphasis runs to its end.
		`<em>a<p>b</em>c`:                      `<em>a<p>bc</p></em>`,
		`<p><em>a<p>b`:                         `<p><em>a</em></p><p>b</p>`,
		`text</h1><p>after</p>`:                `text<p>after</p>`,
		`<h1>a</h1><h3>b</h3>`:                 `<h2>a</h2><h4>b</h4>`,
		"<pre>\n  code\n</pre>":                "<pre>  code\n</pre>",
		`<p>a &lt;b&gt; &amp; &#34;q&#34;</p>`: `<p>a &lt;b&gt; &amp; &#34;q&#34;</p>`,
	} {
		if got := string(r.HTML(src)); got != want {
			t.Errorf("HTML(%q) = %q, want %q", src, got, want)
		}
	}
}
