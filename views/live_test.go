package views

import (
	"testing"

	"github.com/innboks/innboks/views/i18n"
)

func TestLiveBannerNamesThreePartiesAndHowManyMore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		lang    i18n.Lang
		count   int
		parties []string
		want    string
	}{
		{"nb", 2, nil, "2 nye eller endrede meldinger."},
		{"nb", 1, []string{"Alta Auto AS"}, "1 ny eller endret melding. Gjelder Alta Auto AS."},
		{"nb", 7, []string{"A", "B", "C", "D", "E"}, "7 nye eller endrede meldinger. Gjelder A, B, C og 2 til."},
		{"nn", 3, []string{"A", "B", "C"}, "3 nye eller endra meldingar. Gjeld A, B, C."},
		{"en", 9, []string{"A", "B", "C", "D"}, "9 new or changed messages. For A, B, C and 1 more."},
	} {
		if got := (LiveBannerProps{Lang: tc.lang, Count: tc.count, Parties: tc.parties}).Text(); got != tc.want {
			t.Errorf("%s %d %v: got %q, want %q", tc.lang, tc.count, tc.parties, got, tc.want)
		}
	}
}
