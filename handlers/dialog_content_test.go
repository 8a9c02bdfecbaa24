package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

func TestDialogContent(t *testing.T) {
	t.Parallel()
	// Embedded (htmx), the content's headings go under the dialog page's "Content" h2 (from h3);
	// on its own page (without JavaScript) right under that page's h1 (from h2).
	for _, tc := range []struct {
		htmx          bool
		headingOffset int
	}{{true, 2}, {false, 1}} {
		t.Run(map[bool]string{true: "htmx", false: "plain"}[tc.htmx], func(t *testing.T) {
			t.Parallel()
			h := newDialogPageHarness(t)
			rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/content", req{loggedIn: true, htmx: tc.htmx, headers: map[string]string{"Accept-Language": "en"}})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			d := doc(t, rec)
			if got := byTestID(d, "page").Length(); (got == 1) == tc.htmx {
				t.Errorf("full page = %v for htmx=%v", got == 1, tc.htmx)
			}
			c := byTestID(d, "dialog-content")
			// What the service rendered (the fetch with the dialog token in the user's language,
			// sanitised: inbox.TestDialogsContent, TestContentFollowsLanguage).
			if got := c.Find("h1, h2, h3, h4, h5, h6").Text(); got != "Hei" || c.Find("em").Text() != "innholdet" {
				t.Errorf("content %q, want the service's render", c.Text())
			}
			calls := h.dialogs.contentCalls()
			if want := (contentCall{lang: "en", url: fxSO + "/content?lang=en", headingOffset: tc.headingOffset}); len(calls) != 1 || calls[0] != want {
				t.Errorf("Content calls %+v, want one %+v", calls, want)
			}
			if !tc.htmx {
				assertHeadingOutline(t, d)
			}
		})
	}
}

func TestTransmissionContent(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+fxTx1+"/content", req{loggedIn: true, htmx: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	c := d.Find("#tx-content-" + fxTx1)
	if c.Find("em").Text() != "innholdet" {
		t.Errorf("transmission content %q, want the service's render", c.Text())
	}
	// Headings under the transmission's own (legacy HTML's sanitising: richtext's tests).
	if calls := h.dialogs.contentCalls(); len(calls) != 1 || calls[0].url != fxSO+"/tx/1/content" || calls[0].headingOffset != 3 {
		t.Errorf("Content calls %+v, want one for the transmission's embed at heading offset 3", calls)
	}
	for _, id := range []string{"0190fbd7-6666-7000-8000-000000000099", fxTx2, "x"} {
		if rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+id+"/content", req{loggedIn: true, htmx: true}); rec.Code != http.StatusNotFound {
			t.Errorf("transmission %s: status %d, want 404", id, rec.Code)
		}
	}
	// Unauthorized transmission: the service refuses it (no call: inbox.TestDialogsContentRefusals).
	rec = h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+fxTx3+"/content", req{loggedIn: true, htmx: true})
	if !strings.Contains(rec.Body.String(), "content-problem") || len(h.dialogs.contentCalls()) != 1 {
		t.Errorf("unauthorized transmission content: %d %s; Content calls %d", rec.Code, rec.Body, len(h.dialogs.contentCalls()))
	}
}

// TestTransmissionContentPage: without JavaScript a transmission's content is a page of its
// own, its headings right under the page's h1.
func TestTransmissionContentPage(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/transmissions/"+fxTx1+"/content", req{loggedIn: true})
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	d := doc(t, rec)
	if got := byTestID(d, "transmission-content").Find("h2").Text(); got != "Hei" {
		t.Errorf("the content's first heading as h2 = %q, want %q", got, "Hei")
	}
	if calls := h.dialogs.contentCalls(); len(calls) != 1 || calls[0].headingOffset != 1 {
		t.Errorf("Content calls %+v, want one at heading offset 1", calls)
	}
	assertHeadingOutline(t, d)
}

// assertHeadingOutline checks that a page's headings start at h1 and never go down more than
// one level at a time (WCAG 1.3.1: h1 → h3 leaves a screen reader's outline with a gap).
func assertHeadingOutline(t *testing.T, d *goquery.Document) {
	t.Helper()
	var levels []int
	d.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
		levels = append(levels, int(goquery.NodeName(s)[1]-'0'))
	})
	prev := 0
	for _, l := range levels {
		if l > prev+1 {
			t.Errorf("heading levels %v: h%d after h%d skips a level", levels, l, prev)
			return
		}
		prev = l
	}
}

func TestDialogContentProblems(t *testing.T) {
	t.Parallel()
	// What the service answers for each (the outbound client's errors: internal/outbound and
	// inbox.TestDialogsContentRefusals).
	tests := []struct {
		name       string
		err        error
		authorized bool
		message    string
		retry      bool
	}{
		{"down", &outbound.StatusError{StatusCode: http.StatusServiceUnavailable}, true, "svarer ikke", true},
		{"refuses", &outbound.StatusError{StatusCode: http.StatusForbidden}, true, "ville ikke", false},
		{"redirect to another host", outbound.ErrRedirectRefused, true, "henter ikke innhold fra denne adressen", false},
		{"plain http", outbound.ErrURLRefused, true, "henter ikke innhold fra denne adressen", false},
		{"unauthorized", nil, false, "ikke tilgang", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newDialogPageHarness(t)
			h.dialogs.contentErr = tt.err
			h.dialogs.dialogs[fxDialog].Content.MainContentReference.IsAuthorized = &tt.authorized
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
	h := newDialogPageHarness(t)
	rec := h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, form: map[string][]string{"action": {"archive"}, "revision": {"ctx-rev-1"}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/dialogs/"+fxDialog+"?done=archive" {
		t.Fatalf("status %d to %q", rec.Code, rec.Header().Get("Location"))
	}
	// The PUT with If-Match: inbox.TestSetLabel.
	if want := (setLabelCall{id: fxDialog, revision: "ctx-rev-1", label: dpclient.SystemLabelArchive}); len(h.dialogs.labels) != 1 || h.dialogs.labels[0] != want {
		t.Fatalf("SetLabel calls %+v, want one %+v", h.dialogs.labels, want)
	}
	rec = h.do(http.MethodPost, "/dialogs/"+fxDialog+"/labels", req{loggedIn: true, csrf: true, form: map[string][]string{"action": {"unread"}, "revision": {"ctx-rev-2"}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inbox" {
		t.Errorf("unread: status %d to %q, want 303 to the inbox (viewing would mark it seen again)", rec.Code, rec.Header().Get("Location"))
	}
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog+"?done=archive", req{loggedIn: true}))
	if got := byTestID(d, "dialog-notice").Text(); !strings.Contains(got, "Flyttet til arkivet") {
		t.Errorf("notice = %q", got)
	}

	// 412 (the service passes it on: inbox.TestSetLabel): back to the fresh dialog, saying why
	// nothing happened.
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
		t.Errorf("refused requests reached the service")
	}
}
