package inbox

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// svEmbed is a Markdown embed at u.
func svEmbed(u string) *dpclient.ContentValue {
	return &dpclient.ContentValue{Value: dpclient.Localizations{{Value: u, LanguageCode: "en"}}, MediaType: dpclient.MediaTypeEmbedMarkdown}
}

// auths is the Authorization header of each call, in order.
func auths(calls []seen) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Header.Get("Authorization")
	}
	return out
}

// TestCorrespondenceOwnGetsExchangedTokenOnce: the dialog's own correspondence first gets the
// dialog token and, when it refuses that (403), the token exchanged for the user's ID-porten
// token, exactly once; the lookup that tied it to the dialog is asked once and then cached.
func TestCorrespondenceOwnGetsExchangedTokenOnce(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	path := svCorrPath + svCorr + "/content"
	res, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(h.so.srv.URL+path), true, 0)
	if err != nil {
		t.Fatalf("Content: %v", err)
	}
	if !strings.Contains(string(res.HTML), "Read with the Altinn token") {
		t.Errorf("got %q, want the correspondence", res.HTML)
	}
	want := []string{"Bearer " + svDialogToken, "Bearer " + svAltinnToken}
	if got := auths(h.so.calls(path)); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got tokens %q, want %q", got, want)
	}
	if got := h.dp.exchanges(); got != 1 {
		t.Errorf("got %d token exchanges, want 1", got)
	}
	lookups := h.dp.lookups()
	if len(lookups) != 1 {
		t.Fatalf("got %d dialog lookups, want 1", len(lookups))
	}
	q, _ := url.ParseQuery(lookups[0].RawQuery)
	if got, want := q.Get("instanceRef"), "urn:altinn:correspondence-id:"+svCorr; got != want || len(q) != 1 {
		t.Errorf("lookup query %q, want instanceRef=%s only", lookups[0].RawQuery, want)
	}

	// The lookup's answer is a fact about the correspondence: cached.
	if _, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(h.so.srv.URL+path), true, 0); err != nil {
		t.Fatalf("second Content: %v", err)
	}
	if got := len(h.dp.lookups()); got != 1 {
		t.Errorf("got %d lookups after two reads, want 1 (cached)", got)
	}
}

// TestCorrespondenceRefusingBothTokens: when the correspondence refuses the exchanged token too,
// the call is not tried again: two calls, one exchange, and the service owner's status.
func TestCorrespondenceRefusingBothTokens(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	path := svCorrPath + svCorr + "/deny"
	_, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(h.so.srv.URL+path), true, 0)
	var se *outbound.StatusError
	if !errors.As(err, &se) || se.StatusCode != http.StatusForbidden {
		t.Errorf("got error %v, want the 403", err)
	}
	want := []string{"Bearer " + svDialogToken, "Bearer " + svAltinnToken}
	if got := auths(h.so.calls(path)); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got tokens %q, want %q", got, want)
	}
	if got := h.dp.exchanges(); got != 1 {
		t.Errorf("got %d token exchanges, want 1", got)
	}
}

// TestCorrespondenceOfAnotherDialog: a correspondence that is another dialog's, or that
// Dialogporten does not know, is refused before any call to it and before any exchange. A
// "not found" is not cached (it may depend on who asks).
func TestCorrespondenceOfAnotherDialog(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	for _, id := range []string{svCorrOther, svCorrUnknown, strings.ToUpper(svCorrOther)} {
		u := h.so.srv.URL + svCorrPath + id + "/content"
		_, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(u), true, 0)
		if !errors.Is(err, ErrCorrespondenceMismatch) || !errors.Is(err, outbound.ErrURLRefused) {
			t.Errorf("%s: got error %v, want ErrCorrespondenceMismatch (an ErrURLRefused)", id, err)
		}
	}
	if got := h.so.total(); got != 0 {
		t.Errorf("the platform got %d calls, want none", got)
	}
	if got := h.dp.exchanges(); got != 0 {
		t.Errorf("got %d token exchanges, want none", got)
	}
	// The other dialog's answer is cached (asked once for both spellings), the unknown's not.
	_, _ = h.svc.Content(t.Context(), h.user, h.d, svEmbed(h.so.srv.URL+svCorrPath+svCorrUnknown+"/content"), true, 0)
	var other, unknown int
	for _, l := range h.dp.lookups() {
		switch {
		case strings.HasSuffix(l.RawQuery, svCorrOther):
			other++
		case strings.HasSuffix(l.RawQuery, svCorrUnknown):
			unknown++
		}
	}
	if other != 1 || unknown != 2 {
		t.Errorf("lookups: %d of the other dialog's (want 1, cached), %d of the unknown (want 2, not cached)", other, unknown)
	}

	// The same rule holds for an action and an API action that name another correspondence.
	before := h.so.total()
	if _, err := h.svc.Act(t.Context(), h.user, h.d, svGUIAction(t, h.d, svActCorr)); !errors.Is(err, ErrCorrespondenceMismatch) {
		t.Errorf("Act on another dialog's correspondence: got %v, want ErrCorrespondenceMismatch", err)
	}
	svNoCall(t, h.so, before, "Act on another dialog's correspondence")
}

