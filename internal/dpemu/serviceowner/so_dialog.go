package serviceowner

import (
	"net/http"
	"strings"

	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
)

// dialogReq is an authorised request against one dialog of the service owner {org}.
type dialogReq struct {
	dialog *dpemu.Dialog
	claims *DialogClaims
	fault  Fault
}

// authorizeDialog checks the dialog token of r against the dialog in the path: the token must
// be valid and fresh, name this dialog (`i`) and its party (`p`), and the dialog must belong to
// {org}. It writes the refusal and returns false when any check fails. Fault responses of
// the error kind are written here too.
func (s *Side) authorizeDialog(w http.ResponseWriter, r *http.Request) (*dialogReq, bool) {
	claims, err := s.dialogTok.verify(r.Context(), bearer(r))
	if err != nil {
		s.writeAuthError(w, r, err, 0)
		return nil, false
	}
	id, err := uuid.Parse(r.PathValue("dialogId"))
	if err != nil {
		writeProblem(w, http.StatusNotFound, "No such dialog.")
		return nil, false
	}
	if !strings.EqualFold(claims.DialogID, id.String()) {
		s.writeAuthError(w, r, forbidden("dialog token is for another dialog"), 0)
		return nil, false
	}
	d, ok := s.store.Dialog(id)
	if !ok || !strings.EqualFold(d.Org, r.PathValue("org")) {
		writeProblem(w, http.StatusNotFound, "No such dialog.")
		return nil, false
	}
	if d.DeletedAt != nil {
		writeProblem(w, http.StatusGone, "The dialog has been deleted.")
		return nil, false
	}
	if !strings.EqualFold(claims.Party, d.Party) {
		s.writeAuthError(w, r, forbidden("dialog token is for another party"), 0)
		return nil, false
	}
	fault := s.faults.For(d)
	if s.faults.apply(w, r, fault) {
		return nil, false
	}
	return &dialogReq{dialog: d, claims: claims, fault: fault}, true
}

// actor is the person acting, from the token's `c` claim, with their name when known.
func (s *Side) actor(authenticated string) dpemu.Actor {
	a := dpemu.Actor{Type: dpemu.ActorPartyRepresentative, ID: authenticated}
	if pid, ok := strings.CutPrefix(strings.ToLower(authenticated), "urn:altinn:person:identifier-no:"); ok {
		if u, ok := s.store.User(pid); ok {
			a.Name = u.Name
		}
	}
	return a
}
