package partyindex

import (
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// personCaser title-cases Norwegian names: "ANNE-LISE ØSTBØ" becomes "Anne-Lise Østbø".
// A cases.Caser is not safe for concurrent use, so each call makes its own (cheap).
func personCaser() cases.Caser { return cases.Title(language.Norwegian) }

// PersonName is how a person's name is shown. The register hands names over in capitals
// ("KARI NORDMANN"), which read as shouting in a list; a name written entirely in capitals is
// title-cased, and any other name (already mixed case, as typed by a person) is kept as it is.
// Organisation names are never passed here: their registered spelling ("DNB BANK ASA") is
// their name.
func PersonName(s string) string {
	if !allCaps(s) {
		return s
	}
	return personCaser().String(s)
}

// allCaps reports whether s has letters and none of them is lower case.
func allCaps(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		letters = letters || unicode.IsLetter(r)
	}
	return letters
}
