package dpemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// dialogEventsSub is a parsed dialogEvents subscription: the dialog and what to answer with.
type dialogEventsSub struct {
	dialogID uuid.UUID
	key      string   // the response key: the field's alias or "dialogEvents"
	fields   []string // the selected fields in order: id, type, __typename
}

// result renders one event as the ExecutionResult of a `next` event.
func (s *dialogEventsSub) result(typ string) []byte {
	var b bytes.Buffer
	key, _ := json.Marshal(s.key)
	fmt.Fprintf(&b, `{"data":{%s:{`, key)
	for i, f := range s.fields {
		if i > 0 {
			b.WriteByte(',')
		}
		var v string
		switch f {
		case "id":
			v = s.dialogID.String()
		case "type":
			v = typ
		case "__typename":
			v = "DialogEventPayload"
		}
		fmt.Fprintf(&b, "%q:%q", f, v)
	}
	b.WriteString("}}}")
	return b.Bytes()
}

// parseDialogEventsSubscription accepts exactly the one subscription the emulator serves, in
// any of its spellings:
//
//	subscription [Name] [($var: UUID!)] { [alias:] dialogEvents(dialogId: "…" | $var) { id type __typename } }
//
// with commas and # comments where GraphQL allows them. Anything else (a query, a mutation,
// another field, fragments, directives, an unknown selection) is refused with a message
// saying what was expected.
func parseDialogEventsSubscription(query, operationName string, vars map[string]any) (*dialogEventsSub, error) {
	p := &gqlParser{src: query}
	p.next()
	if !p.is(tokName, "subscription") {
		return nil, p.fail("only `subscription { dialogEvents(dialogId: …) { id type } }` is served here")
	}
	p.next()
	if p.tok.kind == tokName {
		if operationName != "" && p.tok.text != operationName {
			return nil, fmt.Errorf("%w: operationName %q does not name this operation", errBadSubscription, operationName)
		}
		p.next()
	}
	declared := map[string]bool{}
	if p.is(tokPunct, "(") {
		p.next()
		for !p.is(tokPunct, ")") {
			if err := p.expect(tokPunct, "$"); err != nil {
				return nil, err
			}
			name, err := p.name()
			if err != nil {
				return nil, err
			}
			if err := p.expect(tokPunct, ":"); err != nil {
				return nil, err
			}
			typ, err := p.name()
			if err != nil {
				return nil, err
			}
			if typ != "UUID" {
				return nil, fmt.Errorf("%w: variable $%s must be UUID!, not %s", errBadSubscription, name, typ)
			}
			if p.is(tokPunct, "!") {
				p.next()
			}
			declared[name] = true
		}
		p.next()
	}
	if err := p.expect(tokPunct, "{"); err != nil {
		return nil, err
	}
	sub := &dialogEventsSub{}
	field, err := p.name()
	if err != nil {
		return nil, err
	}
	sub.key = field
	if p.is(tokPunct, ":") {
		p.next()
		if field, err = p.name(); err != nil {
			return nil, err
		}
	}
	if field != "dialogEvents" {
		return nil, fmt.Errorf("%w: field %q is not served; only dialogEvents is", errBadSubscription, field)
	}
	if err := p.expect(tokPunct, "("); err != nil {
		return nil, err
	}
	if arg, err := p.name(); err != nil {
		return nil, err
	} else if arg != "dialogId" {
		return nil, fmt.Errorf("%w: dialogEvents takes dialogId, not %q", errBadSubscription, arg)
	}
	if err := p.expect(tokPunct, ":"); err != nil {
		return nil, err
	}
	var raw string
	switch {
	case p.tok.kind == tokString:
		raw = p.tok.text
		p.next()
	case p.is(tokPunct, "$"):
		p.next()
		name, err := p.name()
		if err != nil {
			return nil, err
		}
		if !declared[name] {
			return nil, fmt.Errorf("%w: variable $%s is not declared", errBadSubscription, name)
		}
		s, ok := vars[name].(string)
		if !ok {
			return nil, fmt.Errorf("%w: variable $%s must be given as a string", errBadSubscription, name)
		}
		raw = s
	default:
		return nil, p.fail("dialogId must be a string or a variable")
	}
	if sub.dialogID, err = uuid.Parse(raw); err != nil || len(raw) != 36 {
		return nil, fmt.Errorf("%w: dialogId %q is not a UUID", errBadSubscription, raw)
	}
	if err := p.expect(tokPunct, ")"); err != nil {
		return nil, err
	}
	if err := p.expect(tokPunct, "{"); err != nil {
		return nil, err
	}
	for !p.is(tokPunct, "}") {
		f, err := p.name()
		if err != nil {
			return nil, err
		}
		switch f {
		case "id", "type", "__typename":
		default:
			return nil, fmt.Errorf("%w: DialogEventPayload has no field %q (id, type)", errBadSubscription, f)
		}
		sub.fields = append(sub.fields, f)
	}
	if len(sub.fields) == 0 {
		return nil, p.fail("select at least one of id, type")
	}
	p.next()
	if err := p.expect(tokPunct, "}"); err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.fail("one operation only")
	}
	return sub, nil
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokName
	tokPunct
	tokString
	tokBad
)

// gqlParser is a lexer over the few GraphQL tokens the subscription uses.
type gqlParser struct {
	src string
	pos int
	tok struct {
		kind tokKind
		text string
		at   int
	}
}

func (p *gqlParser) is(k tokKind, text string) bool { return p.tok.kind == k && p.tok.text == text }

func (p *gqlParser) fail(want string) error {
	found := p.tok.text
	if len(found) > 40 {
		found = found[:40] + "…"
	}
	if p.tok.kind == tokEOF {
		found = "the end"
	}
	return fmt.Errorf("%w: %s (at offset %d, found %q)", errBadSubscription, want, p.tok.at, found)
}

func (p *gqlParser) expect(k tokKind, text string) error {
	if !p.is(k, text) {
		return p.fail("expected " + strconv.Quote(text))
	}
	p.next()
	return nil
}

func (p *gqlParser) name() (string, error) {
	if p.tok.kind != tokName {
		return "", p.fail("expected a name")
	}
	n := p.tok.text
	p.next()
	return n, nil
}

// next reads the next token, skipping whitespace, commas and comments.
func (p *gqlParser) next() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' {
			p.pos++
			continue
		}
		if c == '#' {
			for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		break
	}
	p.tok.at = p.pos
	if p.pos >= len(p.src) {
		p.tok.kind, p.tok.text = tokEOF, ""
		return
	}
	c := p.src[p.pos]
	switch {
	case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		start := p.pos
		for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
			p.pos++
		}
		p.tok.kind, p.tok.text = tokName, p.src[start:p.pos]
	case strings.IndexByte("{}():!$", c) >= 0:
		p.pos++
		p.tok.kind, p.tok.text = tokPunct, string(c)
	case c == '"':
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 || strings.ContainsAny(p.src[p.pos+1:p.pos+1+end], "\\\n") {
			p.tok.kind, p.tok.text = tokBad, p.src[p.pos:]
			p.pos = len(p.src)
			return
		}
		p.tok.kind, p.tok.text = tokString, p.src[p.pos+1:p.pos+1+end]
		p.pos += end + 2
	default:
		p.tok.kind, p.tok.text = tokBad, string(c)
		p.pos++
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
