package i18n

import (
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   Lang
	}{
		{"", NB},
		{"nb-NO,nb;q=0.9,en;q=0.8", NB},
		{"no", NB},
		{"nn-NO,nn;q=0.9", NN},
		{"nn", NN},
		{"en-GB,en;q=0.9", EN},
		{"en-US", EN},
		{"de-DE", NB},
		{"de-DE,en;q=0.5", EN},
		{"fr;q=0.9,nn;q=0.8", NN},
		{"%%%garbage", NB},
	}
	for _, tt := range tests {
		if got := Match(tt.header); got != tt.want {
			t.Errorf("Match(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, code := range []string{"nb", "nn", "en"} {
		if l, ok := Parse(code); !ok || string(l) != code {
			t.Errorf("Parse(%q) = %q, %v; want %q, true", code, l, ok, code)
		}
	}
	for _, code := range []string{"", "no", "EN", "se", "nb-NO"} {
		if l, ok := Parse(code); ok || l != NB {
			t.Errorf("Parse(%q) = %q, %v; want nb, false", code, l, ok)
		}
	}
}

func TestCatalogComplete(t *testing.T) {
	t.Parallel()
	for key, e := range catalog {
		if strings.HasPrefix(key, "status.NotApplicable") {
			continue // deliberately blank: no status badge
		}
		if e.nb == "" || e.nn == "" || e.en == "" {
			t.Errorf("catalog[%q] lacks a language: %+v", key, e)
		}
		if strings.Count(e.nb, "%") != strings.Count(e.nn, "%") || strings.Count(e.nb, "%") != strings.Count(e.en, "%") {
			t.Errorf("catalog[%q] has different format verbs across languages: %+v", key, e)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	if got, want := EN.T("app.logout"), "Log out"; got != want {
		t.Errorf("EN.T(app.logout) = %q, want %q", got, want)
	}
	if got, want := NN.T("party.allOrgs"), "Alle verksemder"; got != want {
		t.Errorf("NN.T(party.allOrgs) = %q, want %q", got, want)
	}
	if got, want := NB.T("no.such.key"), "no.such.key"; got != want {
		t.Errorf("missing key = %q, want the key itself", got)
	}
	if got, want := EN.F("error.busyWait", 12), "The service is busy or unavailable. Try again in 12 seconds."; got != want {
		t.Errorf("EN.F = %q, want %q", got, want)
	}
}

// TestN: a counted string takes its singular for 1 (and only for 1) in every language, with the
// same arguments, or none where the singular names no number.
func TestN(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang Lang
		key  string
		n    int
		args []any
		want string
	}{
		{NB, "scope.favourites", 1, []any{1}, "Søker i favorittene dine (1 aktør)."},
		{NN, "scope.favourites", 1, []any{1}, "Søkjer i favorittane dine (1 aktør)."},
		{EN, "scope.favourites", 1, []any{1}, "Searching your favourites (1 party)."},
		{NB, "scope.favourites", 2, []any{2}, "Søker i favorittene dine (2 aktører)."},
		{NB, "scope.favourites", 0, []any{0}, "Søker i favorittene dine (0 aktører)."},
		{EN, "scope.group", 1, []any{"Bygg", 1}, "Searching the group Bygg (1 party)."},
		{NN, "scope.group", 1, []any{"Bygg", 1}, "Søkjer i gruppa Bygg (1 aktør)."},
		{EN, "scope.group", 3, []any{"Bygg", 3}, "Searching the group Bygg (3 parties)."},
		{EN, "scope.missing", 1, []any{1}, "1 of the parties is no longer one you can act for; it is left out of the search."},
		{NB, "groups.size", 1, []any{1}, "1 aktør"},
		{NN, "groups.size", 1, []any{1}, "1 aktør"},
		{EN, "groups.size", 1, []any{1}, "1 party"},
		{NN, "groups.size", 5, []any{5}, "5 aktørar"},
		{EN, "groups.unknown", 1, []any{1}, "1 of the entries is not a party you can act for, and was not added:"},
		{NB, "bulk.done", 1, []any{1, 1}, "1 av 1 melding ble oppdatert."},
		{EN, "bulk.done", 1, []any{0, 1}, "0 of 1 message was updated."},
		{EN, "bulk.done", 2, []any{1, 2}, "1 of 2 messages were updated."},
		{NB, "time.future", 1, []any{1}, "om 1 dag"},
		{EN, "time.future", 2, []any{2}, "in 2 days"},
		{EN, "error.busyWait", 1, []any{1}, "The service is busy or unavailable. Try again in 1 second."},
		{NB, "saved.new", 1, []any{1}, "1 ny eller endret"},
		{NN, "saved.new", 1, []any{1}, "1 ny eller endra"},
		{NB, "zip.searchHint", 1, []any{1}, "Vedleggene til den første meldingen"},
		{NB, "zip.searchHint", 100, []any{100}, "Vedleggene til de første 100 meldingene"},
		{EN, "zip.cut", 1, []any{1}, "The search had more messages than this: only the first is included. Narrow the search to get the rest."},
		{EN, "zip.tooMany", 1, []any{1, 3}, "You can download the attachments of at most 1 message at a time, and you chose 3. Choose fewer."},
		{EN, "party.allOrgsCount", 1, []any{1}, "All organisations (1)"}, // no singular: the plain string
	}
	for _, tt := range tests {
		if got := tt.lang.N(tt.key, tt.n, tt.args...); got != tt.want {
			t.Errorf("%s.N(%q, %d) = %q, want %q", tt.lang, tt.key, tt.n, got, tt.want)
		}
	}
}

// TestSingulars: every singular belongs to a counted string and takes the same arguments (or
// none); and every string that formats a count either has a singular or is listed here with the
// reason it needs none, so a new counted string cannot say "1 aktører" unnoticed.
func TestSingulars(t *testing.T) {
	t.Parallel()
	noSingular := map[string]string{
		"party.allOrgsCount":   "a count in parentheses",
		"party.allPersCount":   "a count in parentheses",
		"fav.scope":            "a count in parentheses",
		"groups.scope":         "a count in parentheses",
		"party.more":           "no noun: Viser 1 av 3",
		"party.countMany":      "party.countOne says 1",
		"party.countSome":      "treff is the same in the singular; the noun follows the total, which is more than shown",
		"party.batched":        "only with two batches or more, so over 100 parties",
		"bulk.batches":         "only with two batches or more",
		"bulk.tooMany":         "the limit is inbox.MaxBulk (500) and the choice is over it",
		"bulk.message":         "a label: Melding 1",
		"list.attachments":     "list.attachment says 1",
		"list.count":           "viste/shown is the same for 1",
		"list.moreLoaded":      "no noun beside the number (lastet inn: 1); app.js puts the number in",
		"time.minutes":         "an abbreviation: 1 min",
		"time.hours":           "an abbreviation: 1 t, 1 h",
		"time.days":            "two days or more (one is time.yesterday)",
		"dialog.seenByYouAndN": "dialog.seenByYouAnd1 says 1",
		"dialog.seenByN":       "dialog.seenBy1 says 1",
		"live.many":            "live.one says 1",
		"live.more":            "a cap well over 1",
		"saved.newMore":        "a cap well over 1",
		"live.andMore":         "og 1 til, and 1 more",
		"saved.count":          "søk is the same in the singular; 1 of at most 20 saved searches",
		"limit.name":           "store limits are constants in the tens or more",
		"limit.groups":         "store limits are constants in the tens or more",
		"limit.groupParties":   "store limits are constants in the tens or more",
		"limit.other":          "no noun: høyst 1",
		"saved.nameTooLong":    "a constant limit in the tens",
		"saved.tooMany":        "a constant limit in the tens",
		"export.csvHint":       "export.MaxRows, 10,000",
		"export.cut":           "export.MaxRows, 10,000",
		"access.level":         "a level, not a count",
	}
	verbs := func(s string) string {
		var v []string
		for i := 0; i < len(s)-1; i++ {
			if s[i] == '%' {
				v = append(v, s[i:i+2])
			}
		}
		return strings.Join(v, "")
	}
	for key, e := range catalog {
		if base, ok := strings.CutSuffix(key, pluralOne); ok {
			b, ok := catalog[base]
			if !ok {
				t.Errorf("singular %q has no counted string %q", key, base)
				continue
			}
			for i, pair := range [][2]string{{e.nb, b.nb}, {e.nn, b.nn}, {e.en, b.en}} {
				if v := verbs(pair[0]); v != "" && v != verbs(pair[1]) {
					t.Errorf("%q in %s has verbs %q, its plural %q", key, All()[i], v, verbs(pair[1]))
				}
			}
			continue
		}
		if !strings.Contains(e.nb, "%d") {
			continue
		}
		_, one := catalog[key+pluralOne]
		if _, listed := noSingular[key]; one == listed {
			t.Errorf("%q counts: give it a singular %q, or say in noSingular why it needs none (singular %v, listed %v)", key, key+pluralOne, one, listed)
		}
	}
}
