package dpemu

import (
	"net/http"
)

// getParties serves GET /enduser/parties (§4.9): the caller's authorised parties, sub-units
// nested one level under their parent organisation.
func (e *Emulator) getParties(w http.ResponseWriter, r *http.Request, c *caller) {
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	top := []*wAuthorizedParty{}
	byURN := map[string]*wAuthorizedParty{}
	var subs []string
	for _, urn := range c.access.order {
		p, ok := e.store.parties.byKey[urn]
		if !ok {
			continue
		}
		if p.Parent != "" {
			subs = append(subs, urn)
			continue
		}
		wp := e.authorizedParty(p, c, c.access.byParty[urn])
		byURN[urn] = wp
		top = append(top, wp)
	}
	for _, urn := range subs {
		p := e.store.parties.byKey[urn]
		parent, ok := byURN[p.Parent]
		if !ok {
			pp, known := e.store.parties.byKey[p.Parent]
			if !known {
				wp := e.authorizedParty(p, c, c.access.byParty[urn])
				top = append(top, wp)
				continue
			}
			parent = e.authorizedParty(pp, c, nil)
			parent.HasOnlyAccessToSubParties = true
			byURN[p.Parent] = parent
			top = append(top, parent)
		}
		parent.SubParties = append(parent.SubParties, *e.authorizedParty(p, c, c.access.byParty[urn]))
	}
	out := struct {
		AuthorizedParties []wAuthorizedParty `json:"authorizedParties"`
	}{AuthorizedParties: make([]wAuthorizedParty, 0, len(top))}
	for _, p := range top {
		out.AuthorizedParties = append(out.AuthorizedParties, *p)
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) authorizedParty(p *Party, c *caller, a *PartyAccess) *wAuthorizedParty {
	wp := &wAuthorizedParty{Party: p.URN, PartyUUID: p.UUID.String(), PartyID: p.PartyID, Name: p.Name,
		DateOfBirth: p.DateOfBirth, PartyType: p.Type, IsDeleted: p.IsDeleted, IsCurrentEndUser: p.URN == c.URN}
	if a != nil {
		wp.HasKeyRole, wp.IsMainAdministrator, wp.IsAccessManager = a.HasKeyRole, a.IsMainAdministrator, a.IsAccessManager
	}
	return wp
}
