package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

func TestDialogShow(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "htmx-boosted"}[htmx], func(t *testing.T) {
			t.Parallel()
			h := newDialogPageHarness(t)
			hdr := map[string]string{}
			if htmx {
				hdr["HX-Boosted"] = "true"
			}
			rec := h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true, htmx: htmx, headers: hdr})
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
			}
			d := doc(t, rec)
			// A boosted request gets the whole page: htmx swaps the body.
			if byTestID(d, "page").Length() != 1 {
				t.Errorf("no full page for htmx=%v", htmx)
			}
			text := map[string]string{
				"dialog-title":           "Skattemeldingen din",
				"dialog-status":          "Krever handling",
				"dialog-extended-status": "Til behandling",
				"dialog-party":           "Kari Nordmann",
				"seen-by":                "Sett av deg og 2 andre",
			}
			for id, want := range text {
				if got := strings.TrimSpace(byTestID(d, id).Text()); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			var names []string
			byTestID(d, "seen-by-names").Find("li").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
			if strings.Join(names, ",") != "Du,En annen bruker,En annen bruker" {
				t.Errorf("seen by names = %v", names)
			}
			if got := byTestID(d, "dialog-sender").Text(); !strings.Contains(got, "Skatteetaten") || !strings.Contains(got, "SKD") {
				t.Errorf("sender = %q, want Skatteetaten (SKD)", got)
			}
			if byTestID(d, "dialog-folder").Length() != 0 {
				t.Errorf("folder badge shown for a dialog in the inbox")
			}
			// Summary is plain text: escaped, not markup.
			if got := byTestID(d, "dialog-summary").Text(); !strings.Contains(got, "<b>levere</b>") {
				t.Errorf("summary = %q, want the escaped text", got)
			}
			info := byTestID(d, "dialog-additional-info")
			if info.Find("h4").Length() != 1 || info.Find(`a[href="https://www.skatteetaten.no/"]`).Length() != 1 {
				h, _ := info.Html()
				t.Errorf("additional info not rendered as sanitised markdown: %s", h)
			}
			if info.Find(`a[href^="javascript"]`).Length() != 0 {
				t.Errorf("javascript link survived in additional info")
			}
			// Content slot: lazy htmx load, plain link underneath.
			slot := d.Find(`#dialog-content`)
			if got, _ := slot.Attr("hx-get"); got != "/dialogs/"+fxDialog+"/content" {
				t.Errorf("content hx-get = %q", got)
			}
			if got, _ := slot.Attr("hx-trigger"); got != "load" {
				t.Errorf("content hx-trigger = %q, want load", got)
			}
			if got, _ := byTestID(d, "dialog-content-link").Attr("href"); got != "/dialogs/"+fxDialog+"/content" {
				t.Errorf("content fallback link = %q", got)
			}
			if strings.Contains(rec.Body.String(), fxDialogToken) || strings.Contains(rec.Body.String(), "01017012345") {
				t.Errorf("page contains the dialog token or a national identity number")
			}
		})
	}
}

