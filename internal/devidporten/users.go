package devidporten

// User is a synthetic person the double can log in. PID is the fødselsnummer (11 digits,
// mod-11 valid); Name and Description are shown in the test-user picker.
type User struct {
	PID         string
	Name        string
	Description string
}

// DefaultUsers returns three synthetic persons with valid Tenor-style fødselsnummer (month+80),
// used when Options.Users is empty.
func DefaultUsers() []User {
	return []User{
		{PID: "12838540056", Name: "Ola Testmann", Description: "Privatperson med post fra flere etater"},
		{PID: "03817240053", Name: "Kari Prøvesen", Description: "Daglig leder i to aksjeselskap"},
		{PID: "24989140058", Name: "Nils Eksempel", Description: "Regnskapsfører med mange klienter"},
	}
}

// ValidPID reports whether pid is an 11-digit Norwegian identity number (fødselsnummer or
// d-nummer) with valid mod-11 check digits.
func ValidPID(pid string) bool {
	if len(pid) != 11 {
		return false
	}
	d := make([]int, 11)
	for i := range 11 {
		c := pid[i]
		if c < '0' || c > '9' {
			return false
		}
		d[i] = int(c - '0')
	}
	check := func(weights []int) int {
		s := 0
		for i, w := range weights {
			s += d[i] * w
		}
		k := 11 - s%11
		if k == 11 {
			k = 0
		}
		return k
	}
	k1 := check([]int{3, 7, 6, 1, 8, 9, 4, 5, 2})
	k2 := check([]int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
	return k1 == d[9] && k2 == d[10]
}
