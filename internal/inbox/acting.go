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
