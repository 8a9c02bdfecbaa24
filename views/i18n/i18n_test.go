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
