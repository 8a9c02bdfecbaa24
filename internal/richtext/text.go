package richtext

import "strings"

// Text returns s without the bidirectional embedding, override and isolate controls
// (U+202A–U+202E, U+2066–U+2069). A service owner could otherwise make text read differently
// from what it is ("gpj.exe" shown as "exe.jpg") or reorder the page's own text around it.
// The renderer applies it to all content; apply it to every plain string from a service owner
// the page shows outside the renderer (titles, sender names, attachment names).
func Text(s string) string {
	if !strings.ContainsFunc(s, isBidiControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isBidiControl(r) {
			return -1
		}
		return r
	}, s)
}

// isBidiControl reports whether r is an explicit bidirectional formatting character that
// changes the order of the text after it: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI.
// The marks LRM, RLM and ALM stay: they affect only the neutral characters next to them.
func isBidiControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}