func TestDialogAttachmentsOnPage(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	atts := byTestID(d, "dialog-attachments").Find(`[data-testid="attachment"]`)
	// The API-only attachment is not offered to people.
	if atts.Length() != 5 {
		t.Fatalf("%d attachments, want 5", atts.Length())
	}
	var links []string
	atts.Find(`[data-testid="attachment-link"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		links = append(links, href)
	})
	want := "/dialogs/" + fxDialog + "/attachments/" + fxAttPDF + "/" + fxURLGui
	if len(links) != 3 || links[0] != want {
		t.Errorf("links = %v, want 3 starting with %s", links, want)
	}
	if got := atts.Eq(0).Find(`[data-testid="attachment-meta"]`).Text(); !strings.Contains(got, "PDF") {
		t.Errorf("type label = %q, want PDF", got)
	}
	for i, reason := range map[int]string{1: "Du har ikke tilgang", 2: "Utløpt"} {
		dis := atts.Eq(i).Find(`[data-testid="attachment-disabled"]`)
		if dis.Length() != 1 || !strings.Contains(dis.Text(), reason) {
			t.Errorf("attachment %d: disabled %d, text %q; want reason %q", i, dis.Length(), dis.Text(), reason)
		}
	}
	if strings.Contains(d.Text(), "Bare for maskiner") {
		t.Errorf("API-only attachment shown")
	}
}

func TestDialogThreadAndLog(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	var ids []string
	byTestID(d, "transmission").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-transmission-id")
		ids = append(ids, id)
	})
	if strings.Join(ids, ",") != fxTx3+","+fxTx2+","+fxTx1 {
		t.Errorf("thread order = %v, want newest first", ids)
	}
	var senders []string
	byTestID(d, "thread-sender").Each(func(_ int, s *goquery.Selection) { senders = append(senders, s.Text()) })
	if strings.Join(senders, "|") != "Skatteetaten|Du|Skatteetaten" {
		t.Errorf("groups = %v, want Skatteetaten|Du|Skatteetaten", senders)
	}
	tx2 := d.Find("#tx-" + fxTx2)
	if got := tx2.Find(`[data-testid="transmission-reply-to"] a`).Text(); got != "Vi trenger opplysninger" {
		t.Errorf("reply-to = %q", got)
	}
	tx1 := d.Find("#tx-" + fxTx1)
	if got, _ := tx1.Attr("hx-get"); got != "/dialogs/"+fxDialog+"/transmissions/"+fxTx1+"/content" {
		t.Errorf("transmission hx-get = %q", got)
	}
	if got, _ := tx1.Attr("hx-trigger"); got != "toggle once" {
		t.Errorf("transmission hx-trigger = %q", got)
	}
	if tx1.Find(`[data-testid="transmission-link"]`).Length() != 1 || tx1.Find(`[data-testid="transmission-link-disabled"]`).Length() != 1 {
		t.Errorf("navigational links: the https one is a link, the javascript: one disabled")
	}
	if tx3 := d.Find("#tx-" + fxTx3); tx3.Find(`[data-testid="transmission-unavailable"]`).Length() != 1 {
		t.Errorf("unauthorized transmission content not marked unavailable")
	}
	if _, ok := d.Find("#tx-" + fxTx3).Attr("hx-get"); ok {
		t.Errorf("unauthorized transmission still loads content")
	}
	var log []string
	byTestID(d, "log-entry").Each(func(_ int, s *goquery.Selection) {
		log = append(log, s.Find(`[data-testid="log-who"]`).Text()+": "+s.Find(`[data-testid="log-what"]`).Text())
	})
	want := []string{
		"Ola Nordmann: Saken er mottatt",
		"Du: Åpnet en melding",
		"Skatteetaten: Sendte «Vedtak»",
		"Du: Sendte «Svar med opplysninger»",
		"Skatteetaten: Sendte «Vi trenger opplysninger»",
		"Skatteetaten: Opprettet saken",
	}
	if strings.Join(log, "\n") != strings.Join(want, "\n") {
		t.Errorf("log =\n%s\nwant\n%s", strings.Join(log, "\n"), strings.Join(want, "\n"))
	}
}

func TestDialogActionsOnPage(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	acts := byTestID(d, "dialog-actions")
	primary := acts.Find(`form[data-testid="action-primary"]`)
	if got, _ := primary.Attr("action"); got != "/dialogs/"+fxDialog+"/actions/"+fxActPrimary {
		t.Errorf("primary form action = %q", got)
	}
	if primary.Find(`input[name="csrf"]`).Length() != 1 {
		t.Errorf("primary form has no CSRF field")
	}
	if got, _ := acts.Find(`a[data-testid="action-secondary"]`).Attr("href"); got != "https://skjema.example.no/open" {
		t.Errorf("secondary GET action link = %q", got)
	}
	menu := byTestID(d, "tertiary-menu")
	if menu.Length() != 1 {
		t.Fatalf("no tertiary menu")
	}
	sign := menu.Find(`[data-action-id="` + fxActPrompt + `"]`)
	if got, _ := sign.Attr("href"); got != "/dialogs/"+fxDialog+"/actions/"+fxActPrompt {
		t.Errorf("prompted action links to %q, want its confirmation page", got)
	}
	if got, _ := menu.Find(`[data-action-id="` + fxActDelete + `"]`).Attr("data-color"); got != "danger" {
		t.Errorf("delete action color = %q, want danger", got)
	}
	dis := menu.Find(`[data-testid="action-disabled"]`)
	if dis.Length() != 1 || dis.Text() != "Administrer" {
		t.Errorf("disabled actions = %d (%q), want Administrer", dis.Length(), dis.Text())
	}
	if _, ok := dis.Attr("disabled"); !ok {
		t.Errorf("unauthorized action button not disabled")
	}
	if got := menu.Find(`[data-testid="action-reason"]`).Text(); got != "Du har ikke tilgang" {
		t.Errorf("reason = %q", got)
	}
	api := byTestID(d, "api-action")
	if api.Length() != 4 {
		t.Fatalf("%d API actions, want 4", api.Length())
	}
	var offered []string
	api.Each(func(_ int, s *goquery.Selection) {
		if s.Find(`[data-testid="api-action-button"]`).Length() == 1 {
			offered = append(offered, s.Find("code").Text())
		}
	})
	if strings.Join(offered, ",") != "getCorrespondence,confirmCorrespondence" {
		t.Errorf("API actions offered = %v, want get and confirm only (not download, not purge)", offered)
	}
	var labels []string
	byTestID(d, "label-form").Find("button").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		labels = append(labels, v)
	})
	if strings.Join(labels, ",") != "archive,bin,unread" {
		t.Errorf("label buttons = %v", labels)
	}
	if got, _ := byTestID(d, "label-form").Find(`input[name="revision"]`).Attr("value"); got != "ctx-rev-1" {
		t.Errorf("revision = %q", got)
	}
}

func TestDialogArchivedShowsBadgeAndRestore(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	h.dialogs.dialogs[fxDialog].EndUserContext.SystemLabels = []dpclient.SystemLabel{dpclient.SystemLabelArchive}
	d := doc(t, h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true}))
	if got, _ := byTestID(d, "dialog-folder").Attr("data-folder"); got != "archive" {
		t.Errorf("folder badge = %q, want archive", got)
	}
	if byTestID(d, "label-restore").Length() != 1 || byTestID(d, "label-archive").Length() != 0 {
		t.Errorf("archived dialog should offer restore, not archive")
	}
	if got, _ := byTestID(d, "dialog-back").Attr("href"); !strings.Contains(got, "folder=archive") || !strings.Contains(got, "party="+selfUUID) {
		t.Errorf("back link = %q", got)
	}
}

func TestDialogErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		id     string
		err    error
		status int
		kind   string
	}{
		{"malformed id", "not-a-uuid", nil, http.StatusNotFound, "notFound"},
		{"unknown", "0190fbd7-9999-7000-8000-000000000009", nil, http.StatusNotFound, "notFound"},
		{"another party's dialog", fxForeign, nil, http.StatusNotFound, "notFound"}, // as an unknown one: ids cannot be probed
		{"gone", fxDialog, &dpclient.Error{StatusCode: http.StatusGone}, http.StatusGone, "gone"},
		// Dialogporten's 403 is the service's ErrNotFound (inbox.TestDialogsLoad).
		{"forbidden", fxDialog, inbox.ErrNotFound, http.StatusNotFound, "notFound"},
		{"auth level", fxDialog, &dpclient.Error{StatusCode: http.StatusForbidden, Problem: &dpclient.ProblemDetails{Errors: map[string][]string{"x": {"Authentication level too low"}}}}, http.StatusForbidden, "authLevel"},
		{"upstream down", fxDialog, &dpclient.Error{StatusCode: http.StatusServiceUnavailable}, http.StatusServiceUnavailable, "busy"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newDialogPageHarness(t)
			h.dialogs.err = tt.err
			rec := h.do(http.MethodGet, "/dialogs/"+tt.id, req{loggedIn: true})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d", rec.Code, tt.status)
			}
			d := doc(t, rec)
			if got, _ := byTestID(d, "error").Attr("data-kind"); got != tt.kind {
				t.Errorf("kind = %q, want %q", got, tt.kind)
			}
			if byTestID(d, "error-home").Length() != 1 {
				t.Errorf("no way back")
			}
			if tt.kind == "authLevel" {
				if got, _ := byTestID(d, "error-step-up").Attr("href"); got != "/login/step-up?return_to="+url.QueryEscape("/dialogs/"+fxDialog) {
					t.Errorf("step-up link = %q", got)
				}
			}
		})
	}
}

func TestDialogNeedsLogin(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog, req{})
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("status %d to %q, want 303 to /login", rec.Code, rec.Header().Get("Location"))
	}
	if h.dialogs.gets != 0 {
		t.Errorf("GetDialog called %d times without a session", h.dialogs.gets)
	}
}

// TestDialogParts: GET /dialogs/:id/parts answers every part of the page with the version the
// page has for it, the same however often it is asked (the CSRF token, masked afresh in each
// answer, does not count); the page without a dialog watch has no stream of its own.
func TestDialogParts(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	versions := func(path string) map[string]string {
		t.Helper()
		rec := h.do(http.MethodGet, path, req{loggedIn: true, htmx: true})
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, rec.Code)
		}
		out := map[string]string{}
		doc(t, rec).Find(".dialog__part[data-live-part]").Each(func(_ int, s *goquery.Selection) {
			out[s.AttrOr("id", "")] = s.AttrOr("data-version", "")
		})
		return out
	}
	page := versions("/dialogs/" + fxDialog)
	parts := versions("/dialogs/" + fxDialog + "/parts")
	again := versions("/dialogs/" + fxDialog + "/parts")
	if len(parts) != 7 {
		t.Fatalf("parts %v, want seven", parts)
	}
	for id, v := range parts {
		if v == "" || page[id] != v || again[id] != v {
			t.Errorf("%s: page %q, parts %q, again %q; want one version", id, page[id], v, again[id])
		}
	}
	if rec := h.do(http.MethodGet, "/dialogs/"+fxDialog+"/live", req{loggedIn: true}); rec.Code != http.StatusNotFound {
		t.Errorf("GET /live of a dialog without a watch: %d, want 404", rec.Code)
	}
	if rec := h.do(http.MethodGet, "/dialogs/0190fbd7-0000-7000-8000-00000000dead/parts", req{loggedIn: true, htmx: true}); rec.Code != http.StatusNotFound {
		t.Errorf("parts of an unknown dialog: %d, want 404", rec.Code)
	}
}

// TestDialogPreload: htmx's preload (the press on a dialog's link) fetches the dialog for the
// click and draws nothing; a malformed id or no session answers the same, without a fetch.
func TestDialogPreload(t *testing.T) {
	t.Parallel()
	h := newDialogPageHarness(t)
	preload := map[string]string{"HX-Preloaded": "true"}
	rec := h.do(http.MethodGet, "/dialogs/"+fxDialog, req{loggedIn: true, htmx: true, headers: preload})
	if rec.Code != http.StatusNoContent || rec.Body.Len() != 0 {
		t.Fatalf("preload: status %d with %d bytes, want 204 and nothing", rec.Code, rec.Body.Len())
	}
	rec = h.do(http.MethodGet, "/dialogs/not-an-id", req{loggedIn: true, htmx: true, headers: preload})
	if rec.Code != http.StatusNoContent {
		t.Errorf("preload of a malformed id: status %d, want 204", rec.Code)
	}
	h.dialogs.mu.Lock()
	defer h.dialogs.mu.Unlock()
	if h.dialogs.prefetches != 1 || h.dialogs.gets != 1 {
		t.Errorf("%d prefetches and %d fetches, want one of each (the malformed id none)", h.dialogs.prefetches, h.dialogs.gets)
	}
}
