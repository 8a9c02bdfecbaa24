package serviceowner_test

import (
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/dpemu"
)

func TestWriteActions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		method     string
		action     string
		a          string
		wantStatus int
		check      func(t *testing.T, d *dpemu.Dialog)
	}{
		{"submit", "POST", "submit", "read;write", 204, func(t *testing.T, d *dpemu.Dialog) {
			if d.Status != dpemu.StatusCompleted {
				t.Errorf("status: got %s, want Completed", d.Status)
			}
			if got := countActivities(d, dpemu.ActivityFormSubmitted); got != 1 {
				t.Errorf("FormSubmitted: got %d, want 1", got)
			}
			last := d.Transmissions[len(d.Transmissions)-1]
			if last.Type != dpemu.TransmissionSubmission || last.Sender.ID != personURN || last.Sender.Name != "Ola Nordmann" {
				t.Errorf("last transmission: got %s by %+v, want a Submission by the user", last.Type, last.Sender)
			}
			if !d.EndUserContext.Has(dpemu.LabelSent) {
				t.Error("Sent label not set after a submission")
			}
		}},
		{"other action logs information", "POST", "remind", "write", 204, func(t *testing.T, d *dpemu.Dialog) {
			if got := countActivities(d, dpemu.ActivityInformation); got != 1 {
				t.Errorf("Information: got %d, want 1", got)
			}
			if d.Status != dpemu.StatusInProgress {
				t.Errorf("status: got %s, want InProgress", d.Status)
			}
		}},
		{"sign with the sub-resource right", "POST", "sign", "read;sign,urn:altinn:subresource:signing", 204, func(t *testing.T, d *dpemu.Dialog) {
			if got := countActivities(d, dpemu.ActivitySignatureProvided); got != 1 {
				t.Errorf("SignatureProvided: got %d, want 1", got)
			}
		}},
		{"sign without the sub-resource right", "POST", "sign", "read;sign", 403, unchanged},
		{"action not in a", "POST", "submit", "read", 403, unchanged},
		{"delete", "DELETE", "delete", "read;delete", 204, func(t *testing.T, d *dpemu.Dialog) {
			if d.DeletedAt == nil {
				t.Error("dialog not deleted")
			}
		}},
		{"wrong method", "DELETE", "submit", "read;write;delete", 404, unchanged},
		{"unknown action", "POST", "nosuch", "read;write", 404, unchanged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			before := e.dialog(e.app.ID)
			resp, body := e.do(tc.method, "/serviceowner/skd/dialogs/"+e.app.ID.String()+"/actions/"+tc.action, e.dialogToken(e.app, tc.a, nil))
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tc.wantStatus, body)
			}
			after := e.dialog(e.app.ID)
			if tc.wantStatus != 204 && after.Revision != before.Revision {
				t.Error("a refused action changed the dialog")
			}
			tc.check(t, after)
		})
	}
}

func unchanged(*testing.T, *dpemu.Dialog) {}

func TestWriteActionOnDeletedDialogIsGone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok := e.dialogToken(e.app, "read;write;delete", nil)
	path := "/serviceowner/skd/dialogs/" + e.app.ID.String() + "/actions/"
	if resp, _ := e.do("DELETE", path+"delete", tok); resp.StatusCode != 204 {
		t.Fatalf("delete: got %d, want 204", resp.StatusCode)
	}
	if resp, _ := e.do("POST", path+"submit", tok); resp.StatusCode != 410 {
		t.Errorf("action on a deleted dialog: got %d, want 410", resp.StatusCode)
	}
}

func TestActionPage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	resp, body := e.do("GET", "/serviceowner/skd/dialogs/"+e.app.ID.String()+"/actions/open", "")
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type: got %q, want text/html", ct)
	}
	for _, want := range []string{"Skatteetaten", `data-testid="action-name">open<`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q: %s", want, body)
		}
	}
	if strings.Contains(body, "Mva-melding") {
		t.Error("the tokenless page shows the dialog's title")
	}
}

func TestGetApiAction(t *testing.T) {
	t.Parallel()
	e := setup(t)
	err := e.store.UpdateDialog(e.app.ID, func(d *dpemu.Dialog) error {
		d.ApiActions = append(d.ApiActions, dpemu.ApiAction{Action: "read", Name: "getInstanceData", Endpoints: []dpemu.ApiActionEndpoint{
			{URL: e.base + "/serviceowner/skd/dialogs/" + d.ID.String() + "/actions/data", HTTPMethod: "GET"}}})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	path := "/serviceowner/skd/dialogs/" + e.app.ID.String() + "/actions/"
	resp, body := e.do("GET", path+"data", e.dialogToken(e.app, "read", nil))
	if resp.StatusCode != 200 || !strings.Contains(body, `"dialogId":"`+e.app.ID.String()+`"`) {
		t.Errorf("API action: got %d %s", resp.StatusCode, body)
	}
	if resp, _ := e.do("GET", path+"data", e.dialogToken(e.app, "write", nil)); resp.StatusCode != 403 {
		t.Errorf("API action without read: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := e.do("GET", path+"open", e.dialogToken(e.app, "read", nil)); resp.StatusCode != 404 {
		t.Errorf("a GUI-only GET with a token: got %d, want 404", resp.StatusCode)
	}
}
