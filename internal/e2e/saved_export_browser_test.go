package e2e

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// allowDownloads has the tab save downloads into a fresh folder and returns the iterator of
// their progress events.
func (b *browser) allowDownloads() (string, func() []byte) {
	b.t.Helper()
	dir := b.t.TempDir()
	progress := chromedp.Events(b.ctx, cdpbrowser.DownloadProgress)
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true),
		})
		return err
	}))
	next := func() []byte {
		b.t.Helper()
		deadline := time.Now().Add(stepTimeout)
		for ev, err := range progress {
			if err != nil {
				b.t.Fatalf("download: %v", err)
			}
			if time.Now().After(deadline) {
				b.t.Fatal("no download completed in time")
			}
			switch ev.State {
			case cdpbrowser.DownloadProgressStateCanceled:
				b.t.Fatal("the download was cancelled")
			case cdpbrowser.DownloadProgressStateCompleted:
				data, err := os.ReadFile(filepath.Join(dir, ev.GUID))
				if err != nil {
					b.t.Fatal(err)
				}
				return data
			}
		}
		b.t.Fatal("the download events ended")
		return nil
	}
	return dir, next
}

func ptr[T any](v T) *T { return &v }

// checkZipOf checks a downloaded ZIP: a manifest row for each of ids, and every file it says is
// there byte for byte the emulator's.
func checkZipOf(t *testing.T, st *stack, body []byte, ids []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the download is not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	rows := readCSV(t, string(files["manifest.csv"]))
	byDialog := map[string][][]string{}
	for _, r := range rows[1:] {
		if len(r) == len(rows[0]) { // not the note of a cut search
			byDialog[r[2]] = append(byDialog[r[2]], r)
		}
	}
	for _, id := range ids {
		got := byDialog[id]
		if len(got) == 0 {
			t.Errorf("the manifest has no row for dialog %s", id)
			continue
		}
		atts := emuAttachments(emuDialog(t, st, id))
		for i, r := range got {
			if r[7] != "ok" || i >= len(atts) {
				continue
			}
			if want := expectedBytes(t, atts[i]); !bytes.Equal(files[strings.TrimPrefix(r[0], "'")], want) {
				t.Errorf("%s: not the emulator's %d bytes", r[0], len(want))
			}
		}
	}
}

