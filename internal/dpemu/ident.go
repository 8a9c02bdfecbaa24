package dpemu

import (
	"fmt"
	"time"
)

// ValidPID reports whether s is an 11-digit national identity number whose two mod-11 check
// digits are right.
func ValidPID(s string) bool {
	if len(s) != 11 || !digits(s) {
		return false
	}
	k1, ok1 := mod11(s[:9], []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	k2, ok2 := mod11(s[:10], []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	return ok1 && ok2 && int(s[9]-'0') == k1 && int(s[10]-'0') == k2
}

// ValidOrgNumber reports whether s is a 9-digit organisation number with a right mod-11 check digit.
func ValidOrgNumber(s string) bool {
	if len(s) != 9 || !digits(s) {
		return false
	}
	k, ok := mod11(s[:8], []int{3, 2, 7, 6, 5, 4, 3, 2})
	return ok && int(s[8]-'0') == k
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
	k := 11 - sum%11
	switch k {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return k, true
}

// syntheticPID builds a valid synthetic national identity number (Tenor style: month + 80) for
// the birth date and a counter; it tries successive individual numbers until the checks work.
func syntheticPID(birth time.Time, n int) string {
	for i := 0; i < 1000; i++ {
		ind := (n*7 + i) % 500
		base := fmt.Sprintf("%02d%02d%02d%03d", birth.Day(), int(birth.Month())+80, birth.Year()%100, ind)
		k1, ok1 := mod11(base, []int{3, 7, 6, 1, 8, 9, 4, 5, 2})
		if !ok1 {
			continue
		}
		withK1 := base + string(rune('0'+k1))
		k2, ok2 := mod11(withK1, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
		if !ok2 {
			continue
		}
		return withK1 + string(rune('0'+k2))
	}
	panic("dpemu: no valid synthetic pid") // unreachable: some individual number always works
}

// syntheticOrgNumber builds a valid organisation number from a counter (3xx xxx xxx range).
func syntheticOrgNumber(n int) string {
	for i := 0; ; i++ {
		base := fmt.Sprintf("3%07d", (n*13+i)%10000000)
		if k, ok := mod11(base, []int{3, 2, 7, 6, 5, 4, 3, 2}); ok {
			return base + string(rune('0'+k))
		}
	}
}
