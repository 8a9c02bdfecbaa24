package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
)

// TestWiringCorrespondenceGuard (a wiring test: the dialog routes over the real dialog service;
// the guard itself is asserted in inbox.TestPlatformClassify and TestCorrespondenceOfAnotherDialog):
// Correspondence takes a dialog token issued for any dialog and the
// exchanged token opens every correspondence of the user, so a dialog naming another
// correspondence in its URLs must not get Innboks to read, confirm or download it.
func TestWiringCorrespondenceGuard(t *testing.T) {
	t.Parallel()
	const base = "/platform/correspondence/api/v1/correspondence/"
	tests := []struct {
		name      string
		path      string // under the service owner double
		wantOK    bool
		wantCalls int // the calls the request makes to path itself
	}{
		{"its own correspondence", base + fxCorr + "/content", true, 2},
		{"upper-case id", base + strings.ToUpper(fxCorr) + "/content", true, 2},
		{"another dialog's correspondence", base + fxCorrOther + "/content", false, 0},
		{"a correspondence without a dialog", base + fxCorrElse + "/content", false, 0},
		{"a correspondence whose dialog the user may not see", base + fxCorrForbidden + "/content", false, 0},
		{"no correspondence id", base + "not-an-id/content", false, 0},
		{"outside the recipient API", "/platform/correspondence/api/v1/attachment/" + fxCorr, false, 0},
		{"dot segments to another", base + fxCorr + "/../" + fxCorrOther + "/content", false, 0},
		{"encoded slash", base + fxCorr + "%2F..%2F" + fxCorrOther + "/content", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newWiredDialogHarness(t)
			h.dialogs.dialogs[fxDialog].Content.MainContentReference.Value = dpclient.Localizations{{Value: h.so.srv.URL + tt.path, LanguageCode: "nb"}}
			d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true}))
			shown := byTestID(d, "dialog-content").Find("h3").Text() == "Melding"
			if shown != tt.wantOK {
				t.Fatalf("content shown = %v, want %v (problem %q)", shown, tt.wantOK, byTestID(d, "content-problem").Text())
			}
			if !tt.wantOK && byTestID(d, "content-retry").Length() != 0 {
				t.Errorf("a refused correspondence offers a retry")
			}
			if n := len(h.so.callsTo(tt.path)); n != tt.wantCalls {
				t.Errorf("%d calls to %s, want %d", n, tt.path, tt.wantCalls)
			}
			if !tt.wantOK && h.exch.count() != 0 {
				t.Errorf("the ID-porten token was exchanged for a refused URL")
			}
		})
	}
}

// TestWiringCorrespondenceGuardActions (wiring, as above): a write action on another dialog's correspondence is refused
// with 403 before anything is sent to it; the dialog's own goes through, and Dialogporten is
// asked once for both actions (the answer is cached).
func TestWiringCorrespondenceGuardActions(t *testing.T) {
	t.Parallel()
	h := newWiredDialogHarness(t)
	const base = "/platform/correspondence/api/v1/correspondence/"
	d := h.dialogs.dialogs[fxDialog]
	act := &d.GuiActions[0]
	act.HTTPMethod = dpclient.HTTPMethodPost

	act.URL = h.so.srv.URL + base + fxCorrOther + "/confirm"
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
	if rec.Code != http.StatusForbidden {
		t.Errorf("confirming another dialog's correspondence: status %d, want 403", rec.Code)
	}
	if n := len(h.so.callsTo(base + fxCorrOther + "/confirm")); n != 0 {
		t.Errorf("%d confirm calls reached the other correspondence, want 0", n)
	}

	act.URL = h.so.srv.URL + base + fxCorr + "/confirm"
	before := h.dialogs.lookupCount()
	for range 2 {
		rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+act.ID, req{loggedIn: true, csrf: true, form: map[string][]string{}})
		if rec.Code != http.StatusSeeOther || strings.Contains(rec.Header().Get("Location"), "error") {
			t.Fatalf("confirming its own correspondence: status %d to %q, want 303 back to the dialog", rec.Code, rec.Header().Get("Location"))
		}
	}
	if n := h.dialogs.lookupCount() - before; n != 1 {
		t.Errorf("%d dialog lookups for two actions, want 1 (then cached)", n)
	}
	if n := len(h.so.callsTo(base + fxCorr + "/confirm")); n != 4 { // each: dialog token refused, then the Altinn token
		t.Errorf("%d confirm calls, want 4", n)
	}
}
