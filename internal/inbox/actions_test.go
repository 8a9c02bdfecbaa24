package inbox

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// TestDialogsActGet: a GET action is navigation: its URL comes back for the browser and
// nothing is called.
func TestDialogsActGet(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	a, err := h.svc.GUIAction(h.d, svActGet)
	if err != nil {
		t.Fatalf("GUIAction: %v", err)
	}
	res, err := h.svc.Act(t.Context(), h.user, h.d, a)
	if err != nil {
		t.Fatalf("Act: %v", err)
	}
	if want := (ActResult{Navigate: "https://forms.example.no/open?case=1"}); *res != want {
		t.Errorf("got %+v, want %+v", *res, want)
	}
	svNoCall(t, h.so, 0, "a GET action")
	if got := len(h.dp.calls("")); got != 0 {
		t.Errorf("Dialogporten got %d calls, want none", got)
	}
}

// TestDialogsActPost: a write action is called with its method, the dialog token and no body;
// 202 is Accepted, 204 is done, a failing service owner is its error.
func TestDialogsActPost(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	tests := []struct {
		id, path string
		want     ActResult
		wantErr  error
	}{
		{svActPost, "/act/submit", ActResult{}, nil},
		{svActAsync, "/act/async", ActResult{Accepted: true}, nil},
	}
	for _, tt := range tests {
		// The id is matched case-insensitively, as the dialog page may send it either way.
		a, err := h.svc.GUIAction(h.d, strings.ToUpper(tt.id))
		if err != nil {
			t.Fatalf("%s: GUIAction: %v", tt.path, err)
		}
		res, err := h.svc.Act(t.Context(), h.user, h.d, a)
		if err != nil {
			t.Fatalf("%s: Act: %v", tt.path, err)
		}
		if *res != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.path, *res, tt.want)
		}
		calls := h.so.calls(tt.path)
		if len(calls) != 1 {
			t.Fatalf("%s: got %d calls, want 1", tt.path, len(calls))
		}
		c := calls[0]
		if c.Method != http.MethodPost || c.Header.Get("Authorization") != "Bearer "+svDialogToken || len(c.Body) != 0 {
			t.Errorf("%s: got %s with %q and a %d-byte body, want POST with the dialog token and no body",
				tt.path, c.Method, c.Header.Get("Authorization"), len(c.Body))
		}
	}
	fail := &dpclient.GuiAction{ID: svActPost, URL: h.so.srv.URL + "/act/fail", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost}
	if _, err := h.svc.Act(t.Context(), h.user, h.d, fail); !errors.Is(err, outbound.ErrUnavailable) {
		t.Errorf("a failing service owner: got %v, want ErrUnavailable", err)
	}
	if got := h.dp.exchanges(); got != 0 {
		t.Errorf("got %d token exchanges, want none", got)
	}
}

// TestDialogsActRefusals: what the dialog lacks, marks as unauthorized or the fence would not
// call is refused by GUIAction (the click path) and by Act, with no call.
func TestDialogsActRefusals(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	tests := []struct {
		name, id string
		want     error
	}{
		{"malformed id", "../../inbox/bulk", ErrNotFound},
		{"an id the dialog lacks", svActMissing, ErrActionGone},
		{"not authorized", svActNoAuth, ErrNotAuthorized},
		{"plain http", svActHTTP, outbound.ErrURLRefused},
	}
	for _, tt := range tests {
		a, err := h.svc.GUIAction(h.d, tt.id)
		if a != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: GUIAction = %v, %v; want %v", tt.name, a, err, tt.want)
		}
	}
	for _, tt := range []struct {
		name string
		a    *dpclient.GuiAction
		want error
	}{
		{"not authorized", svGUIAction(t, h.d, svActNoAuth), ErrNotAuthorized},
		{"authorized but a placeholder URL", &dpclient.GuiAction{ID: svActPost, URL: dpclient.URLUnauthorized, IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost}, ErrNotAuthorized},
		{"plain http", svGUIAction(t, h.d, svActHTTP), outbound.ErrURLRefused},
		{"an id that is no UUID", &dpclient.GuiAction{ID: "../x", URL: h.so.srv.URL + "/act/submit", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost}, ErrNotOffered},
		{"a method the fence never sends", &dpclient.GuiAction{ID: svActPost, URL: h.so.srv.URL + "/act/submit", IsAuthorized: true, HTTPMethod: "TRACE"}, outbound.ErrURLRefused},
	} {
		if err := h.svc.GUIActionRefusal(tt.a); !errors.Is(err, tt.want) {
			t.Errorf("%s: GUIActionRefusal = %v, want %v", tt.name, err, tt.want)
		}
		res, err := h.svc.Act(t.Context(), h.user, h.d, tt.a)
		if res != nil || !errors.Is(err, tt.want) {
			t.Errorf("%s: Act = %+v, %v; want %v", tt.name, res, err, tt.want)
		}
	}
	if err := h.svc.Permits(http.MethodPost, h.so.plain.URL+"/act/submit"); !errors.Is(err, outbound.ErrURLRefused) {
		t.Errorf("Permits(plain http) = %v, want ErrURLRefused", err)
	}
	svNoCall(t, h.so, 0, "refused actions")
}

