package richtext

import (
	"bytes"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// flatten bounds the nesting of sanitised HTML before the HTML5 tree builder sees it: start
// tags that would open an element deeper than maxDepth are dropped (their text stays), with
// their end tags, and simplified says so.
//
// It follows the tree builder's stack of open elements with a model of its rules for the
// elements the policy allows, and writes out what the parser would otherwise have to work
// out: every element the model closes gets its end tag, in order, where the parser would
// close it implicitly ("<p><em>x<p>" becomes "<p><em>x</em></p><p>"). So the parser never
// reopens formatting elements a block closed, nor runs the adoption agency algorithm (an end
// tag for a formatting element with a block open inside it is dropped: the element stays
// open, as in the model). End tags that close nothing, and table parts outside a table, are
// dropped too: the parser would ignore them. Where the parser would close more than the model
// (around tables), the model keeps the element open and its depth counted: the parser's stack
// stays within maxDepth plus the tbody and tr it adds per table.
func flatten(src []byte, maxDepth int) (out []byte, simplified bool) {
	z := html.NewTokenizer(bytes.NewReader(src))
	m := stackModel{open: make([]atom.Atom, 0, maxDepth)}
	m.out.Grow(len(src) + len(src)/8)
	dropped := map[atom.Atom]int{}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return m.out.Bytes(), simplified
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
			switch {
			case a == atom.Br:
				// "</br>" is a line break to the parser; pass it on.
			case dropped[a] > 0:
				dropped[a]--
				continue
			default:
				m.close(a) // writes the end tags of what it closes
				continue
			}
		}
		m.out.Write(z.Raw())
	}
}

// stackModel is the HTML5 tree builder's stack of open elements as far as the allowed
// elements go (see flatten), and the output, into which it writes the end tag of every
// element it closes.
type stackModel struct {
	open []atom.Atom
	out  bytes.Buffer
}

// closeImplied closes what the start tag a closes before it opens.
func (m *stackModel) closeImplied(a atom.Atom) {
	switch a {
	case atom.Li:
		// Only up to the nearest special element other than p: an li inside a nested list
		// or a blockquote in an li does not close the outer li.
		for i := len(m.open) - 1; i >= 0; i-- {
			if m.open[i] == atom.Li {
				m.popTo(i)
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
			m.popTo(n - 1)
		}
	}
}

// closeP closes a p in button scope, as a block start tag does.
func (m *stackModel) closeP() { m.popThrough(defaultScope, atom.P) }

// close applies the end tag of a; an end tag that closes nothing is dropped (the parser
// would ignore it, or make an empty element of it).
func (m *stackModel) close(a atom.Atom) {
	switch {
	case formatting(a):
		// Closed only when no special element is open inside it; otherwise the parser would
		// run the adoption agency algorithm, which the model does not follow: it stays open.
		for i := len(m.open) - 1; i >= 0; i-- {
			if m.open[i] == a {
				m.popTo(i)
				return
			}
			if special(m.open[i]) {
				return
			}
		}
	case headingLevel(a) > 0:
		m.popThrough(defaultScope, headings[:]...)
	case a == atom.Li:
		m.popThrough(listItemScope, atom.Li)
	case a == atom.Td || a == atom.Th || a == atom.Tr || a == atom.Thead || a == atom.Tbody || a == atom.Table:
		m.popThrough(tableScope, a)
	default:
		m.popThrough(defaultScope, a)
	}
}

// popThrough closes up to and including the nearest of targets, looking no further than the
// scope's boundary.
func (m *stackModel) popThrough(boundary func(atom.Atom) bool, targets ...atom.Atom) {
	for i := len(m.open) - 1; i >= 0; i-- {
		for _, t := range targets {
			if m.open[i] == t {
				m.popTo(i)
				return
			}
		}
		if boundary(m.open[i]) {
			return
		}
	}
}

// popTo closes the open elements from the innermost down to and including index i, writing
// their end tags.
func (m *stackModel) popTo(i int) {
	for j := len(m.open) - 1; j >= i; j-- {
		m.out.WriteString("</")
		m.out.WriteString(m.open[j].String())
		m.out.WriteByte('>')
	}
	m.open = m.open[:i]
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