// TestBrowserSavedSearchAndExport is the workspace journey, with JavaScript and without: save
// the inbox's search, see its count of new dialogs (htmx fills it in; without JavaScript a link
// to its page), see it rise after the emulator adds a dialog, and download the ticked dialogs'
// attachments as one ZIP from the bulk bar (with JavaScript too the browser saves a file; htmx
// does not take the answer). The CSV link's file reads back. Pages are axe clean.
func TestBrowserSavedSearchAndExport(t *testing.T) {
	st := startStackEnv(t, "default", map[string]string{"SAVED_SEARCH_COUNT_EVERY": countEvery.String()})
	b := newBrowser(t, false)
	b.login(st, st.Users()[0].PID, "/inbox")
	b.waitVisible(rowSel)
	inbox := b.url()

	for _, js := range []bool{true, false} {
		mode := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js]
		b.SetJS(js)
		_, nextDownload := b.allowDownloads() // a tab's setting (SetJS may open another)
		b.open(inbox)
		b.waitVisible(rowSel)
		if js {
			b.CheckA11y("inbox with its tools")
		}

		// Save the search.
		name := "Journey " + mode
		b.click(`[data-testid="save-search"] summary`)
		b.do("name the search", chromedp.SendKeys(chromedp.CSS(`[data-testid="save-search-name"]`), name))
		b.clickNav(`[data-testid="save-search-submit"]`)
		b.waitVisible(`[data-testid="saved-notice"]`)
		id := ""
		for _, r := range b.attrs(`[data-testid="saved-row"]`, "data-saved-id") {
			if strings.TrimSpace(b.text(`[data-saved-id="`+r+`"] [data-testid="saved-open"]`)) == name {
				id = r
			}
		}
		if id == "" {
			t.Fatalf("%s: the saved search is not listed", mode)
		}
		countSel := `[data-saved-id="` + id + `"] [data-testid="saved-count"]`
		if js {
			b.waitVisible(countSel)
			if got := b.attr(countSel, "data-count"); got != "0" {
				t.Errorf("%s: count %q right after saving, want 0", mode, got)
			}
		} else {
			b.clickNav(`[data-saved-id="` + id + `"] [data-testid="saved-count-link"]`)
			b.waitVisible(`[data-testid="saved-count"]`)
			if got := b.attr(`[data-testid="saved-count"]`, "data-count"); got != "0" {
				t.Errorf("%s: count %q right after saving, want 0", mode, got)
			}
		}
		if js {
			b.open(st.PortalURL + "/searches")
			b.CheckA11y("saved searches")
			b.click(`[data-saved-id="` + id + `"] details summary`)
			b.CheckA11y("saved searches with rename and delete open")
			b.open(st.PortalURL + "/searches/" + id + "/count")
			b.CheckA11y("a saved search's count page")
		}

		// The emulator adds a dialog: the count rises.
		addDialog(t, st, allRows(t, st, newClientFromBrowser(t, b, st), inbox)[0])
		time.Sleep(countEvery + 100*time.Millisecond)
		if js {
			b.open(st.PortalURL + "/searches")
			b.waitVisible(countSel)
			if got := b.attr(countSel, "data-count"); got != "1" {
				t.Errorf("%s: count %q after the emulator added a dialog, want 1", mode, got)
			}
		} else {
			b.open(st.PortalURL + "/searches/" + id + "/count")
			if got := b.attr(`[data-testid="saved-count"]`, "data-count"); got != "1" {
				t.Errorf("%s: count %q after the emulator added a dialog, want 1", mode, got)
			}
		}

		// Open it: the inbox with its query.
		if !js {
			b.clickNav(`[data-testid="saved-open"]`)
		} else {
			b.open(st.PortalURL + "/searches")
			b.clickNav(`[data-saved-id="` + id + `"] [data-testid="saved-open"]`)
		}
		b.waitVisible(rowSel)

		// A ZIP of the first two rows with attachments, from the bulk bar.
		var picked []string
		for _, rid := range b.rowIDs() {
			if len(emuAttachments(emuDialog(t, st, rid))) > 0 && len(picked) < 2 {
				picked = append(picked, rid)
				b.click(selectOf(rid))
			}
		}
		b.click(`[data-testid="bulk-zip"]`)
		checkZipOf(t, st, nextDownload(), picked)
		if js && b.count(`[data-testid="bulk-summary"]`) != 0 {
			t.Errorf("%s: htmx swapped in an answer to the ZIP download", mode)
		}
	}

	// On a phone: the saved searches (one open for renaming) and the inbox with its tools after
	// the list do not scroll sideways.
	b.do("emulate a phone", chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile))
	b.open(st.PortalURL + "/searches")
	b.noSidewaysScroll("the saved searches")
	b.click(`[data-testid="saved-row"] details summary`)
	b.noSidewaysScroll("the saved searches with rename and delete open")
	b.open(inbox)
	b.click(`[data-testid="save-search"] summary`)
	b.noSidewaysScroll("the inbox with its save form open")
	b.do("back to a wide screen", chromedp.EmulateViewport(1280, 1000))

	// The CSV link's file, with the browser's session.
	c := newClientFromBrowser(t, b, st)
	href := b.attr(`[data-testid="export-csv"]`, "href")
	resp, err := c.HTTP.Get(st.PortalURL + href)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(readCSV(t, string(body))) < 2 {
		t.Errorf("CSV export: %d, %d bytes", resp.StatusCode, len(body))
	}
}