// TestDialogsAPIAct: fetching and confirming are run with the dialog token (the answer's body
// unread); purges, downloads, unauthorized and missing actions are refused with no call.
func TestDialogsAPIAct(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	for _, tt := range []struct{ id, method, path string }{
		{svAPIRead, http.MethodGet, "/api/c1"},
		{svAPIConfirm, http.MethodPost, "/api/c1/confirm"},
	} {
		if err := h.svc.APIAct(t.Context(), h.user, h.d, tt.id); err != nil {
			t.Errorf("%s %s: %v", tt.method, tt.path, err)
			continue
		}
		calls := h.so.calls(tt.path)
		if len(calls) != 1 || calls[0].Method != tt.method || calls[0].Header.Get("Authorization") != "Bearer "+svDialogToken {
			t.Errorf("%s %s: got calls %+v, want one %s with the dialog token", tt.method, tt.path, calls, tt.method)
		}
	}
	before := h.so.total()
	for _, tt := range []struct {
		name, id string
		want     error
	}{
		{"purge", svAPIPurge, ErrNotOffered},
		{"download", svAPIDownload, ErrNotOffered},
		{"not authorized", svAPINoAuth, ErrNotAuthorized},
		{"an id the dialog lacks", svActMissing, ErrActionGone},
		{"malformed id", "purge", ErrNotFound},
	} {
		if err := h.svc.APIAct(t.Context(), h.user, h.d, tt.id); !errors.Is(err, tt.want) {
			t.Errorf("%s: APIAct = %v, want %v", tt.name, err, tt.want)
		}
	}
	svNoCall(t, h.so, before, "refused API actions")
	if got := len(h.so.calls("/api/c1/purge")); got != 0 {
		t.Errorf("purge got %d calls, want none", got)
	}
	for _, a := range h.d.APIActions {
		wantOffered := a.ID == svAPIRead || a.ID == svAPIConfirm || a.ID == svAPICorr
		if err := h.svc.APIActionRefusal(a); (err == nil) != wantOffered {
			t.Errorf("APIActionRefusal(%s %s) = %v, want offered %v", a.Endpoints[0].HTTPMethod, a.Endpoints[0].URL, err, wantOffered)
		}
	}
}

// TestDialogsAPIActOwnCorrespondence: confirming the dialog's own correspondence goes through
// the token choice: the dialog token, then the exchanged one once it is refused.
func TestDialogsAPIActOwnCorrespondence(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	if err := h.svc.APIAct(t.Context(), h.user, h.d, svAPICorr); err != nil {
		t.Fatalf("APIAct: %v", err)
	}
	calls := h.so.calls(svCorrPath + svCorr + "/confirm")
	want := []string{"Bearer " + svDialogToken, "Bearer " + svAltinnToken}
	if got := auths(calls); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got tokens %q, want %q", got, want)
	}
	for _, c := range calls {
		if c.Method != http.MethodPost {
			t.Errorf("got %s, want POST", c.Method)
		}
	}
	if got := h.dp.exchanges(); got != 1 {
		t.Errorf("got %d exchanges, want 1", got)
	}
}
