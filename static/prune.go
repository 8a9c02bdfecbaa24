package static

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

// dsNeverRendered are attribute selectors no element Innboks renders matches: no view, no
// app.js, no app.css writes these attributes or values (a test reads them all). They are the
// Designsystemet features Innboks does not use: radio buttons and switches, read-only fields,
// the 2xs, xl and 2xl sizes, the outline and tinted variants, character counters, icon-only and
// full-width buttons, …
var dsNeverRendered = []string{
	"[type=radio]", "[role=switch]", "[readonly]", "[aria-readonly=true]",
	"[data-size=2xs]", "[data-size=xl]", "[data-size=2xl]",
	"[data-variant=outline]", "[data-variant=tinted]", "[data-variant=default]",
	"[data-variant=long]", "[data-variant=short]", "[data-weight=semibold]",
	"[data-field=counter]", "[data-position=end]", "[data-clickdelegatefor]",
	"[data-icon]", "[data-fullwidth]", "[data-overscroll=contain]",
}

// pruneSelectors drops, from a minified stylesheet, the selectors that can never match what
// Innboks renders, and the rules (and then-empty @media, @supports and @layer blocks) left with
// none. A selector can never match when one of its compound selectors names a Designsystemet
// class outside classes or an attribute in dsNeverRendered, or holds an :is(), :where() or
// :has() none of whose arguments can match; what :not() and other functions hold is not
// judged, so a rule is kept when in doubt. Dropping whole selectors of a list leaves the others
// and their specificity as they were. Everything kept is copied byte for byte: the parser finds
// the rules, their text is cut from the source at the parser's offsets. A sheet the parser
// cannot read to its end comes back whole.
func pruneSelectors(sheet []byte, classes []string) []byte {
	return rewrite(sheet, copier{
		keepSelector: func(sel []css.Token) bool { return canMatch(sel, classes) },
		keepProperty: func(string) bool { return true },
	})
}

// pruneUnreadProperties drops the declarations of custom properties (--…) that no var() in
// sheet or in readers (the other served stylesheets) reads, until none is left to drop (a
// property read only by a dropped one goes too): once pruneSelectors has dropped the rules for
// read-only fields, nothing reads the base layer's read-only icon, a data: URI. Like
// pruneSelectors, it copies what it keeps byte for byte.
func pruneUnreadProperties(sheet []byte, readers ...[]byte) []byte {
	for {
		read := map[string]bool{}
		for _, src := range append(readers, sheet) {
			for _, m := range varRead.FindAllSubmatch(src, -1) {
				read[string(m[1])] = true
			}
		}
		pruned := rewrite(sheet, copier{
			keepSelector: func([]css.Token) bool { return true },
			keepProperty: func(name string) bool { return read[name] },
		})
		if len(pruned) == len(sheet) {
			return sheet
		}
		sheet = pruned
	}
}

// varRead finds the custom properties a stylesheet reads: any name, case kept (Designsystemet
// has --dsc-focus-boxShadow).
var varRead = regexp.MustCompile(`var\(\s*(--[^\s,)]+)`)

// rewrite copies sheet through c. A sheet the parser cannot read to its end comes back whole.
func rewrite(sheet []byte, c copier) []byte {
	var out bytes.Buffer
	// The parser writes past the end of what it reads: give it a copy.
	c.p, c.src = css.NewParser(parse.NewInputBytes(bytes.Clone(sheet)), false), sheet
	c.block(&out)
	if c.p.Err() != io.EOF {
		return sheet
	}
	return out.Bytes()
}

// copier copies a stylesheet statement by statement, less the selectors and custom properties
// it is told to drop.
type copier struct {
	p            *css.Parser
	src          []byte
	off          int // where the source not yet copied starts
	keepSelector func(sel []css.Token) bool
	keepProperty func(name string) bool
}

// next parses the next statement and returns it, its data (a custom property's name) and its
// source text.
func (c *copier) next() (css.GrammarType, []byte, []byte) {
	gt, _, data := c.p.Next()
	start := c.off
	c.off = c.p.Offset()
	return gt, data, c.src[start:c.off]
}

