// Package ident checks and completes Norwegian identifiers with their mod-11 check digits:
// national identity numbers (fødselsnummer, d-nummer; synthetic Tenor numbers too) and
// organisation numbers. The emulator and the ID-porten double both use it (it lives under
// internal/dpemu, which imports nothing else from this module).
package ident

var (
	pidWeights1 = []int{3, 7, 6, 1, 8, 9, 4, 5, 2}
	pidWeights2 = []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	orgWeights  = []int{3, 2, 7, 6, 5, 4, 3, 2}
)

// ValidPID reports whether s is an 11-digit national identity number whose two mod-11 check
// digits are right.
func ValidPID(s string) bool {
	if len(s) != 11 || !digits(s) {
		return false
	}
	full, ok := CompletePID(s[:9])
	return ok && full == s
}

// ValidOrgNumber reports whether s is a 9-digit organisation number with a right mod-11 check
// digit.
func ValidOrgNumber(s string) bool {
	if len(s) != 9 || !digits(s) {
		return false
	}
	full, ok := CompleteOrgNumber(s[:8])
	return ok && full == s
}

// CompletePID appends the two check digits to the first nine digits of a national identity
// number; ok is false when no check digit exists for them (the individual number must change).
func CompletePID(base string) (string, bool) {
	k1, ok := mod11(base, pidWeights1)
	if !ok {
		return "", false
	}
	withK1 := base + string(rune('0'+k1))
	k2, ok := mod11(withK1, pidWeights2)
	if !ok {
		return "", false
	}
	return withK1 + string(rune('0'+k2)), true
}

// CompleteOrgNumber appends the check digit to the first eight digits of an organisation
// number; ok is false when none exists.
func CompleteOrgNumber(base string) (string, bool) {
	k, ok := mod11(base, orgWeights)
	if !ok {
		return "", false
	}
	return base + string(rune('0'+k)), true
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// mod11 returns the check digit for s with weights; ok is false when the remainder gives 10.
func mod11(s string, weights []int) (int, bool) {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	switch k := 11 - sum%11; k {
	case 11:
		return 0, true
	case 10:
		return 0, false
	default:
		return k, true
	}
}
