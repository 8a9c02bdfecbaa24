package dpemu

import (
	"net/http"
	"regexp"
	"strings"

	"github.com/google/uuid"
)

var instanceRefPattern = regexp.MustCompile(`^urn:altinn:(instance-id:\d+/|correspondence-id:|dialog-id:)([0-9a-fA-F-]{36})$`)

// dialogLookup serves GET /enduser/dialoglookup?instanceRef=… (§4.11).
func (e *Emulator) dialogLookup(w http.ResponseWriter, r *http.Request, c *caller) {
	ref, _ := lowerParams(r.URL.Query()).one("instanceRef")
	m := instanceRefPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(ref)))
	if m == nil {
		badRequest(w, r, "InstanceRef", "'InstanceRef' must be urn:altinn:instance-id:{partyId}/{uuid}, urn:altinn:correspondence-id:{uuid} or urn:altinn:dialog-id:{uuid}.")
		return
	}
	prefs := parseAcceptLanguage(r.Header.Get("Accept-Language"))
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	var d *Dialog
	if m[1] == "dialog-id:" {
		if id, err := uuid.Parse(m[2]); err == nil {
			d = e.store.dialogs[id]
		}
	} else if id, ok := e.store.byLabel[m[0]]; ok {
		d = e.store.dialogs[id]
	}
	if d == nil || !visibleAt(d, e.now()) {
		notFound(w, r, "Dialog", ref)
		return
	}
	if !c.canList(d) {
		writeProblem(w, r, http.StatusForbidden, map[string][]string{"Forbidden": {"Forbidden"}})
		return
	}
	res := e.store.resources.byKey[d.ServiceResource]
	title := d.Content.Title.Value
	tooLow := e.levelTooLow(d, c)
	if tooLow && d.Content.NonSensitiveTitle != nil {
		title = d.Content.NonSensitiveTitle.Value
	}
	out := map[string]any{
		"dialogId":              d.ID.String(),
		"instanceRef":           ref,
		"party":                 d.Party,
		"title":                 prefs.prune(title),
		"authorizationEvidence": e.lookupEvidence(c, d, prefs), // lookup_evidence.go
	}
	if res != nil {
		out["serviceResource"] = map[string]any{"id": res.ID, "isDelegable": res.IsDelegable,
			"minimumAuthenticationLevel": res.MinimumAuthenticationLevel, "name": prefs.prune(res.Name)}
	} else {
		out["serviceResource"] = map[string]any{"id": d.ServiceResource, "isDelegable": false, "minimumAuthenticationLevel": 0, "name": []wLocalization{}}
	}
	out["serviceOwner"] = e.ownerMeta(d.Org, prefs)
	writeJSON(w, http.StatusOK, out)
}
