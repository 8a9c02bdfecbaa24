package dpemu

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

type wLabelRequest struct {
	AddLabels    []string `json:"addLabels"`
	RemoveLabels []string `json:"removeLabels"`
	SystemLabels []string `json:"systemLabels"` // obsolete alias of addLabels
}

type wBulkRequest struct {
	Dialogs []struct {
		DialogID               string `json:"dialogId"`
		EndUserContextRevision string `json:"endUserContextRevision"`
	} `json:"dialogs"`
	wLabelRequest
}

// labelChange converts the request into a LabelChange, validating the label names.
func (req wLabelRequest) labelChange(errs validation) LabelChange {
	var c LabelChange
	conv := func(in []string, key string) []SystemLabel {
		var out []SystemLabel
		for _, s := range in {
			l, ok := parseEnum(s, LabelDefault, LabelBin, LabelArchive, LabelMarkedAsUnopened, LabelSent)
			if !ok {
				errs.add(key, "'%s' is not a valid system label.", s)
			}
			out = append(out, l)
		}
		return out
	}
	c.Add = conv(append(req.AddLabels, req.SystemLabels...), "AddLabels")
	c.Remove = conv(req.RemoveLabels, "RemoveLabels")
	if err := c.Validate(); err != nil && len(errs) == 0 {
		errs.add("SystemLabels", "%s", strings.TrimPrefix(err.Error(), ErrInvalid.Error()+": "))
	}
	return c
}

func decodeBody(r *http.Request, v any) error {
	return json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(v)
}

// setSystemLabels serves PUT /enduser/dialogs/{dialogId}/context/systemlabels (§4.7).
func (e *Emulator) setSystemLabels(w http.ResponseWriter, r *http.Request, c *caller) {
	var req wLabelRequest
	if err := decodeBody(r, &req); err != nil {
		badRequest(w, r, "body", "The request body is not valid JSON.")
		return
	}
	errs := validation{}
	change := req.labelChange(errs)
	var ifMatch *uuid.UUID
	if h := strings.Trim(r.Header.Get("If-Match"), `" `); h != "" {
		u, err := uuid.Parse(h)
		if err != nil {
			errs.add("IfMatchEndUserContextRevision", "'%s' is not a valid revision.", h)
		}
		ifMatch = &u
	}
	if len(errs) > 0 {
		writeProblem(w, r, http.StatusBadRequest, errs)
		return
	}
	ok := false
	var id uuid.UUID
	e.withDialog(w, r, c, scopeDialog, func(d *Dialog, _ view) { ok, id = true, d.ID })
	if !ok {
		return
	}
	rev, err := e.store.SetSystemLabels(id, c.actor(), change, ifMatch)
	switch {
	case errors.Is(err, ErrPreconditionFailed):
		writeProblem(w, r, http.StatusPreconditionFailed, nil)
	case errors.Is(err, ErrDeleted):
		writeProblem(w, r, http.StatusGone, nil)
	case errors.Is(err, ErrNotFound):
		notFound(w, r, "DialogEntity", id.String())
	case err != nil:
		badRequest(w, r, "SystemLabels", err.Error())
	default:
		w.Header().Set("Etag", rev.String())
		w.WriteHeader(http.StatusNoContent)
	}
}

// bulkSetSystemLabels serves POST /enduser/dialogs/context/systemlabels/actions/bulkset (§4.8).
func (e *Emulator) bulkSetSystemLabels(w http.ResponseWriter, r *http.Request, c *caller) {
	var req wBulkRequest
	if err := decodeBody(r, &req); err != nil {
		badRequest(w, r, "body", "The request body is not valid JSON.")
		return
	}
	errs := validation{}
	change := req.labelChange(errs)
	if n := len(req.Dialogs); n < 1 || n > 100 {
		errs.add("Dialogs", "Between 1 and 100 dialogs must be given.")
	}
	items := make([]BulkItem, 0, len(req.Dialogs))
	seen := map[uuid.UUID]bool{}
	for _, d := range req.Dialogs {
		id, err := uuid.Parse(d.DialogID)
		if err != nil {
			errs.add("Dialogs", "'%s' is not a valid dialog id.", d.DialogID)
			continue
		}
		if seen[id] {
			errs.add("Dialogs", "Dialog ids must be unique.")
		}
		seen[id] = true
		it := BulkItem{DialogID: id}
		if d.EndUserContextRevision != "" {
			rev, err := uuid.Parse(d.EndUserContextRevision)
			if err != nil {
				errs.add("Dialogs", "'%s' is not a valid revision.", d.EndUserContextRevision)
			}
			it.Revision = &rev
		}
		items = append(items, it)
	}
	if len(errs) > 0 {
		writeProblem(w, r, http.StatusBadRequest, errs)
		return
	}
	err := e.store.BulkSetSystemLabels(items, c.actor(), change, func(d *Dialog) bool {
		return e.checkAccess(d, c) == accessOK
	})
	switch {
	case errors.Is(err, ErrPreconditionFailed):
		writeProblem(w, r, http.StatusPreconditionFailed, nil)
	case errors.Is(err, ErrNotFound):
		notFound(w, r, "DialogEntity", "one or more of the given dialogs")
	case err != nil:
		badRequest(w, r, "SystemLabels", err.Error())
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}
