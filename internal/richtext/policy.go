package richtext

import (
	"net/url"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// Policy returns the one allow-list every piece of service-owner HTML goes through: text
// structure (p, br, hr, headings, lists, blockquote, pre, code, em, strong), tables, and links
// with an absolute https, http or mailto href only. An http(s) link must name a host and no
// user ("https://www.altinn.no@example.org/" goes to example.org): such a link is shown as its
// text. Links get rel="noopener noreferrer nofollow" and open in a new tab. Numbers that size
// the layout are bounded: an ordered list starts at 0–99999, a cell spans 1–99 columns or
// rows. Everything else — scripts, event handlers, style attributes and elements, forms,
// frames, objects, images, SVG, meta and base — is removed; the text of unknown elements is
// kept, escaped, except for script/style-like elements whose text is dropped.
//
// Each call builds a new policy; a Renderer builds it once.
func Policy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "em", "strong", "code", "pre", "blockquote",
		"ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
		"table", "thead", "tbody", "tr", "th", "td")
	// Ordered lists may start at another number; table cells may be aligned (goldmark's GFM
	// tables are configured to emit align="…" rather than a style attribute, which CSP forbids)
	// and span a few columns or rows (colspan=1000 on every cell makes a table the browser
	// lays out for seconds).
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,5}$`)).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[1-9][0-9]?$`)).OnElements("th", "td")

	// Links: absolute URLs with a safe scheme only. Relative URLs would resolve against Innboks
	// itself (a service owner must not be able to link to /logout or the action proxy).
	p.AllowAttrs("href").OnElements("a")
	// http(s) links must name a host: "https:foo" or "http:" would not be "fully qualified" to
	// bluemonday and would then miss target/noopener. A user part is refused: it exists in such
	// links only to make the host look like another.
	hasHost := func(u *url.URL) bool { return u.Host != "" && u.Opaque == "" && u.User == nil }
	p.AllowURLSchemeWithCustomPolicy("https", hasHost)
	p.AllowURLSchemeWithCustomPolicy("http", hasHost)
	p.AllowURLSchemes("mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // also adds rel=noopener
	return p
}
