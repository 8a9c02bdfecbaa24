package dpemu

import (
	"fmt"
	"time"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// syntheticPID builds a valid synthetic national identity number (Tenor style: month + 80) for
// the birth date and a counter; it tries successive individual numbers until the checks work.
func syntheticPID(birth time.Time, n int) string {
	for i := 0; i < 1000; i++ {
		ind := (n*7 + i) % 500
		base := fmt.Sprintf("%02d%02d%02d%03d", birth.Day(), int(birth.Month())+80, birth.Year()%100, ind)
		if pid, ok := ident.CompletePID(base); ok {
			return pid
		}
	}
	panic("dpemu: no valid synthetic pid") // unreachable: some individual number always works
}

// syntheticOrgNumber builds a valid organisation number from a counter (3xx xxx xxx range).
func syntheticOrgNumber(n int) string {
	for i := 0; ; i++ {
		base := fmt.Sprintf("3%07d", (n*13+i)%10000000)
		if org, ok := ident.CompleteOrgNumber(base); ok {
			return org
		}
	}
}
