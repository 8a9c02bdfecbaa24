package e2e

import (
	"net/http"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// firstLoadBudget is issue 10's goal for a cold first inbox load: at most 40,000 bytes over the
// wire, headers included, as a browser's Resource Timing counts them (transferSize).
const firstLoadBudget = 40_000

// TestRouterFirstLoadBytes holds a cold first load of the default scenario's inbox (the page,
// its stylesheet, its script and its icon, each fetched as a browser asks: brotli accepted) to
// firstLoadBudget, so a heavier page, header or bundle fails here rather than only in the next
// measure-page table. Bytes are deterministic; no time is measured.
func TestRouterFirstLoadBytes(t *testing.T) {
	t.Parallel()
	_, c, inbox := loggedIn(t)
	page := c.Get(inbox)
	if page.Resp.StatusCode != http.StatusOK {
		t.Fatalf("inbox: status %d", page.Resp.StatusCode)
	}
	if n := page.Doc.Find(`[data-testid="dialog-row"]`).Length(); n < 20 {
		t.Fatalf("the inbox lists %d rows, want a full first page to weigh", n)
	}
	urls := []string{inbox}
	for _, sel := range []string{`link[rel="stylesheet"]`, `script[src]`, `link[rel="icon"]`} {
		page.Doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
			ref, _ := s.Attr("href")
			if src, ok := s.Attr("src"); ok {
				ref = src
			}
			u, err := page.Resp.Request.URL.Parse(ref)
			if err != nil {
				t.Fatalf("%s %q: %v", sel, ref, err)
			}
			urls = append(urls, u.String())
		})
	}
	if len(urls) != 4 {
		t.Fatalf("the first load fetches %d resources (%q), want 4: page, one stylesheet, one script, the icon", len(urls), urls)
	}
	total := 0
	for _, u := range urls {
		p := c.Get(u, "Accept-Encoding", "br, gzip")
		if p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", u, p.Resp.StatusCode)
		}
		if enc := p.Resp.Header.Get("Content-Encoding"); enc != "br" && len(p.Body) > 1024 {
			t.Errorf("GET %s: %d bytes sent as %q, want brotli", u, len(p.Body), enc)
		}
		n := wireBytes(p.Resp, len(p.Body))
		t.Logf("%6d B  %s (body %d B)", n, u, len(p.Body))
		total += n
	}
	t.Logf("%6d B  in all (budget %d)", total, firstLoadBudget)
	if total > firstLoadBudget {
		t.Errorf("a cold first inbox load is %d bytes, want at most %d", total, firstLoadBudget)
	}
}

// wireBytes is what resp took on the wire as HTTP/1.1 writes it: the status line, each header
// line, the blank line and the body (a chunked body's framing is a few bytes more, not counted).
func wireBytes(resp *http.Response, body int) int {
	n := len("HTTP/1.1 ") + len(resp.Status) + 2
	for k, vs := range resp.Header {
		for _, v := range vs {
			n += len(k) + 2 + len(v) + 2
		}
	}
	return n + 2 + body
}
