package static

import (
	"bytes"
	"io/fs"
	"regexp"
)

// theme is the vendored Altinn brand theme for Designsystemet, served as a subset (issue 10: 51
// KB raw of which Innboks uses about half). Innboks draws light only (views/layout.templ sets
// data-color-scheme="light"), in the primary typography, with the colours accent, neutral, info,
// success, warning and danger; the theme also carries a dark scheme, the light scheme again for
// data-color-scheme="auto", a secondary typography and three brand colours. The vendored file
// stays as it came (its checksum is checked); the subset is cut when the assets are built.
const theme = "vendor/designsystemet-theme-altinn.css"

// themeDropped are the theme's top-level blocks Innboks never uses, each named by the start of
// its first selector line after the "@layer …{".
var themeDropped = []string{
	`@layer ds.theme.color-scheme.dark`,
	`@layer ds.theme.typography.secondary`,
	`@layer ds.theme.color {` + "\n" + `[data-color="brand`,
}

var (
	brandDecl = regexp.MustCompile(`(?m)^[ \t]*--ds-color-brand[0-9]+-[a-z0-9-]+:[^;{}]*;[ \t]*\n`)
	autoLight = []byte("@media (prefers-color-scheme: light)")
)

// subsetTheme drops the blocks in themeDropped, the light scheme's repeat for
// data-color-scheme="auto", the brand colours' custom properties, and then every custom property
// that neither readers (the other served stylesheets) nor the theme's remaining rules read.
func subsetTheme(css []byte, readers ...[]byte) []byte {
	return pruneUnread(cutTheme(css), bytes.Join(readers, nil))
}

var (
	customDecl = regexp.MustCompile(`(?m)^[ \t]*(--[a-z0-9_-]+):[^;{}]*;[ \t]*\n`)
)

// pruneUnread removes the declarations of custom properties no var() in css or readers reads,
// until none is left to remove (a property read only by a removed one goes too).
func pruneUnread(css, readers []byte) []byte {
	for {
		read := map[string]bool{}
		for _, src := range [][]byte{css, readers} {
			for _, m := range varRead.FindAllSubmatch(src, -1) {
				read[string(m[1])] = true
			}
		}
		pruned := customDecl.ReplaceAllFunc(css, func(d []byte) []byte {
			if read[string(customDecl.FindSubmatch(d)[1])] {
				return d
			}
			return nil
		})
		if len(pruned) == len(css) {
			return css
		}
		css = pruned
	}
}

// cutTheme drops the blocks and declarations of the theme Innboks never uses.
func cutTheme(css []byte) []byte {
	var out bytes.Buffer
blocks:
	for _, b := range topLevelBlocks(css) {
		for _, d := range themeDropped {
			if bytes.HasPrefix(bytes.TrimSpace(b), []byte(d)) {
				continue blocks
			}
		}
		if i := bytes.Index(b, autoLight); i >= 0 {
			if end := blockEnd(b, i); end > i {
				b = append(b[:i:i], b[end:]...)
			}
		}
		out.Write(brandDecl.ReplaceAll(b, nil))
	}
	return out.Bytes()
}

// blockEnd returns the index just past the "{…}" block that starts at or after css[from], or
// -1 when it does not close.
func blockEnd(css []byte, from int) int {
	depth := 0
	for i := from; i < len(css); i++ {
		switch css[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// ownStylesheets are our own stylesheets (files/*.css): their var() reads decide which of the
// theme's and Designsystemet's custom properties are served.
func ownStylesheets(root fs.FS) [][]byte {
	names, _ := fs.Glob(root, "*.css")
	out := make([][]byte, len(names))
	for i, name := range names {
		out[i] = mustRead(root, name)
	}
	return out
}

// mustRead reads an embedded file.
func mustRead(root fs.FS, name string) []byte {
	b, err := fs.ReadFile(root, name)
	if err != nil {
		panic(err) // embedded files: they are there
	}
	return b
}
