package serviceowner

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
)

// findGuiAction returns the dialog's GUI action whose URL is this request's path and method.
func findGuiAction(d *dpemu.Dialog, r *http.Request) (*dpemu.GuiAction, bool) {
	suffix := "/dialogs/" + strings.ToLower(d.ID.String()) + "/actions/" + r.PathValue("name")
	for i := range d.GuiActions {
		a := &d.GuiActions[i]
		path, _, _ := strings.Cut(a.URL, "?")
		if strings.HasSuffix(strings.ToLower(path), strings.ToLower(suffix)) && strings.EqualFold(a.HTTPMethod, r.Method) {
			return a, true
		}
	}
	return nil, false
}

// writeAction serves POST/DELETE /serviceowner/{org}/dialogs/{dialogId}/actions/{name}: a GUI
// write action called with the dialog token. It changes the dialog as the service owner would
// and answers 204 (or 202 for actions whose name contains "async"). An action whose name
// contains "later" answers 202 and changes the dialog LaterDelay afterwards (so_later.go).
func (s *Side) writeAction(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeDialog(w, r)
	if !ok {
		return
	}
	d := req.dialog
	ga, ok := findGuiAction(d, r)
	if !ok {
		writeProblem(w, http.StatusNotFound, "No such action on this dialog.")
		return
	}
	if !req.claims.AllowsAttr(ga.Action, ga.AuthorizationAttribute) {
		s.writeAuthError(w, r, forbidden("dialog token does not grant "+ga.Action), 0)
		return
	}
	if isLater(r.PathValue("name")) && !ga.IsDeleteDialogAction && ga.HTTPMethod != http.MethodDelete {
		s.performLater(d.ID, s.actor(req.claims.Actor)) // so_later.go
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusAccepted)
		return
	}
	if err := s.perform(d, ga, r.PathValue("name"), s.actor(req.claims.Actor)); err != nil {
		s.log.ErrorContext(r.Context(), "serviceowner: action failed", "action", ga.Action, "err", err)
		writeProblem(w, http.StatusInternalServerError, "The action could not be carried out.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.Contains(strings.ToLower(r.PathValue("name")), "async") {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// perform applies a GUI action's effect. The action's name decides what a service owner would
// do: delete actions delete the dialog; "submit"/"send" add a Submission transmission and a
// FormSubmitted activity and complete the dialog; "sign" and "pay" add SignatureProvided or
// PaymentMade; anything else logs an Information activity and marks the dialog in progress.
func (s *Side) perform(d *dpemu.Dialog, ga *dpemu.GuiAction, name string, by dpemu.Actor) error {
	if ga.IsDeleteDialogAction || ga.HTTPMethod == http.MethodDelete {
		return s.store.DeleteDialog(d.ID)
	}
	n := strings.ToLower(name)
	title := textIn(ga.Title, "nb")
	describe := dpemu.Text{{LanguageCode: "nb", Value: "Handlingen «" + title + "» ble utført."},
		{LanguageCode: "en", Value: "The action “" + textIn(ga.Title, "en") + "” was carried out."}}
	switch {
	case strings.Contains(n, "submit") || strings.Contains(n, "send"):
		t, err := s.store.AddTransmission(d.ID, dpemu.Transmission{
			Type:   dpemu.TransmissionSubmission,
			Sender: by,
			Title: dpemu.ContentValue{MediaType: dpemu.MediaTextPlain, Value: dpemu.Text{
				{LanguageCode: "nb", Value: "Innsending"}, {LanguageCode: "en", Value: "Submission"}}},
		})
		if err != nil {
			return fmt.Errorf("serviceowner: submit: %w", err)
		}
		tid := t.ID
		if _, err := s.store.AddActivity(d.ID, dpemu.Activity{Type: dpemu.ActivityFormSubmitted, TransmissionID: &tid, PerformedBy: by}); err != nil {
			return fmt.Errorf("serviceowner: submit: %w", err)
		}
		return s.store.SetStatus(d.ID, dpemu.StatusCompleted, d.ExtendedStatus)
	case strings.Contains(n, "sign"):
		_, err := s.store.AddActivity(d.ID, dpemu.Activity{Type: dpemu.ActivitySignatureProvided, PerformedBy: by})
		return err
	case strings.Contains(n, "pay"):
		if _, err := s.store.AddActivity(d.ID, dpemu.Activity{Type: dpemu.ActivityPaymentMade, PerformedBy: by}); err != nil {
			return err
		}
		return s.store.SetStatus(d.ID, dpemu.StatusCompleted, d.ExtendedStatus)
	default:
		if _, err := s.store.AddActivity(d.ID, dpemu.Activity{Type: dpemu.ActivityInformation, PerformedBy: by, Description: describe}); err != nil {
			return err
		}
		switch d.Status {
		case dpemu.StatusNotApplicable, dpemu.StatusDraft, dpemu.StatusRequiresAttention:
			return s.store.SetStatus(d.ID, dpemu.StatusInProgress, d.ExtendedStatus)
		}
		return nil
	}
}

// actionPage serves GET /serviceowner/{org}/dialogs/{dialogId}/actions/{name}. With a bearer
// token it is a GET API action (e.g. getInstanceData) and answers the instance's data as JSON;
// without one it is the service owner's own page that a navigational GUI action opens in the
// browser, which shows nothing about the dialog beyond its owner and the action.
func (s *Side) actionPage(w http.ResponseWriter, r *http.Request) {
	if bearer(r) != "" {
		s.apiData(w, r)
		return
	}
	org, name := r.PathValue("org"), r.PathValue("name")
	owner := strings.ToUpper(org)
	if so, ok := s.store.ServiceOwner(org); ok {
		owner = textIn(so.Name, pickLang(r))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	e := html.EscapeString
	fmt.Fprintf(w, `<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>%s – %s</title></head>
<body data-testid="serviceowner-action-page">
<h1>%s</h1>
<p>Dette er tjenesteeierens egen side for handlingen <strong data-testid="action-name">%s</strong> (emulert).</p>
<p>This is the service owner's own page for the action above (emulated).</p>
</body></html>
`, e(owner), e(name), e(owner), e(name))
}

// findApiEndpoint returns the API action with an endpoint at this request's path and method.
func findApiEndpoint(d *dpemu.Dialog, r *http.Request) (*dpemu.ApiAction, bool) {
	suffix := strings.ToLower("/dialogs/" + d.ID.String() + "/actions/" + r.PathValue("name"))
	for i := range d.ApiActions {
		for _, e := range d.ApiActions[i].Endpoints {
			path, _, _ := strings.Cut(e.URL, "?")
			if strings.HasSuffix(strings.ToLower(path), suffix) && strings.EqualFold(e.HTTPMethod, r.Method) {
				return &d.ApiActions[i], true
			}
		}
	}
	return nil, false
}

// instanceData is what a GET API action answers: the app instance behind the dialog.
type instanceData struct {
	DialogID string `json:"dialogId"`
	Org      string `json:"org"`
	Status   string `json:"status"`
	Process  string `json:"process,omitempty"`
	Progress *int   `json:"progress,omitempty"`
	Updated  string `json:"lastChanged"`
}

func (s *Side) apiData(w http.ResponseWriter, r *http.Request) {
	req, ok := s.authorizeDialog(w, r)
	if !ok {
		return
	}
	d := req.dialog
	a, ok := findApiEndpoint(d, r)
	if !ok {
		writeProblem(w, http.StatusNotFound, "No such API action on this dialog.")
		return
	}
	if !req.claims.AllowsAttr(a.Action, a.AuthorizationAttribute) {
		s.writeAuthError(w, r, forbidden("dialog token does not grant "+a.Action), 0)
		return
	}
	writeJSON(w, http.StatusOK, instanceData{DialogID: d.ID.String(), Org: d.Org, Status: string(d.Status), Process: d.Process,
		Progress: d.Progress, Updated: d.UpdatedAt.UTC().Format(time.RFC3339)})
}
