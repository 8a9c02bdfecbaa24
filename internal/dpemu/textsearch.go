package dpemu

import (
	"strings"
	"sync"
	"unicode"

	"github.com/google/uuid"
)

// textIndex is the free-text search (§4.1 `search`): a simple stand-in for PostgreSQL's
// full-text search. Each dialog's searchable text is folded to lower case per language and
// cached by revision; a query matches when every term is a prefix of some word in one language.
type textIndex struct {
	mu   sync.Mutex
	docs map[uuid.UUID]textDoc
}

type textDoc struct {
	revision uuid.UUID
	byLang   map[string]string
}

func newTextIndex() *textIndex { return &textIndex{docs: map[uuid.UUID]textDoc{}} }

// searchTerms splits a query into lower-case words.
func searchTerms(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// match reports whether every term occurs as a word prefix in one language's text (lang when
// given, else any language).
func (x *textIndex) match(d *Dialog, terms []string, lang string) bool {
	doc := x.doc(d)
	for l, text := range doc.byLang {
		if lang != "" && l != lang {
			continue
		}
		if allTerms(text, terms) {
			return true
		}
	}
	return false
}

func allTerms(text string, terms []string) bool {
	for _, t := range terms {
		if !strings.HasPrefix(text, t) && !strings.Contains(text, " "+t) {
			return false
		}
	}
	return true
}

func (x *textIndex) doc(d *Dialog) textDoc {
	x.mu.Lock()
	defer x.mu.Unlock()
	if doc, ok := x.docs[d.ID]; ok && doc.revision == d.Revision {
		return doc
	}
	doc := textDoc{revision: d.Revision, byLang: buildTexts(d)}
	x.docs[d.ID] = doc
	return doc
}

// buildTexts collects the searchable fields (title, summary, sender name, search tags,
// transmission texts, attachment names, activity descriptions) per language, normalised to
// space-separated lower-case words. Text without a language (tags) goes into every language.
func buildTexts(d *Dialog) map[string]string {
	parts := map[string][]string{}
	addText := func(t Text) {
		for _, l := range t {
			parts[l.LanguageCode] = append(parts[l.LanguageCode], l.Value)
		}
	}
	addCV := func(v *ContentValue) {
		if v != nil {
			addText(v.Value)
		}
	}
	addCV(&d.Content.Title)
	addCV(d.Content.Summary)
	addCV(d.Content.SenderName)
	for _, a := range d.Attachments {
		addText(a.DisplayName)
	}
	for _, t := range d.Transmissions {
		addCV(&t.Title)
		addCV(t.Summary)
		for _, a := range t.Attachments {
			addText(a.DisplayName)
		}
	}
	for _, a := range d.Activities {
		addText(a.Description)
	}
	if len(parts) == 0 {
		parts["nb"] = nil
	}
	out := make(map[string]string, len(parts))
	for l, ps := range parts {
		all := append(ps, d.SearchTags...)
		out[l] = strings.Join(searchTerms(strings.Join(all, " ")), " ")
	}
	return out
}
