package partyindex

import "testing"

func TestPersonName(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"KARI NORDMANN", "Kari Nordmann"},
		{"ANNE-LISE ØSTBØ", "Anne-Lise Østbø"},
		{"ÅSE ÆRLIGSEN", "Åse Ærligsen"},
		{"Kari von Nordmann", "Kari von Nordmann"}, // mixed case is kept
		{"kari nordmann", "kari nordmann"},         // as typed: kept
		{"", ""},
		{"123", "123"},
	}
	for _, tc := range tests {
		if got := PersonName(tc.in); got != tc.want {
			t.Errorf("PersonName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
