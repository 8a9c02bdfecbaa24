package ident

import "testing"

func TestValidPID(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"08844397713": true,
		"12838540056": true,
		"03817240053": true,
		"24989140058": true,
		"08844397714": false,
		"12838540057": false, // wrong second check digit
		"0884439771":  false, // too short
		"1283854005a": false,
		"":            false,
	}
	for pid, want := range cases {
		if got := ValidPID(pid); got != want {
			t.Errorf("ValidPID(%q) = %v, want %v", pid, got, want)
		}
	}
}

func TestValidOrgNumber(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{"974761076": true, "991825827": true, "974761077": false, "97476107": false, "97476107x": false}
	for s, want := range cases {
		if got := ValidOrgNumber(s); got != want {
			t.Errorf("ValidOrgNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	if got, ok := CompletePID("088443977"); !ok || got != "08844397713" {
		t.Errorf("CompletePID = %q, %v; want 08844397713", got, ok)
	}
	if got, ok := CompleteOrgNumber("97476107"); !ok || got != "974761076" {
		t.Errorf("CompleteOrgNumber = %q, %v; want 974761076", got, ok)
	}
}
