package richtext

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// flatten bounds the nesting of sanitised HTML before the HTML5 tree builder sees it: start
// tags that would open an element deeper than maxDepth are dropped (their text stays), with
// their end tags, and simplified says so. End tags that close nothing, and table parts outside a
// table, are dropped too: the parser would ignore them.
//
// It follows the tree builder's stack of open elements with a model of its rules for the
// elements the policy allows. The model never closes an element the parser would keep open
// (where in doubt it keeps it open), so the parser's stack stays within a small multiple of
// maxDepth: tables add an implied tbody and tr per level, and the parser may reopen up to a
// dozen formatting elements.
func flatten(src []byte, maxDepth int) (out []byte, simplified bool) {
	z := html.NewTokenizer(bytes.NewReader(src))
	var b bytes.Buffer
	b.Grow(len(src))
	m := stackModel{open: make([]atom.Atom, 0, maxDepth)}
	dropped := map[atom.Atom]int{}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.Bytes(), simplified
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if tablePart(a) && !m.has(atom.Table) {
				continue // the parser ignores these outside a table
			}
			m.closeImplied(a)
			if a == atom.Br || a == atom.Hr {
				break
			}
			if len(m.open) >= maxDepth {
				dropped[a]++
				simplified = true
				continue
			}
			m.open = append(m.open, a)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if dropped[a] > 0 {
				dropped[a]--
				continue
			}
			if a != atom.Br && !m.close(a) {
				continue
			}
		}
		b.Write(z.Raw())
	}
}

// stackModel is the HTML5 tree builder's stack of open elements as far as the allowed
// elements go (see flatten).
type stackModel struct {
	open []atom.Atom
}

// closeImplied pops what the start tag a closes before it opens.
func (m *stackModel) closeImplied(a atom.Atom) {
	switch a {
	case atom.Li:
		// Only up to the nearest special element other than p: an li inside a nested list
		// or a blockquote in an li does not close the outer li.
		for i := len(m.open) - 1; i >= 0; i-- {
			if m.open[i] == atom.Li {
				m.open = m.open[:i]
				break
			}
			if special(m.open[i]) && m.open[i] != atom.P {
				break
			}
		}
		m.closeP()
	case atom.Td, atom.Th:
		m.popThrough(tableScope, atom.Td, atom.Th)
	case atom.Tr:
		m.popThrough(tableScope, atom.Tr)
	case atom.Thead, atom.Tbody:
		m.popThrough(tableScope, atom.Thead, atom.Tbody)
	case atom.P, atom.Ul, atom.Ol, atom.Pre, atom.Blockquote, atom.Table, atom.Hr:
		m.closeP()
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		m.closeP()
		if n := len(m.open); n > 0 && headingLevel(m.open[n-1]) > 0 {
			m.open = m.open[:n-1]
		}
	}
}

// closeP closes a p in button scope, as a block start tag does.
func (m *stackModel) closeP() { m.popThrough(defaultScope, atom.P) }

// close applies the end tag of a and reports whether it closed anything (an end tag that
// closes nothing is ignored by the parser, or makes an empty element).
func (m *stackModel) close(a atom.Atom) bool {
	switch {
	case formatting(a):
		// The adoption agency algorithm: the element is simply popped only when no special
		// element was opened inside it; otherwise the parser keeps those open (and the model
		// keeps everything, to stay on the safe side).
		for i := len(m.open) - 1; i >= 0; i-- {
			switch {
			case m.open[i] == a:
				m.open = m.open[:i]
				return true
			case special(m.open[i]):
				return m.inScope(a)
			}
		}
		return false
	case headingLevel(a) > 0:
		return m.popThrough(defaultScope, headings[:]...)
	case a == atom.Li:
		return m.popThrough(listItemScope, atom.Li)
	case a == atom.Td || a == atom.Th || a == atom.Tr || a == atom.Thead || a == atom.Tbody || a == atom.Table:
		return m.popThrough(tableScope, a)
	}
	return m.popThrough(defaultScope, a)
}

// popThrough pops up to and including the nearest of targets, looking no further than the
// scope's boundary, and reports whether it found one.
func (m *stackModel) popThrough(boundary func(atom.Atom) bool, targets ...atom.Atom) bool {
	for i := len(m.open) - 1; i >= 0; i-- {
		for _, t := range targets {
			if m.open[i] == t {
				m.open = m.open[:i]
				return true
			}
		}
		if boundary(m.open[i]) {
			return false
		}
	}
	return false
}

// has reports whether a is open anywhere.
func (m *stackModel) has(a atom.Atom) bool {
	for _, o := range m.open {
		if o == a {
			return true
		}
	}
	return false
}

// inScope reports whether a is open within the default scope.
func (m *stackModel) inScope(a atom.Atom) bool {
	for i := len(m.open) - 1; i >= 0; i-- {
		if m.open[i] == a {
			return true
		}
		if defaultScope(m.open[i]) {
			return false
		}
	}
	return false
}

// The scopes of the HTML standard, restricted to the allowed elements.
func defaultScope(a atom.Atom) bool  { return a == atom.Table || a == atom.Td || a == atom.Th }
func listItemScope(a atom.Atom) bool { return defaultScope(a) || a == atom.Ul || a == atom.Ol }
func tableScope(a atom.Atom) bool    { return a == atom.Table }

// tablePart reports whether a is an allowed element that exists only inside a table.
func tablePart(a atom.Atom) bool {
	return a == atom.Td || a == atom.Th || a == atom.Tr || a == atom.Thead || a == atom.Tbody
}

// formatting reports whether a is one of the allowed formatting elements, whose end tags run
// the adoption agency algorithm.
func formatting(a atom.Atom) bool {
	return a == atom.A || a == atom.Em || a == atom.Strong || a == atom.Code
}

// special reports whether a is in the standard's "special" category (all allowed elements but
// the formatting ones).
func special(a atom.Atom) bool { return !formatting(a) }
