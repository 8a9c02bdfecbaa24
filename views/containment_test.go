package views

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/static"
	"github.com/innboks/innboks/views/i18n"
)

// hostileFragments are service-owner HTML the allow-list reduces to unclosed markup: written
// into the page as they were, the browser's parser moved the rest of the dialog page into the
// service owner's box, or under its link.
var hostileFragments = []string{
	`<table>`,
	`<table><tr><td>cell`,
	`<a href="https://evil.example/">click`,
	`<a href="https://evil.example/"><table><tr><td>x`,
	`<ul><li>item`,
	`<blockquote><pre>x`,
	`<em><strong>x`,
	`</p></div></section></div></article><table>`,
	`<div><form action="https://evil.example/"><table><tr><td><a href="https://evil.example/">`,
}

// serviceOwnerBoxes are the page's containers of service-owner content.
const serviceOwnerBoxes = `[data-testid="dialog-summary"], [data-testid="dialog-additional-info"] .dialog__richtext, ` +
	`[data-testid="transmission-summary"], [data-testid="dialog-content"], [data-testid="transmission-content"]`

// portalElements are the page's own elements, which must stay outside every box above and
// outside every link of the service owner's.
var portalElements = []string{
	"dialog-header", "dialog-title", "dialog-actions", "action-primary", "action-button",
	"tertiary-menu", "api-actions", "api-action-button", "label-form", "label-restore",
	"thread", "thread-group", "transmission", "transmission-title",
	"activity-log", "log-entry", "log-what", "dialog-back",
}

// TestServiceOwnerContentStaysInItsBox renders the dialog page with hostile renderer output in
// each place service-owner content goes (summary, additional info, transmission summary, and
// the main and transmission content as htmx swaps them in), parses it as a browser does, and
// checks that the page's own controls stay outside the service owner's box and links.
func TestServiceOwnerContentStaysInItsBox(t *testing.T) {
	t.Parallel()
	r := richtext.New()
	places := map[string]func(p *DialogProps, h template.HTML) (extra func(string) string){
		"summary":         func(p *DialogProps, h template.HTML) func(string) string { p.Summary = h; return nil },
		"additional info": func(p *DialogProps, h template.HTML) func(string) string { p.AdditionalInfo = h; return nil },
		"transmission summary": func(p *DialogProps, h template.HTML) func(string) string {
			p.Thread[0].Items[0].Summary = h
			return nil
		},
		"content": func(_ *DialogProps, h template.HTML) func(string) string {
			return swapIn(t, "dialog-content", ContentProps{Lang: i18n.EN, TestID: "dialog-content", Target: "dialog-content", HTML: h})
		},
		"transmission content": func(_ *DialogProps, h template.HTML) func(string) string {
			return swapIn(t, "tx-content-t2", ContentProps{Lang: i18n.EN, TestID: "transmission-content", Target: "tx-content-t2", HTML: h})
		},
	}
	for place, put := range places {
		for _, frag := range hostileFragments {
			p := pageDialog()
			swap := put(&p, r.HTML(frag))
			page := renderString(t, DialogPage(Chrome{Lang: i18n.EN, Title: "t", CSRF: "tok"}, p))
			if swap != nil {
				page = swap(page)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
			if err != nil {
				t.Fatal(err)
			}
			assertPortalOutside(t, place+" "+frag, doc)
		}
	}
}

// TestContentPageStaysInItsBox: the no-JavaScript content page keeps its own elements outside
// hostile content.
func TestContentPageStaysInItsBox(t *testing.T) {
	t.Parallel()
	r := richtext.New()
	for _, frag := range hostileFragments {
		page := renderString(t, ContentPage(Chrome{Lang: i18n.EN, Title: "t", CSRF: "tok"}, "Title", "/dialogs/d1",
			ContentProps{Lang: i18n.EN, TestID: "dialog-content", Target: "dialog-content", HTML: r.HTML(frag)}))
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"dialog-back", "site-header", "skip-link"} {
			if el := tid(doc, id); el.Length() != 1 || el.ParentsFiltered(serviceOwnerBoxes).Length() > 0 || el.ParentsFiltered("a").Length() > 0 {
				t.Errorf("%s: %s is inside the service owner's content", frag, id)
			}
		}
		if doc.Find(serviceOwnerBoxes).Find("footer, main, header").Length() > 0 {
			t.Errorf("%s: the page's landmarks moved into the content", frag)
		}
	}
}

