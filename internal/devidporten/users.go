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
