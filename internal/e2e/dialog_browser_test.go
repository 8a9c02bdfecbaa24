package e2e

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// journeyDialogs are the two dialogs journey 3 works on, chosen from the rows a page lists.
type journeyDialogs struct {
	corr       *dpemu.Dialog       // a correspondence awaiting confirmation, with a downloadable attachment
	confirm    *dpemu.GuiAction    // its "confirm" action (POST, no prompt)
	attachment *dpemu.Attachment   // its attachment
	app        *dpemu.Dialog       // an app instance with transmission content and "submit"
	submit     *dpemu.GuiAction    // its "submit" action (POST with a prompt)
	tx         *dpemu.Transmission // a transmission of app with content
}

func pickJourneyDialogs(t *testing.T, st *stack, ids []string) journeyDialogs {
	t.Helper()
	var j journeyDialogs
	for _, id := range ids {
		d := emuDialog(t, st, id)
		switch {
		case j.corr == nil && d.ServiceResourceType == dpemu.ResourceTypeCorrespondence:
			var conf *dpemu.GuiAction
			for i, a := range d.GuiActions {
				if strings.HasSuffix(a.URL, "/confirm") && len(a.Prompt) == 0 {
					conf = &d.GuiActions[i]
				}
			}
			var att *dpemu.Attachment
			for i, a := range d.Attachments {
				if a.ExpiresAt == nil && a.Size < 4<<20 {
					att = &d.Attachments[i]
				}
			}
			if conf != nil && att != nil {
				j.corr, j.confirm, j.attachment = d, conf, att
			}
		case j.app == nil && d.ServiceResourceType == dpemu.ResourceTypeApp:
			var sub *dpemu.GuiAction
			for i, a := range d.GuiActions {
				if strings.HasSuffix(a.URL, "/actions/submit") && len(a.Prompt) > 0 {
					sub = &d.GuiActions[i]
				}
			}
			var tx *dpemu.Transmission
			for i, x := range d.Transmissions {
				if x.ContentReference != nil && x.AuthorizationAttribute == "" && x.DeletedAt == nil {
					tx = &d.Transmissions[i]
				}
			}
			if sub != nil && tx != nil {
				j.app, j.submit, j.tx = d, sub, tx
			}
		}
	}
	if j.corr == nil || j.app == nil {
		t.Fatalf("the list has no correspondence awaiting confirmation with an attachment (%v) or no app dialog with transmission content and submit (%v)", j.corr != nil, j.app != nil)
	}
	return j
}

// expectedBytes is what the emulator serves for an attachment: deterministic from its seed.
func expectedBytes(t *testing.T, a *dpemu.Attachment) []byte {
	t.Helper()
	b, err := io.ReadAll(serviceowner.NewBlob(a.ContentSeed, a.Size))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// download fetches href from the portal with the browser's cookies and compares the bytes with
// the emulator's.
func download(t *testing.T, b *browser, st *stack, href string, a *dpemu.Attachment) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, st.PortalURL+href, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.cookies(st.PortalURL + "/") {
		req.AddCookie(c)
	}
	hc := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("download %s: got %d", href, resp.StatusCode)
	}
	want := expectedBytes(t, a)
	if !bytes.Equal(got, want) {
		t.Errorf("download %s: %d bytes differ from the emulator's %d bytes", href, len(got), len(want))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("download: Content-Disposition %q, want an attachment", cd)
	}
	if ct, want := resp.Header.Get("Content-Type"), serviceowner.AttachmentMediaType(a); !strings.HasPrefix(ct, want) {
		t.Errorf("download: Content-Type %q, want %q", ct, want)
	}
}

