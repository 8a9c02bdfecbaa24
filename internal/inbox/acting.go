package inbox

// Acting is the URNs of every party the user acts for (not those reached only through their
// sub-units): what a live stream of a dialog page that does not name the dialog's party follows.
func (ix *PartyIndex) Acting() []string {
	out := make([]string, 0, len(ix.All))
	for _, p := range ix.All {
		if !p.NoAccess {
			out = append(out, p.URN)
		}
	}
	return out
}

// DialogSubjects are the party URNs a live stream of a dialog page follows: the dialog's party
// when the page names it (false when the user may not act for it, or reaches it only through
// its sub-units), else every party the user acts for.
func (ix *PartyIndex) DialogSubjects(party string) ([]string, bool) {
	if party == "" {
		return ix.Acting(), true
	}
	p, ok := ix.Get(party)
	if !ok || p.NoAccess {
		return nil, false
	}
	return []string{p.URN}, true
}