// assertPortalOutside fails when a page element is inside a service-owner box or link, or when
// the folder form lost its buttons.
func assertPortalOutside(t *testing.T, what string, doc *goquery.Document) {
	t.Helper()
	boxes := doc.Find(serviceOwnerBoxes)
	if boxes.Length() == 0 {
		t.Fatalf("%s: no service-owner box on the page", what)
	}
	for _, id := range portalElements {
		el := tid(doc, id)
		if el.Length() == 0 {
			t.Errorf("%s: %s missing from the page", what, id)
			continue
		}
		el.Each(func(_ int, s *goquery.Selection) {
			if s.ParentsFiltered(serviceOwnerBoxes).Length() > 0 {
				t.Errorf("%s: %s ends up inside the service owner's box", what, id)
			}
			if s.ParentsFiltered("a").Length() > 0 {
				t.Errorf("%s: %s ends up inside a link", what, id)
			}
		})
	}
	if tid(doc, "label-form").Find(`[data-testid="label-restore"]`).Length() != 1 {
		t.Errorf("%s: the folder form lost its button", what)
	}
	if doc.Find(`[data-testid="dialog"]`).Find(`[data-testid="activity-log"]`).Length() != 1 {
		t.Errorf("%s: the log left the dialog", what)
	}
}

// pageDialog is sampleDialog with a transmission summary to fill and its content slot.
func pageDialog() DialogProps {
	p := sampleDialog()
	p.Summary, p.AdditionalInfo = "<p>sum</p>", "<p>info</p>"
	p.Thread[0].Items[0].Summary = "<p>tx</p>"
	return p
}

// swapIn returns a function that puts the Content component in place of the element with the
// given id, as htmx's outerHTML swap does.
func swapIn(t *testing.T, id string, c ContentProps) func(string) string {
	content := renderString(t, Content(c))
	re := regexp.MustCompile(`(?s)<div id="` + regexp.QuoteMeta(id) + `"[^>]*>.*?</div>`)
	return func(page string) string {
		if !re.MatchString(page) {
			t.Fatalf("no #%s on the page", id)
		}
		return re.ReplaceAllLiteralString(page, content)
	}
}

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestLongWordsWrap: a 3,000-character word in a title, in service-owner content or in a
// table cell wraps instead of widening the page (our own stylesheet says so).
func TestLongWordsWrap(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(static.Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL + static.Path("app.css"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	css, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("app.css: %d %v", resp.StatusCode, err)
	}
	for _, sel := range []string{
		".dialog__header h1", ".dialog__sender", ".dialog__summary", ".dialog__richtext",
		".dialog__richtext td", ".transmission__title", ".transmission__body", ".dialog-list h2",
	} {
		if !cssRuleHas(string(css), sel, "overflow-wrap: anywhere") {
			t.Errorf("app.css: no overflow-wrap: anywhere for %s", sel)
		}
	}
}

// cssRuleHas reports whether a rule whose selector list names sel has the declaration decl. The
// served stylesheet is minified, so a declaration matches without the space after its colon.
func cssRuleHas(css, sel, decl string) bool {
	decl = strings.ReplaceAll(decl, ": ", ":")
	for rule := range strings.SplitSeq(css, "}") {
		head, body, ok := strings.Cut(rule, "{")
		if !ok || !strings.Contains(strings.ReplaceAll(body, ": ", ":"), decl) {
			continue
		}
		if i := strings.LastIndex(head, "*/"); i >= 0 {
			head = head[i+2:]
		}
		for s := range strings.SplitSeq(head, ",") {
			if strings.TrimSpace(s) == sel {
				return true
			}
		}
	}
	return false
}