// TestBrowserDialog is journey 3 with JavaScript: open a dialog from the list, its content
// loads, download an attachment, confirm a correspondence; on an app dialog open a
// transmission, submit through the confirmation step, and archive it.
func TestBrowserDialog(t *testing.T) {
	st := startStack(t, "default")
	user := st.Users()[0]
	b := newBrowser(t, false)
	b.login(st, user.PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()
	j := pickJourneyDialogs(t, st, b.rowIDs())
	requireDialogRoutes(t, st, j.corr.ID.String())
	store := st.Emulator.Store()

	// Correspondence: open from the list.
	corrID := j.corr.ID.String()
	// With JavaScript the dialog opens boosted: its body swapped in (openBoosted checks how).
	b.openBoosted(rowOf(corrID)+` [data-testid="dialog-title"] a`, st.PortalURL+"/dialogs/"+corrID, `[data-testid="dialog"][data-dialog-id="`+corrID+`"]`)
	b.poll("the main content loads", `(() => {
		const c = document.querySelector('[data-testid="dialog-content"]');
		return c && c.textContent.trim().length > 0;
	})()`)
	if b.count(`[data-testid="content-problem"]`) != 0 {
		t.Errorf("content shows a problem: %q", b.text(`[data-testid="content-problem"]`))
	}
	b.CheckA11y("dialog page")
	b.Shot("30-dialog")

	href := b.attr(`[data-attachment-id="`+j.attachment.ID.String()+`"] [data-testid="attachment-link"]`, "href")
	download(t, b, st, href, j.attachment)

	b.click(`[data-action-id="` + j.confirm.ID.String() + `"] button`)
	b.waitVisible(`[data-testid="dialog-notice"]`)
	if n := b.count(`[data-action-id="` + j.confirm.ID.String() + `"]`); n != 0 {
		t.Errorf("the confirm action is still offered after confirming")
	}
	if d := emuDialog(t, st, corrID); d.Status != dpemu.DialogStatus("Completed") {
		t.Errorf("after confirming, the emulator has the correspondence in status %s, want Completed", d.Status)
	}
	b.CheckA11y("dialog page after confirming")

	// App dialog: transmission, submit with its confirmation step, archive.
	appID := j.app.ID.String()
	b.open(st.PortalURL + "/dialogs/" + appID)
	b.waitVisible(`[data-testid="dialog"][data-dialog-id="` + appID + `"]`)
	tx := `#tx-` + j.tx.ID.String()
	b.click(tx + ` > summary`)
	b.poll("the transmission content loads", `!!document.querySelector('`+tx+` [data-testid="transmission-content"]')`)
	if b.count(tx+` [data-testid="content-problem"]`) != 0 {
		t.Errorf("transmission content shows a problem: %q", b.text(tx+` [data-testid="content-problem"]`))
	}
	b.Shot("31-transmission")

	txBefore := len(j.app.Transmissions)
	sel := `[data-action-id="` + j.submit.ID.String() + `"]`
	if b.count(`[data-testid="tertiary-menu"] `+sel) > 0 {
		b.click(`[data-testid="tertiary-menu"] > summary`)
	}
	b.clickNav(sel)
	b.waitVisible(`[data-testid="confirm"]`)
	if got, want := b.text(`[data-testid="confirm-prompt"]`), j.submit.Prompt.Get("nb"); got != want {
		t.Errorf("confirmation prompt %q, want %q", got, want)
	}
	b.CheckA11y("confirmation page")
	b.Shot("32-confirm")
	if d := emuDialog(t, st, appID); len(d.Transmissions) != txBefore {
		t.Fatalf("the action ran before it was confirmed")
	}
	b.clickNav(`[data-testid="confirm-yes"]`)
	b.waitVisible(`[data-testid="dialog-notice"]`)
	if d := emuDialog(t, st, appID); len(d.Transmissions) != txBefore+1 || !d.EndUserContext.Has(dpemu.LabelSent) {
		t.Errorf("after submitting: %d transmissions (want %d), labels %v (want Sent)", len(d.Transmissions), txBefore+1, d.EndUserContext.SystemLabels)
	}

	b.click(`[data-testid="label-archive"]`)
	b.poll("the dialog shows it is archived", `!!document.querySelector('[data-testid="dialog-folder"][data-folder="archive"]')`)
	d, _ := store.Dialog(uuid.MustParse(appID))
	if !d.EndUserContext.Has(dpemu.LabelArchive) {
		t.Errorf("after archiving, the emulator has labels %v", d.EndUserContext.SystemLabels)
	}
	b.open(inbox)
	for _, id := range b.rowIDs() {
		if id == appID {
			t.Errorf("the archived dialog is still in the inbox")
		}
	}
	b.AssertCleanConsole()
}

// TestBrowserDialogWithoutJavaScript is journey 3 with JavaScript off: the content and the
// transmission open as pages, the download is a plain link, the actions are plain forms and
// the confirmation step a real page.
func TestBrowserDialogWithoutJavaScript(t *testing.T) {
	st := startStack(t, "default")
	user := st.Users()[0]
	b := newBrowser(t, true)
	b.login(st, user.PID, "/inbox")
	b.waitVisible(rowSel)
	j := pickJourneyDialogs(t, st, b.rowIDs())
	requireDialogRoutes(t, st, j.corr.ID.String())

	corrID := j.corr.ID.String()
	b.clickNav(rowOf(corrID) + ` [data-testid="dialog-title"] a`)
	b.waitVisible(`[data-testid="dialog"][data-dialog-id="` + corrID + `"]`)
	b.clickNav(`[data-testid="dialog-content-link"]`)
	b.waitVisible(`[data-testid="dialog-content"]`)
	if got := b.text(`[data-testid="dialog-content"]`); got == "" || b.count(`[data-testid="content-problem"]`) != 0 {
		t.Errorf("content page shows %q", got)
	}
	b.clickNav(`[data-testid="dialog-back"]`)
	b.waitVisible(`[data-testid="dialog"]`)

	href := b.attr(`[data-attachment-id="`+j.attachment.ID.String()+`"] [data-testid="attachment-link"]`, "href")
	download(t, b, st, href, j.attachment)

	b.clickNav(`[data-action-id="` + j.confirm.ID.String() + `"] button`)
	b.waitVisible(`[data-testid="dialog-notice"]`)
	if d := emuDialog(t, st, corrID); d.Status != dpemu.DialogStatus("Completed") {
		t.Errorf("after confirming, status %s, want Completed", d.Status)
	}

	appID := j.app.ID.String()
	b.open(st.PortalURL + "/dialogs/" + appID)
	tx := `#tx-` + j.tx.ID.String()
	b.click(tx + ` > summary`) // a native disclosure
	b.clickLink(tx + ` [data-testid="transmission-content-link"]`)
	b.waitVisible(`[data-testid="transmission-content"]`)
	if b.count(`[data-testid="content-problem"]`) != 0 {
		t.Errorf("transmission content page shows a problem")
	}
	b.open(st.PortalURL + "/dialogs/" + appID)

	txBefore := len(j.app.Transmissions)
	sel := `[data-action-id="` + j.submit.ID.String() + `"]`
	if b.count(`[data-testid="tertiary-menu"] `+sel) > 0 {
		b.click(`[data-testid="tertiary-menu"] > summary`)
	}
	b.clickNav(sel)
	b.waitVisible(`[data-testid="confirm"]`)
	b.clickNav(`[data-testid="confirm-yes"]`)
	b.waitVisible(`[data-testid="dialog-notice"]`)
	if d := emuDialog(t, st, appID); len(d.Transmissions) != txBefore+1 {
		t.Errorf("after submitting: %d transmissions, want %d", len(d.Transmissions), txBefore+1)
	}

	b.clickNav(`[data-testid="label-archive"]`)
	b.waitVisible(`[data-testid="dialog-folder"][data-folder="archive"]`)
	if d := emuDialog(t, st, appID); !d.EndUserContext.Has(dpemu.LabelArchive) {
		t.Errorf("after archiving, labels %v", d.EndUserContext.SystemLabels)
	}
}

// requireDialogRoutes stops the journey with a clear message when the portal does not serve the
// dialog page at all.
func requireDialogRoutes(t *testing.T, st *stack, id string) {
	t.Helper()
	resp, err := http.Get(st.PortalURL + "/dialogs/" + id)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	// Logged out, an existing route sends the browser to log in; a missing one is 404.
	if resp.StatusCode == http.StatusNotFound {
		t.Fatalf("GET /dialogs/{id} answers 404 without a session: the portal does not serve the dialog routes (internal/app never calls handlers.Server.MountDialogs)")
	}
}
