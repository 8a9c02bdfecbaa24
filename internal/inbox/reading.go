package inbox

import (
	"time"
)

// NorwegianTime is the time zone dates are shown and filtered in (UTC where the system has no
// zone data).
func NorwegianTime() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}