// TestCorrespondenceRedirects: a redirect from the dialog's own correspondence to another
// correspondence is refused, and no request (so no token) reaches the other one; a service
// owner's URL may not redirect onto Correspondence either.
func TestCorrespondenceRedirects(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	so := h.so.srv.URL
	otherPath := svCorrPath + svCorrOther + "/content"
	ownPath := svCorrPath + svCorr + "/content"
	tests := []struct {
		name, from, to string
		want           error
	}{
		{"own correspondence to another's", svCorrPath + svCorr + "/goto", otherPath, ErrCorrespondenceMismatch},
		{"service owner to another's correspondence", "/redirect", otherPath, ErrCorrespondenceMismatch},
		{"service owner to the own correspondence", "/redirect", ownPath, outbound.ErrRedirectRefused},
		{"own correspondence to a service owner's URL", svCorrPath + svCorr + "/goto", "/content", outbound.ErrRedirectRefused},
	}
	for _, tt := range tests {
		raw := so + tt.from + "?to=" + url.QueryEscape(so+tt.to)
		fromBefore, toBefore := len(h.so.calls(tt.from)), len(h.so.calls(tt.to))
		_, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(raw), true, 0)
		if !errors.Is(err, tt.want) || !errors.Is(err, outbound.ErrRedirectRefused) {
			t.Errorf("%s: got error %v, want %v (a refused redirect)", tt.name, err, tt.want)
		}
		if got := len(h.so.calls(tt.to)) - toBefore; got != 0 {
			t.Errorf("%s: the redirect target got %d calls, want none", tt.name, got)
		}
		if got := len(h.so.calls(tt.from)) - fromBefore; got != 1 {
			t.Errorf("%s: the first URL got %d calls, want 1", tt.name, got)
		}
	}
	if got := h.dp.exchanges(); got != 0 {
		t.Errorf("got %d token exchanges, want none", got)
	}
}

// TestExchangedTokenOnlyForCorrespondence: a service owner's URL or a platform URL outside
// Correspondence that refuses the dialog token (401, 403) does not get the exchanged token.
func TestExchangedTokenOnlyForCorrespondence(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	for _, path := range []string{"/refuse", "/platform/storage/api/v1/instances"} {
		_, err := h.svc.Content(t.Context(), h.user, h.d, svEmbed(h.so.srv.URL+path), true, 0)
		var se *outbound.StatusError
		if !errors.As(err, &se) || (se.StatusCode != http.StatusForbidden && se.StatusCode != http.StatusUnauthorized) {
			t.Errorf("%s: got error %v, want the service owner's refusal", path, err)
		}
		want := []string{"Bearer " + svDialogToken}
		if got := auths(h.so.calls(path)); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: got tokens %q, want %q", path, got, want)
		}
	}
	for _, c := range h.so.calls("") {
		if strings.Contains(c.Header.Get("Authorization"), svAltinnToken) {
			t.Errorf("%s %s got the exchanged token", c.Method, c.Path)
		}
	}
	if got := h.dp.exchanges(); got != 0 {
		t.Errorf("got %d token exchanges, want none", got)
	}
	if got := len(h.dp.lookups()); got != 0 {
		t.Errorf("got %d correspondence lookups for URLs outside Correspondence, want none", got)
	}
}

// svGUIAction is GUI action id of d.
func svGUIAction(t *testing.T, d *dpclient.Dialog, id string) *dpclient.GuiAction {
	t.Helper()
	for i := range d.GuiActions {
		if d.GuiActions[i].ID == id {
			return &d.GuiActions[i]
		}
	}
	t.Fatalf("fixture has no GUI action %s", id)
	return nil
}