// block copies the statements of one block, and its closing brace, or of the whole sheet.
func (c *copier) block(out *bytes.Buffer) {
	for {
		gt, data, text := c.next()
		switch gt {
		case css.ErrorGrammar, css.EndAtRuleGrammar, css.EndRulesetGrammar:
			out.Write(text)
			return
		case css.BeginAtRuleGrammar:
			var body bytes.Buffer
			c.block(&body)
			if body.Len() > 1 { // more than its closing brace
				out.Write(text)
				out.Write(body.Bytes())
			}
		case css.BeginRulesetGrammar:
			var keep [][]byte
			for _, sel := range splitList(lex(text[:len(text)-1])) {
				if c.keepSelector(sel) {
					keep = append(keep, tokensText(sel, false))
				}
			}
			var body bytes.Buffer
			c.block(&body)
			if len(keep) > 0 {
				out.Write(bytes.Join(keep, []byte(",")))
				out.WriteByte('{')
				out.Write(body.Bytes())
			}
		case css.CustomPropertyGrammar:
			if c.keepProperty(string(data)) {
				out.Write(text)
			} else if bytes.HasSuffix(text, []byte("}")) {
				out.WriteByte('}') // a rule's last declaration carries the rule's closing brace
			}
		default:
			out.Write(text)
		}
	}
}

// lex splits a selector list into its tokens, whitespace included.
func lex(sel []byte) []css.Token {
	var ts []css.Token
	l := css.NewLexer(parse.NewInputBytes(bytes.Clone(sel))) // a copy, as in pruneSelectors
	for {
		tt, data := l.Next()
		if tt == css.ErrorToken {
			return ts
		}
		ts = append(ts, css.Token{TokenType: tt, Data: bytes.Clone(data)})
	}
}

// canMatch reports whether the complex selector sel may match an element Innboks renders.
func canMatch(sel []css.Token, classes []string) bool {
	for i := 0; i < len(sel); i++ {
		switch t := sel[i]; {
		case t.TokenType == css.DelimToken && string(t.Data) == "." && i+1 < len(sel):
			class := string(sel[i+1].Data)
			if strings.HasPrefix(class, "ds-") && !slices.Contains(classes, class) {
				return false
			}
		case t.TokenType == css.LeftBracketToken:
			end := i + slices.IndexFunc(sel[i:], func(t css.Token) bool { return t.TokenType == css.RightBracketToken })
			if slices.Contains(dsNeverRendered, string(tokensText(sel[i:end+1], true))) {
				return false
			}
		case t.TokenType == css.FunctionToken:
			end := closing(sel, i)
			switch string(t.Data) {
			case "is(", "where(", "has(":
				if !slices.ContainsFunc(splitList(sel[i+1:end]), func(s []css.Token) bool { return canMatch(s, classes) }) {
					return false
				}
			}
			i = end
		}
	}
	return true
}

// closing returns the index of the parenthesis that closes the function at sel[open].
func closing(sel []css.Token, open int) int {
	depth := 0
	for i := open; i < len(sel); i++ {
		switch sel[i].TokenType {
		case css.FunctionToken, css.LeftParenthesisToken:
			depth++
		case css.RightParenthesisToken:
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return len(sel) - 1
}

// splitList splits a selector list at its top-level commas.
func splitList(list []css.Token) [][]css.Token {
	var sels [][]css.Token
	start := 0
	for i := 0; i < len(list); i++ {
		switch list[i].TokenType {
		case css.FunctionToken, css.LeftParenthesisToken:
			i = closing(list, i)
		case css.CommaToken:
			sels, start = append(sels, list[start:i]), i+1
		}
	}
	return append(sels, list[start:])
}

// tokensText is the tokens' text as written, or with strings unquoted ("2xs" and 2xs then
// compare equal).
func tokensText(ts []css.Token, unquote bool) []byte {
	var b bytes.Buffer
	for _, t := range ts {
		if unquote && t.TokenType == css.StringToken {
			b.Write(t.Data[1 : len(t.Data)-1])
			continue
		}
		b.Write(t.Data)
	}
	return b.Bytes()
}
