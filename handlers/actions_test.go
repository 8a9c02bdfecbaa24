package handlers

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestProxyAct(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		action   string
		form     map[string][]string
		status   int
		location string
		acted    bool // the service was asked to carry it out (its call: inbox.TestDialogsActPost)
	}{
		{"post action", fxActPrimary, nil, http.StatusSeeOther, "/dialogs/" + fxDialog + "?done=action", true},
		{"async action", fxActAsync, nil, http.StatusSeeOther, "/dialogs/" + fxDialog + "?done=async", true},
		{"prompted, confirmed", fxActPrompt, map[string][]string{"confirmed": {"1"}}, http.StatusSeeOther, "/dialogs/" + fxDialog + "?done=action", true},
		{"prompted, not confirmed", fxActPrompt, nil, http.StatusSeeOther, "/dialogs/" + fxDialog + "/actions/" + fxActPrompt, false},
		{"delete action", fxActDelete, map[string][]string{"confirmed": {"1"}}, http.StatusSeeOther, "/inbox?party=" + selfUUID, true},
		{"get action", fxActGet, nil, http.StatusSeeOther, "https://skjema.example.no/open", true},
		{"unauthorized", fxActNoAuth, nil, http.StatusForbidden, "", false},
		{"unknown", "0190fbd7-2222-7000-8000-0000000000ff", nil, http.StatusSeeOther, "/dialogs/" + fxDialog + "?done=stale", false},
		{"malformed", "submit", nil, http.StatusNotFound, "", false},
		{"service owner down", fxActDown, nil, http.StatusBadGateway, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newDialogPageHarness(t)
			form := map[string][]string{}
			for k, v := range tt.form {
				form[k] = v
			}
			rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+tt.action, req{loggedIn: true, csrf: true, form: form})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if got := rec.Header().Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			var want []string
			if tt.acted {
				want = []string{fxDialog + "/" + tt.action}
			}
			if got := h.dialogs.done(); !slices.Equal(got, want) {
				t.Errorf("carried out %v, want %v", got, want)
			}
			if tt.status == http.StatusBadGateway {
				if got, _ := byTestID(doc(t, rec), "error").Attr("data-kind"); got != "serviceOwner" {
					t.Errorf("error kind = %q, want serviceOwner", got)
				}
			}
		})
	}
}

func TestProxyHTMXLeavesTheDialogWithHXRedirect(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	// A boosted form whose result is another page than the dialog: htmx must navigate, not
	// follow a 303 into a fragment or another origin.
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+fxActDelete, req{loggedIn: true, csrf: true, htmx: true, form: map[string][]string{"confirmed": {"1"}}})
	if rec.Code != http.StatusNoContent || rec.Header().Get("HX-Redirect") != "/inbox?party="+selfUUID {
		t.Errorf("delete via htmx: %d HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
	}
	rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, htmx: true, form: map[string][]string{"action": {"unread"}}})
	if rec.Code != http.StatusNoContent || rec.Header().Get("HX-Redirect") != "/inbox" {
		t.Errorf("unread via htmx: %d HX-Redirect %q", rec.Code, rec.Header().Get("HX-Redirect"))
	}
	rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/actions/"+fxActPrimary, req{loggedIn: true, csrf: true, htmx: true, form: map[string][]string{}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("HX-Redirect") != "" {
		t.Errorf("back to the dialog via htmx: %d, want a plain 303", rec.Code)
	}
}

func TestProxyRefusals(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	tests := []struct {
		name   string
		path   string
		r      req
		status int
	}{
		{"no CSRF token", "/dialogs/" + fxDialog + "/actions/" + fxActPrimary, req{loggedIn: true, form: map[string][]string{}}, http.StatusForbidden},
		{"cross-site", "/dialogs/" + fxDialog + "/actions/" + fxActPrimary, req{loggedIn: true, csrf: true, form: map[string][]string{}, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}}, http.StatusForbidden},
		{"not logged in", "/dialogs/" + fxDialog + "/actions/" + fxActPrimary, req{csrf: true, form: map[string][]string{}}, http.StatusSeeOther},
		// An action id that exists, but on another dialog than the one named.
		{"action of another dialog", "/dialogs/" + fxOtherDialog + "/actions/" + fxActAsync, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusSeeOther},
		// A dialog of a party the user does not act for, with a valid action id.
		{"dialog of another party", "/dialogs/" + fxForeign + "/actions/" + fxActPrimary, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusNotFound},
		{"crafted dialog id", "/dialogs/" + fxDialog + "%2F..%2Fx/actions/" + fxActPrimary, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusNotFound},
		{"api download is not run", "/dialogs/" + fxDialog + "/api-actions/" + fxAPIDownload, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusForbidden},
		{"api purge is not offered", "/dialogs/" + fxDialog + "/api-actions/" + fxAPIPurge, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusForbidden},
		{"api unknown", "/dialogs/" + fxDialog + "/api-actions/" + fxActPrimary, req{loggedIn: true, csrf: true, form: map[string][]string{}}, http.StatusSeeOther},
	}
	for _, tt := range tests {
		rec := h.do(http.MethodPost, tt.path, tt.r)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, rec.Code, tt.status)
		}
	}
	if got := h.dialogs.done(); len(got) != 0 {
		t.Errorf("refused requests carried out %v, want nothing", got)
	}
}

func TestProxyAPIActions(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	// The calls themselves, with the dialog token: inbox.TestDialogsAPIAct.
	for _, id := range []string{fxAPIConfirm, fxAPIRead} {
		rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/api-actions/"+id, req{loggedIn: true, csrf: true, form: map[string][]string{}})
		if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dialogs/"+fxDialog+"?done=action" {
			t.Errorf("%s: status %d to %q", id, rec.Code, rec.Header().Get("Location"))
		}
	}
	if got, want := h.dialogs.done(), []string{fxDialog + "/" + fxAPIConfirm, fxDialog + "/" + fxAPIRead}; !slices.Equal(got, want) {
		t.Errorf("carried out %v, want %v", got, want)
	}
}

func TestConfirmPage(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/actions/"+fxActDelete, req{loggedIn: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if got := byTestID(d, "confirm-prompt").Text(); got != "Slette for godt?" {
		t.Errorf("prompt = %q", got)
	}
	form := byTestID(d, "confirm-form")
	if got, _ := form.Attr("action"); got != "/dialogs/"+fxDialog+"/actions/"+fxActDelete {
		t.Errorf("form action = %q", got)
	}
	if got, _ := form.Attr("method"); got != "post" {
		t.Errorf("form method = %q", got)
	}
	if v, _ := form.Find(`input[name="confirmed"]`).Attr("value"); v != "1" || form.Find(`input[name="csrf"]`).Length() != 1 {
		t.Errorf("form lacks confirmed=1 or csrf")
	}
	if got, _ := byTestID(d, "confirm-yes").Attr("data-color"); got != "danger" {
		t.Errorf("delete confirmation color = %q", got)
	}
	if got, _ := byTestID(d, "confirm-cancel").Attr("href"); got != "/dialogs/"+fxDialog {
		t.Errorf("cancel = %q", got)
	}
	if rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/actions/"+fxActNoAuth, req{loggedIn: true}); rec.Code != http.StatusForbidden {
		t.Errorf("confirm page of an unauthorized action: %d, want 403", rec.Code)
	}
	if strings.Contains(rec.Body.String(), fxSO) {
		t.Errorf("confirmation page shows the service owner's URL")
	}
}
