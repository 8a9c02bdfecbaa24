package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
)

func TestDialogContent(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{true, false} {
		t.Run(map[bool]string{true: "htmx", false: "plain"}[htmx], func(t *testing.T) {
			t.Parallel()
			h := newDialogHarness(t)
			rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: htmx, headers: map[string]string{"Accept-Language": "en"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			d := doc(t, rec)
			if got := byTestID(d, "page").Length(); (got == 1) == htmx {
				t.Errorf("full page = %v for htmx=%v", got == 1, htmx)
			}
			c := byTestID(d, "dialog-content")
			// The embed in the user's language, its "# Hei" under the page's "Content" h2.
			if got := c.Find("h3").Text(); got != "Hei (en)" {
				t.Errorf("h3 = %q, want Hei (en)", got)
			}
			if c.Find("table td").Length() != 2 || c.Find("em").Text() != "innholdet" {
				t.Errorf("markdown not rendered: %s", c.Text())
			}
			if c.Find("script").Length() != 0 || c.Find(`a[href^="javascript"]`).Length() != 0 {
				t.Errorf("script or javascript link survived")
			}
			calls := h.so.callsTo("/content")
			if len(calls) != 1 || calls[0].Auth != "Bearer "+fxDialogToken || !strings.HasPrefix(calls[0].Lang, "en,") {
				t.Errorf("service owner saw %+v, want one call with the dialog token and en first", calls)
			}
		})
	}
}

func TestTransmissionContent(t *testing.T) {
	t.Parallel()
	h := newDialogHarness(t)
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+fxTx1+"/content", req{loggedIn: true, htmx: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	c := d.Find("#tx-content-" + fxTx1)
	if c.Find("h4").Text() != "Opplysninger" {
		t.Errorf("legacy HTML heading not demoted under the transmission: %s", rec.Body)
	}
	for _, bad := range []string{"iframe", "form", "input", "[onclick]"} {
		if c.Find(bad).Length() != 0 {
			t.Errorf("%s survived", bad)
		}
	}
	if got, _ := c.Find("a").Attr("href"); got != "https://ok.example.no/" {
		t.Errorf("safe link = %q", got)
	}
	for _, id := range []string{"0190fbd7-6666-7000-8000-000000000099", fxTx2, "x"} {
		if rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+id+"/content", req{loggedIn: true, htmx: true}); rec.Code != http.StatusNotFound {
			t.Errorf("transmission %s: status %d, want 404", id, rec.Code)
		}
	}
	// Unauthorized transmission: no call to the service owner.
	before := h.so.total()
	rec = h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+fxTx3+"/content", req{loggedIn: true, htmx: true})
	if !strings.Contains(rec.Body.String(), "content-problem") || h.so.total() != before {
		t.Errorf("unauthorized transmission content: %d %s; service owner calls %d→%d", rec.Code, rec.Body, before, h.so.total())
	}
}

func TestDialogContentProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		path       func(so, other string) string
		authorized bool
		message    string
		retry      bool
	}{
		{"down", func(so, _ string) string { return so + "/down" }, true, "svarer ikke", true},
		{"refuses", func(so, _ string) string { return so + "/refuse" }, true, "ville ikke", false},
		{"redirect to another host", func(so, other string) string { return so + "/redirect?to=" + other + "/x" }, true, "henter ikke innhold fra denne adressen", false},
		{"plain http", func(so, _ string) string { return strings.Replace(so, "https:", "http:", 1) + "/content" }, true, "henter ikke innhold fra denne adressen", false},
		{"unauthorized", func(string, string) string { return dpclient.URLUnauthorized }, false, "ikke tilgang", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newDialogHarness(t)
			ref := h.dialogs.dialogs[fxDialog].Content.MainContentReference
			ref.Value = dpclient.Localizations{{Value: tt.path(h.so.srv.URL, h.so.other.URL), LanguageCode: "nb"}}
			ref.IsAuthorized = &tt.authorized
			// htmx: 200 so the message is swapped into the slot, with a retry where it helps.
			rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
			d := doc(t, rec)
			p := byTestID(d, "content-problem")
			if rec.Code != http.StatusOK || p.Length() != 1 || !strings.Contains(p.Text(), tt.message) {
				t.Fatalf("htmx: %d %q, want 200 with %q", rec.Code, p.Text(), tt.message)
			}
			if got := byTestID(d, "content-retry").Length() == 1; got != tt.retry {
				t.Errorf("retry offered = %v, want %v", got, tt.retry)
			}
			if h.so.otherCalls != 0 {
				t.Errorf("the other host was called")
			}
			// Without JavaScript: the content's own page, which works and says the same.
			rec = h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true})
			d = doc(t, rec)
			if rec.Code != http.StatusOK || byTestID(d, "page").Length() != 1 || !strings.Contains(byTestID(d, "content-problem").Text(), tt.message) {
				t.Errorf("page: %d, want 200, a whole page with %q", rec.Code, tt.message)
			}
		})
	}
}

