package static

import (
	"bytes"
	"io/fs"
	"regexp"
	"slices"
)

// designsystemet is the vendored Designsystemet stylesheet, served as a subset: its base layer
// whole, and of its components only those Innboks uses. The whole file is 147 KB (17 KB
// brotli) of which about a third styles Innboks; the rest (search, combobox, table, tabs,
// avatars, …) would be downloaded and parsed on every cold load. The vendored file stays as it
// came (its checksum is checked); the subset is cut when the assets are built.
const designsystemet = "vendor/designsystemet.css"

// dsComponents are the Designsystemet classes the views, app.js and app.css use (a test reads
// them all and fails on a class missing here); rules for any other ds- class are dropped.
var dsComponents = []string{
	"ds-alert", "ds-button", "ds-details", "ds-field", "ds-heading", "ds-input", "ds-label",
	"ds-link", "ds-paragraph", "ds-skip-link", "ds-spinner", "ds-sr-only", "ds-tag",
	"ds-validation-message",
}

var dsClass = regexp.MustCompile(`\.(ds-[a-z0-9]+(?:-[a-z0-9]+)*)`)

// subsetDesignsystemet is the stylesheet's whole components of keep (wholeComponents) less
// the selectors for other classes and for features Innboks does not use (pruneSelectors), less
// the custom properties that neither what is left nor readers (the other served stylesheets)
// read (pruneUnreadProperties).
func subsetDesignsystemet(css []byte, keep []string, readers ...[]byte) []byte {
	return pruneUnreadProperties(pruneSelectors(wholeComponents(css, keep), keep), readers...)
}

// designsystemetReaders are the served stylesheets that may read Designsystemet's custom
// properties: ours and the theme (the whole vendored file: more than the served subset reads).
func designsystemetReaders(root fs.FS) [][]byte {
	return append(ownStylesheets(root), mustRead(root, theme))
}

// wholeComponents keeps the stylesheet's top-level blocks that are not component rules (the
// layer order, the base layer) and the "@layer ds.components{…}" blocks whose first
// Designsystemet class is one of keep. Each component's rules are one such block in the
// published file; a block that styles one component in the context of another (a button in a
// field) starts with the component it belongs to.
func wholeComponents(css []byte, keep []string) []byte {
	var out bytes.Buffer
	for _, b := range topLevelBlocks(css) {
		if bytes.HasPrefix(b, []byte("@layer ds.components{")) {
			m := dsClass.FindSubmatch(b)
			if m == nil || !slices.Contains(keep, string(m[1])) {
				continue
			}
		}
		out.Write(b)
	}
	return out.Bytes()
}

// topLevelBlocks splits a minified stylesheet into its top-level statements: "…;" at-rules and
// "…{…}" blocks, braces inside strings ignored. Bytes after the last statement are kept.
func topLevelBlocks(css []byte) [][]byte {
	var blocks [][]byte
	depth, start := 0, 0
	for i := 0; i < len(css); i++ {
		switch c := css[i]; c {
		case '"', '\'':
			if j := bytes.IndexByte(css[i+1:], c); j >= 0 {
				i += j + 1
			}
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				blocks, start = append(blocks, css[start:i+1]), i+1
			}
		case ';':
			if depth == 0 {
				blocks, start = append(blocks, css[start:i+1]), i+1
			}
		}
	}
	if start < len(css) {
		blocks = append(blocks, css[start:])
	}
	return blocks
}
