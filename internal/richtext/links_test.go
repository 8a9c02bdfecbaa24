package richtext

import (
	"context"
	"strings"
	"testing"
)

// TestLinkWithUserPartIsText: "https://www.altinn.no@example.org/" goes to example.org; such a
// link is shown as its text, not followed.
func TestLinkWithUserPartIsText(t *testing.T) {
	t.Parallel()
	r := New()
	for _, tt := range []struct{ mediaType, src, text string }{
		{MediaTypeHTML, `<a href="https://www.altinn.no@example.org/">Altinn</a>`, "Altinn"},
		{MediaTypeHTML, `<a href="https://user:pw@example.org/x">x</a>`, "x"},
		{MediaTypeHTML, `<a href="http://www.altinn.no:443@example.org/">Altinn</a>`, "Altinn"},
		{MediaTypeMarkdown, `[Altinn](https://www.altinn.no@example.org/)`, "Altinn"},
		{MediaTypeMarkdown, `<https://www.altinn.no@example.org/>`, "https://www.altinn.no@example.org/"},
	} {
		doc := parse(t, string(r.Render(tt.mediaType, tt.src)))
		if n := doc.Find("a").Length(); n != 0 {
			t.Errorf("%s: %d links, want none", tt.src, n)
		}
		if got := strings.TrimSpace(doc.Find("#root").Text()); got != tt.text {
			t.Errorf("%s: text %q, want %q", tt.src, got, tt.text)
		}
	}
	// Addresses with an @ elsewhere stay links.
	for _, src := range []string{`[mail](mailto:post@example.no)`, `[x](https://example.org/@user)`, `[x](https://example.org/?a=b@c)`} {
		if n := parse(t, string(r.Markdown(src))).Find("a").Length(); n != 1 {
			t.Errorf("%s: %d links, want 1", src, n)
		}
	}
}

// TestHTTPLinksAreMarked: a plain-http link carries a visible "(http)" and a class to style
// it; https and mailto links do not.
func TestHTTPLinksAreMarked(t *testing.T) {
	t.Parallel()
	r := New()
	for src, marked := range map[string]bool{
		`[Les mer](http://example.no/)`:     true,
		`[Les mer](HTTP://example.no/)`:     true,
		`<http://example.no/>`:              true,
		`[Les mer](https://example.no/)`:    false,
		`[mail](mailto:post@example.no)`:    false,
		`<a href="http://example.no/">x`:    true,
		`<a href=" http://example.no/">x`:   true,
		`<a href="https://example.no/">x`:   false,
		`<a href="http://example.no/"></a>`: true,
	} {
		a := parse(t, string(r.Render(MediaTypeMarkdown, src))).Find("a")
		if strings.HasPrefix(src, "<a") {
			a = parse(t, string(r.HTML(src))).Find("a")
		}
		if a.Length() != 1 {
			t.Errorf("%s: %d links", src, a.Length())
			continue
		}
		class, _ := a.Attr("class")
		if got := class == httpLinkClass && strings.HasSuffix(a.Text(), httpMarker); got != marked {
			t.Errorf("%s: marked %v (class %q, text %q), want %v", src, got, class, a.Text(), marked)
		}
	}
}

// TestImageAltTextKept: a markdown image is not loaded, but its alt text is shown.
func TestImageAltTextKept(t *testing.T) {
	t.Parallel()
	r := New()
	for src, want := range map[string]string{
		`![Kart over eiendommen](https://tracker.example/pixel.gif)`:     "Kart over eiendommen",
		`Se ![kartet *her*](https://x.example/k.png "tittel") nedenfor.`: "Se kartet her nedenfor.",
		`[![Logo](https://x.example/l.png)](https://www.altinn.no/)`:     "Logo",
		`![](https://tracker.example/pixel.gif)`:                         "",
		`![a <script>alert(1)</script>](https://x.example/i.png)`:        "a alert(1)",
		`![x](javascript:alert(1))`:                                      "x",
	} {
		out := string(r.Markdown(src))
		doc := parse(t, out)
		if got := strings.TrimSpace(doc.Find("#root").Text()); got != want {
			t.Errorf("%s: text %q, want %q", src, got, want)
		}
		if doc.Find("img").Length() != 0 || strings.Contains(out, "tracker") {
			t.Errorf("%s: image kept: %s", src, out)
		}
	}
	if got := parse(t, string(r.Markdown(`[![Logo](https://x.example/l.png)](https://www.altinn.no/)`))).Find("a").Text(); got != "Logo" {
		t.Errorf("linked image: link text %q, want Logo", got)
	}
}

