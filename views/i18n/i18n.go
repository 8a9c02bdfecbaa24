// Package i18n holds the portal's UI strings in Norwegian Bokmål (the default), Nynorsk and
// English, and picks a language from a user's choice or the Accept-Language header.
package i18n

import (
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a supported UI language code: "nb", "nn" or "en".
type Lang string

// The supported languages. NB is the default.
const (
	NB Lang = "nb"
	NN Lang = "nn"
	EN Lang = "en"
)

// All returns the supported languages in the order the language switch shows them.
func All() []Lang { return []Lang{NB, NN, EN} }

// Parse returns the Lang for a code from a form or cookie; ok is false for anything unsupported.
func Parse(code string) (l Lang, ok bool) {
	switch Lang(code) {
	case NB, NN, EN:
		return Lang(code), true
	}
	return NB, false
}

// matcher maps Accept-Language to our three languages with CLDR distances: "nb", "no" and
// "nb-NO" find nb, "nn" finds nn, "en-GB" finds en. (Offering "no" instead of "nb" made x/text
// prefer English for "nb-NO,en"; TestMatch pins this.)
var matcher = language.NewMatcher([]language.Tag{language.Make("nb"), language.Make("nn"), language.English})

// Match picks the best supported language for an Accept-Language header value (NB when nothing
// fits or the header is empty or malformed).
func Match(acceptLanguage string) Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return NB
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return NB
	}
	return All()[idx]
}

// Name is the language's own name, as the language switch shows it.
func (l Lang) Name() string {
	switch l {
	case NN:
		return "Nynorsk"
	case EN:
		return "English"
	}
	return "Bokmål"
}

// T returns the string for key in l, falling back to nb and then to the key itself (so a missing
// string is visible in tests rather than empty).
func (l Lang) T(key string) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	switch l {
	case NN:
		if e.nn != "" {
			return e.nn
		}
	case EN:
		if e.en != "" {
			return e.en
		}
	}
	return e.nb
}

// F formats the string for key with args (fmt verbs in the catalog).
func (l Lang) F(key string, args ...any) string { return fmt.Sprintf(l.T(key), args...) }

// N is F for a string that counts n of something: where n is 1 it takes the singular, key+".1"
// ("1 aktør", "1 party"), when the catalog has one. Bokmål, Nynorsk and English all put 1 alone
// in the singular (0 and 2 take the plural). A singular has the same verbs as its plural, or none
// ("only the first is included"), and then args are not used.
func (l Lang) N(key string, n int, args ...any) string {
	if n == 1 {
		if _, ok := catalog[key+pluralOne]; ok {
			if s := l.T(key + pluralOne); !strings.Contains(s, "%") {
				return s
			}
			key += pluralOne
		}
	}
	return l.F(key, args...)
}

// pluralOne ends the key of a counted string's singular (see N).
const pluralOne = ".1"

// Has reports whether the catalog knows key (used by tests to catch typos).
func Has(key string) bool { _, ok := catalog[key]; return ok }
