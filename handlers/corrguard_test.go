package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
)

// TestCorrespondenceGuard: Correspondence takes any dialog token that grants read and the
// exchanged token opens every correspondence of the user, so a dialog naming another
// correspondence in its URLs must not get Innboks to read, confirm or download it.
func TestCorrespondenceGuard(t *testing.T) {
	t.Parallel()
	const base = "/platform/correspondence/api/v1/correspondence/"
	tests := []struct {
		name   string
		path   string // under the service owner double
		wantOK bool
		// wantCalls: the calls the request may make to path itself
		wantCalls int
	}{
		{"its own correspondence", base + fxCorr + "/content", true, 2},
		{"another service's correspondence", base + fxCorrOther + "/content", false, 0},
		{"another recipient's correspondence", base + fxCorrElse + "/content", false, 0},
		{"no correspondence id", base + "not-an-id/content", false, 0},
		{"outside the recipient API", "/platform/correspondence/api/v1/attachment/" + fxCorr, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newDialogHarness(t)
			h.dialogs.dialogs[fxDialog].Content.MainContentReference.Value = dpclient.Localizations{{Value: h.so.srv.URL + tt.path, LanguageCode: "nb"}}
			d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true}))
			shown := byTestID(d, "dialog-content").Find("h3").Text() == "Melding"
			if shown != tt.wantOK {
				t.Fatalf("content shown = %v, want %v (problem %q)", shown, tt.wantOK, byTestID(d, "content-problem").Text())
			}
			if !tt.wantOK && byTestID(d, "content-problem").Find("button, a[href*='retry'], [data-testid='content-retry']").Length() != 0 {
				t.Errorf("a refused correspondence offers a retry")
			}
			if n := len(h.so.callsTo(tt.path)); n != tt.wantCalls {
				t.Errorf("%d calls to %s, want %d", n, tt.path, tt.wantCalls)
			}
		})
	}
}

// TestCorrespondenceGuardActions: a write action (GUI or API) on another service's
// correspondence is refused with 403 before anything is sent to it; the dialog's own goes
// through, and the overview is read once for both actions (cached).
func TestCorrespondenceGuardActions(t *testing.T) {
	t.Parallel()
	h := newDialogHarness(t)
	const base = "/platform/correspondence/api/v1/correspondence/"
	d := h.dialogs.dialogs[fxDialog]
	act := &d.GuiActions[0]
	act.HTTPMethod = dpclient.HTTPMethodPost

	act.URL = h.so.srv.URL + base + fxCorrOther + "/confirm"
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("confirming another service's correspondence: status %d, want 403", rec.Code)
	}
	if n := len(h.so.callsTo(base + fxCorrOther + "/confirm")); n != 0 {
		t.Errorf("%d confirm calls reached the other correspondence, want 0", n)
	}

	act.URL = h.so.srv.URL + base + fxCorr + "/confirm"
	for range 2 {
		rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
		if rec.Code != http.StatusSeeOther || strings.Contains(rec.Header().Get("Location"), "error") {
			t.Fatalf("confirming its own correspondence: status %d to %q, want 303 back to the dialog", rec.Code, rec.Header().Get("Location"))
		}
	}
	if n := len(h.so.callsTo(base + fxCorr)); n != 2 { // dialog token refused, then the Altinn token: once
		t.Errorf("%d overview calls for two actions, want 2 (one learning, then cached)", n)
	}
}

func TestSameParty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		recipient, party string
		want             bool
	}{
		{"urn:altinn:organization:identifier-no:310000001", "urn:altinn:organization:identifier-no:310000001", true},
		{"0192:310000001", "urn:altinn:organization:identifier-no:310000001", true},
		{"310000001", "urn:altinn:organization:identifier-no:310000001", true},
		{"0192:310000002", "urn:altinn:organization:identifier-no:310000001", false},
		{"urn:altinn:person:identifier-no:01017012345", "urn:altinn:person:identifier-no:01017012345", true},
		{"", "urn:altinn:person:identifier-no:01017012345", false},
		{"urn:x:", "urn:y:", false},
	}
	for _, tt := range tests {
		if got := sameParty(tt.recipient, tt.party); got != tt.want {
			t.Errorf("sameParty(%q, %q) = %v, want %v", tt.recipient, tt.party, got, tt.want)
		}
	}
}