func TestDialogLabels(t *testing.T) {
	t.Parallel()
	h := newDialogHarness(t)
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, form: map[string][]string{"action": {"archive"}, "revision": {"ctx-rev-1"}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dialogs/"+fxDialog+"?done=archive" {
		t.Fatalf("status %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	if len(h.dialogs.labels) != 1 {
		t.Fatalf("%d label calls, want 1", len(h.dialogs.labels))
	}
	got := h.dialogs.labels[0]
	if got.ID != fxDialog || got.IfMatch != "ctx-rev-1" || len(got.Req.AddLabels) != 1 || got.Req.AddLabels[0] != dpclient.SystemLabelArchive {
		t.Errorf("label call = %+v", got)
	}
	rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, form: map[string][]string{"action": {"unread"}, "revision": {"ctx-rev-2"}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inbox" {
		t.Errorf("unread: status %d to %q, want 303 to the inbox (viewing would mark it seen again)", rec.Code, rec.Header().Get("Location"))
	}
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog+"?done=archive", req{loggedIn: true}))
	if got := byTestID(d, "dialog-notice").Text(); !strings.Contains(got, "Flyttet til arkivet") {
		t.Errorf("notice = %q", got)
	}

	// 412: back to the fresh dialog, saying why nothing happened.
	h.dialogs.labelErr = &dpclient.Error{StatusCode: http.StatusPreconditionFailed}
	rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, htmx: true, form: map[string][]string{"action": {"bin"}, "revision": {"stale"}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dialogs/"+fxDialog+"?done=conflict" {
		t.Fatalf("412: status %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	d = doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog+"?done=conflict", req{loggedIn: true}))
	if got, _ := byTestID(d, "dialog-notice").Attr("data-color"); got != "warning" {
		t.Errorf("conflict notice color = %q", got)
	}

	// Refused: no CSRF token, unknown action, malformed id.
	n := len(h.dialogs.labels)
	for _, c := range []struct {
		id, action string
		csrf       bool
		status     int
	}{
		{fxDialog, "archive", false, http.StatusForbidden},
		{fxDialog, "delete", true, http.StatusBadRequest},
		{"../x", "archive", true, http.StatusNotFound},
	} {
		rec := h.do(http.MethodPost, "/dialogs/"+c.id+"/labels", req{loggedIn: true, csrf: c.csrf, form: map[string][]string{"action": {c.action}}})
		if rec.Code != c.status {
			t.Errorf("%s/%s csrf=%v: status %d, want %d", c.id, c.action, c.csrf, rec.Code, c.status)
		}
	}
	if len(h.dialogs.labels) != n {
		t.Errorf("refused requests reached Dialogporten")
	}
}

func TestAltinnTokenOnlyForThePlatform(t *testing.T) {
	t.Parallel()
	h := newDialogHarness(t)
	ref := h.dialogs.dialogs[fxDialog].Content.MainContentReference
	corr := "/platform/correspondence/api/v1/correspondence/" + fxCorr
	ref.Value = dpclient.Localizations{{Value: h.so.srv.URL + corr + "/content", LanguageCode: "nb"}}
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
	d := doc(t, rec)
	if got := byTestID(d, "dialog-content").Find("h3").Text(); got != "Melding" {
		t.Fatalf("content = %q (%s), want it read with the exchanged token", got, rec.Body)
	}
	calls := h.so.callsTo(corr + "/content")
	if len(calls) != 2 || calls[0].Auth != "Bearer "+fxDialogToken || calls[1].Auth != "Bearer "+fxAltinnToken {
		t.Errorf("platform calls = %+v, want the dialog token, then the Altinn token", calls)
	}
	if n := h.exch.count(); n != 1 {
		t.Errorf("%d exchanges, want 1", n)
	}
	// A service owner elsewhere that refuses the dialog token never gets the Altinn token.
	ref.Value = dpclient.Localizations{{Value: h.so.srv.URL + "/refuse", LanguageCode: "nb"}}
	h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: true})
	for _, c := range h.so.callsTo("/refuse") {
		if c.Auth != "Bearer "+fxDialogToken {
			t.Errorf("a non-platform host got %q", c.Auth)
		}
	}
	if n := h.exch.count(); n != 1 {
		t.Errorf("%d exchanges after a non-platform refusal, want still 1", n)
	}
}
