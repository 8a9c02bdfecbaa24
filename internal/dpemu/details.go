package dpemu

import (
	"net/http"

	"github.com/google/uuid"
)

// access outcomes for a dialog request.
const (
	accessOK = iota
	accessNotFound
	accessForbidden
	accessDeleted
	accessLevelTooLow
	accessNotVisible
	accessExpired
)

// checkAccess applies §4.2's order of checks. The caller holds the store's read lock.
func (e *Emulator) checkAccess(d *Dialog, c *caller) int {
	now := e.now()
	switch {
	case d == nil:
		return accessNotFound
	case !c.canList(d):
		return accessForbidden
	case d.DeletedAt != nil:
		return accessDeleted
	case e.levelTooLow(d, c):
		return accessLevelTooLow
	case d.VisibleFrom != nil && d.VisibleFrom.After(now):
		return accessNotVisible
	case d.ExpiresAt != nil && !d.ExpiresAt.After(now):
		return accessExpired
	}
	return accessOK
}

// writeAccessError answers a failed check. Sub-resource endpoints (sub=true) hide existence:
// no access is 404 there, as upstream does.
func (e *Emulator) writeAccessError(w http.ResponseWriter, r *http.Request, d *Dialog, outcome int, id string, sub bool) {
	switch outcome {
	case accessNotFound:
		notFound(w, r, "DialogEntity", id)
	case accessForbidden:
		if sub {
			notFound(w, r, "DialogEntity", id)
			return
		}
		writeProblem(w, r, http.StatusForbidden, map[string][]string{"Forbidden": {"Forbidden"}})
	case accessDeleted:
		writeProblem(w, r, http.StatusGone, map[string][]string{"DialogEntity": {"Entity 'DialogEntity' with key '" + id + "' is removed: (" + id + ")."}})
	case accessLevelTooLow:
		writeProblem(w, r, http.StatusForbidden, map[string][]string{"Forbidden": {"Altinn authentication level too low."}})
	case accessNotVisible:
		w.Header().Set("Expires", d.VisibleFrom.UTC().Format(http.TimeFormat))
		notFound(w, r, "DialogEntity", id)
	case accessExpired:
		writeProblem(w, r, http.StatusNotFound, map[string][]string{"DialogEntity": {"Dialog expired at " + formatTS(*d.ExpiresAt) + "."}})
	}
}

// dialogScope says how an endpoint treats a caller without access to the dialog.
type dialogScope int

const (
	scopeDialog  dialogScope = iota // details, labels: list access suffices; none is 403
	scopeSub                        // seen log, label log: list access suffices; none is 404
	scopeSubRead                    // activities, transmissions (§4.3, §4.4): read access needed; none is 404
)

// withDialog loads the dialog named by {dialogId} under the read lock and runs fn when the
// caller may see it under scope; otherwise it writes the error.
func (e *Emulator) withDialog(w http.ResponseWriter, r *http.Request, c *caller, scope dialogScope, fn func(d *Dialog, v view)) {
	raw := r.PathValue("dialogId")
	id, err := uuid.Parse(raw)
	if err != nil {
		notFound(w, r, "DialogEntity", raw)
		return
	}
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	d := e.store.dialogs[id]
	o := e.checkAccess(d, c)
	if scope == scopeSubRead && o != accessNotFound && !c.can(d.Party, d.ServiceResource, "read") {
		o = accessForbidden
	}
	if o != accessOK {
		e.writeAccessError(w, r, d, o, id.String(), scope != scopeDialog)
		return
	}
	fn(d, view{e: e, c: c, prefs: parseAcceptLanguage(r.Header.Get("Accept-Language")), now: e.now()})
}

// getDialog serves GET /enduser/dialogs/{dialogId} (§4.2): records "seen" first, then answers
// with the new state, a fresh dialog token and ETag = revision.
func (e *Emulator) getDialog(w http.ResponseWriter, r *http.Request, c *caller) {
	ok := false
	var id uuid.UUID
	e.withDialog(w, r, c, scopeDialog, func(d *Dialog, _ view) { ok, id = true, d.ID })
	if !ok {
		return
	}
	if _, _, err := e.store.RecordSeen(id, c.actor(), false); err != nil {
		e.log.ErrorContext(r.Context(), "dpemu: record seen", "err", err)
	}
	// The answer is built under the read lock; the token is signed and the JSON written after
	// it is released, so a writer (and every reader queued behind it) does not wait for either.
	var (
		claims DialogTokenClaims
		out    wDetailsDialog
		etag   string
	)
	ok = false
	e.withDialog(w, r, c, scopeDialog, func(d *Dialog, v view) {
		ok = true
		claims = DialogTokenClaims{Caller: c.URN, Level: c.AuthLevel, Party: d.Party,
			Resource: d.ServiceResource, DialogID: d.ID.String(), Actions: v.authorizedActions(d)}
		out, etag = v.details(d, ""), d.Revision.String()
	})
	if !ok {
		return
	}
	token, err := e.dtokens.Sign(claims, e.now())
	if err != nil {
		writeProblem(w, r, http.StatusInternalServerError, nil)
		return
	}
	out.DialogToken = token
	w.Header().Set("ETag", etag)
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) listActivities(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSubRead, func(d *Dialog, v view) {
		out := make([]wActivity, 0, len(d.Activities))
		for _, a := range sortedActivities(d) {
			out = append(out, v.activity(a, false))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (e *Emulator) getActivity(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSubRead, func(d *Dialog, v view) {
		raw := r.PathValue("activityId")
		for _, a := range d.Activities {
			if a.ID.String() == raw {
				writeJSON(w, http.StatusOK, v.activity(a, true))
				return
			}
		}
		notFound(w, r, "DialogActivity", raw)
	})
}

func (e *Emulator) listTransmissions(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSubRead, func(d *Dialog, v view) {
		out := make([]wTransmission, 0, len(d.Transmissions))
		for _, t := range sortedTransmissions(d) {
			out = append(out, v.transmission(d, t, false))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (e *Emulator) getTransmission(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSubRead, func(d *Dialog, v view) {
		raw := r.PathValue("transmissionId")
		for _, t := range d.Transmissions {
			if t.ID.String() == raw {
				writeJSON(w, http.StatusOK, v.transmission(d, t, false))
				return
			}
		}
		notFound(w, r, "DialogTransmission", raw)
	})
}

func (e *Emulator) listSeenLog(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSub, func(d *Dialog, v view) {
		out := make([]wSeenLog, 0, len(d.SeenLog))
		for _, s := range d.SeenLog {
			out = append(out, v.seenLog(s))
		}
		writeJSON(w, http.StatusOK, out)
	})
}

func (e *Emulator) getSeenLog(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSub, func(d *Dialog, v view) {
		raw := r.PathValue("seenLogId")
		for _, s := range d.SeenLog {
			if s.ID.String() == raw {
				writeJSON(w, http.StatusOK, v.seenLog(s))
				return
			}
		}
		notFound(w, r, "DialogSeenLog", raw)
	})
}

func (e *Emulator) listLabelLog(w http.ResponseWriter, r *http.Request, c *caller) {
	e.withDialog(w, r, c, scopeSub, func(d *Dialog, v view) {
		out := make([]wLabelLog, 0, len(d.EndUserContext.LabelLog))
		for _, l := range d.EndUserContext.LabelLog {
			out = append(out, wLabelLog{CreatedAt: ts(l.CreatedAt), Name: l.Name, Action: l.Action, PerformedBy: e.mask.actor(l.PerformedBy)})
		}
		writeJSON(w, http.StatusOK, out)
	})
}