// TestLayoutNumbersBounded: numbers that size the layout stay within sane bounds.
func TestLayoutNumbersBounded(t *testing.T) {
	t.Parallel()
	r := New()
	for _, tt := range []struct {
		src, sel, attr, want string
	}{
		{`<ol start="3"><li>x</li></ol>`, "ol", "start", "3"},
		{`<ol start="2026"><li>x</li></ol>`, "ol", "start", "2026"},
		{`<ol start="999999"><li>x</li></ol>`, "ol", "start", ""},
		{`<ol start="-5"><li>x</li></ol>`, "ol", "start", ""},
		{"123456789. x", "ol", "start", ""},
		{"12. x", "ol", "start", "12"},
		{`<table><tr><td colspan="3">x</td></tr></table>`, "td", "colspan", "3"},
		{`<table><tr><td colspan="99">x</td></tr></table>`, "td", "colspan", "99"},
		{`<table><tr><td colspan="1000">x</td></tr></table>`, "td", "colspan", ""},
		{`<table><tr><td colspan="0">x</td></tr></table>`, "td", "colspan", ""},
		{`<table><tr><th rowspan="65534">x</th></tr></table>`, "th", "rowspan", ""},
		{`<table><tr><th rowspan="2">x</th></tr></table>`, "th", "rowspan", "2"},
	} {
		mt := MediaTypeHTML
		if !strings.HasPrefix(tt.src, "<") {
			mt = MediaTypeMarkdown
		}
		el := parse(t, string(r.Render(mt, tt.src))).Find(tt.sel)
		if el.Length() != 1 {
			t.Errorf("%s: %d %s", tt.src, el.Length(), tt.sel)
			continue
		}
		if got, _ := el.Attr(tt.attr); got != tt.want {
			t.Errorf("%s: %s=%q, want %q", tt.src, tt.attr, got, tt.want)
		}
	}
}

// TestBidiControlsRemoved: the renderer drops bidirectional embedding, override and isolate
// controls from text and attributes on every surface, also when written as entities.
func TestBidiControlsRemoved(t *testing.T) {
	t.Parallel()
	r := New()
	controls := []string{"\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}
	srcs := []string{
		"Faktura\u202Efdp.exe",
		"Faktura&#x202E;fdp.exe",
		"Faktura&#8238;fdp.exe",
		`<a href="https://x.example/&#x202E;">Faktura&#x2067;fdp.exe</a>`,
		"[Faktura\u202Efdp.exe](https://x.example/\u202E)",
		strings.Join(controls, "x"),
	}
	for _, field := range []Field{Summary, AdditionalInfo, Embed} {
		for _, mt := range []string{MediaTypePlain, MediaTypeMarkdown, MediaTypeHTML} {
			for _, src := range srcs {
				res, _ := r.RenderContext(context.Background(), field, mt, src)
				if strings.ContainsFunc(string(res.HTML), isBidiControl) {
					t.Errorf("%s %s %q: a bidi control survived in %q", field, mt, src, res.HTML)
				}
				// The renderer's output never carries them as entities either: they were
				// decoded and dropped.
				if strings.Contains(string(res.HTML), "&#x202") || strings.Contains(string(res.HTML), "&#823") {
					t.Errorf("%s %s %q: entity kept in %q", field, mt, src, res.HTML)
				}
			}
		}
	}
}

// TestText: Text strips the bidi controls and nothing else.
func TestText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                              "",
		"Skatteetaten":                  "Skatteetaten",
		"Faktura\u202Efdp.exe":          "Fakturafdp.exe",
		"\u2066a\u2069 \u202Ab\u202C":   "a b",
		"עברית \u200F mark kept":        "עברית \u200F mark kept",
		"<b>not html</b> & \u200B zwsp": "<b>not html</b> & \u200B zwsp",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}
