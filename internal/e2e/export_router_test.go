package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/dpemu"
)

// readCSV reads an export back as Excel would: a UTF-8 byte order mark, then semicolons.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\uFEFF")
	if !ok {
		t.Fatalf("the CSV does not start with a UTF-8 byte order mark: %q", body[:min(len(body), 20)])
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.Comma, r.FieldsPerRecord = ';', -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read the CSV back: %v", err)
	}
	return recs
}

// listTitles follows the list's plain "show more" links from u and returns each listed dialog's
// title by id.
func listTitles(t *testing.T, st *stack, c *browsertest.Client, u string) map[string]string {
	t.Helper()
	titles := map[string]string{}
	for range 20 {
		p := c.Get(u)
		p.Doc.Find(`[data-testid="dialog-row"]`).Each(func(_ int, s *goquery.Selection) {
			titles[rowID(s)] = strings.TrimSpace(s.Find(`[data-testid="dialog-title"]`).Text())
		})
		more, ok := byTestID(p.Doc, "show-more").Attr("href")
		if !ok {
			break
		}
		u = st.PortalURL + more
	}
	return titles
}

// postFile posts form to the portal with c's cookies and returns the answer's headers and raw
// body (a file, not a page).
func postFile(t *testing.T, c *browsertest.Client, u string, form url.Values) (*http.Response, []byte) {
	t.Helper()
	resp, err := c.HTTP.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// exportLink is the CSV link the inbox page at u offers.
func exportLink(t *testing.T, st *stack, c *browsertest.Client, u string) string {
	t.Helper()
	p := c.Get(u)
	href, ok := byTestID(p.Doc, "export-csv").Attr("href")
	if !ok {
		t.Fatalf("%s offers no CSV export", u)
	}
	return st.PortalURL + href
}

// TestRouterExportCSV: the inbox's CSV link exports every dialog the list shows over all its
// pages, in the same order, for one party and for all organisations, with filters; the file
// opens as Excel in Norwegian wants it and reads back with the dialog's title, party and link.
func TestRouterExportCSV(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	for _, u := range []string{inbox, st.PortalURL + "/inbox?party=all-orgs", st.PortalURL + "/inbox?party=all-orgs&folder=archive&sort=created"} {
		want := allRows(t, st, c, u)
		titles := listTitles(t, st, c, u)
		if len(want) == 0 {
			t.Fatalf("%s lists nothing to export", u)
		}
		p := c.Get(exportLink(t, st, c, u))
		if p.Resp.StatusCode != http.StatusOK {
			t.Fatalf("export of %s: %d", u, p.Resp.StatusCode)
		}
		if ct := p.Resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := p.Resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
			t.Errorf("Content-Disposition %q, want an attachment named .csv", cd)
		}
		recs := readCSV(t, p.Body)
		if got := strings.Join(recs[0], ";"); got != "Aktør;Organisasjonsnummer;Avsender;Tittel;Status;Opprettet;Oppdatert;Frist;Mappe;Lenke" {
			t.Errorf("header %q", got)
		}
		var got []string
		for i, r := range recs[1:] {
			if len(r) != 10 {
				t.Fatalf("row %d has %d cells: %q", i+1, len(r), r)
			}
			id, ok := strings.CutPrefix(r[9], st.PortalURL+"/dialogs/")
			if !ok {
				t.Fatalf("row %d links %q, want an absolute link into Innboks", i+1, r[9])
			}
			got = append(got, id)
			d := emuDialog(t, st, id)
			if title := titles[id]; strings.TrimPrefix(r[3], "'") != title {
				t.Errorf("row %d: title %q, the list's %q", i+1, r[3], title)
			}
			if strings.HasPrefix(d.Party, "urn:altinn:organization:identifier-no:") && r[1] != strings.TrimPrefix(d.Party, "urn:altinn:organization:identifier-no:") {
				t.Errorf("row %d: organisation number %q for party %s", i+1, r[1], d.Party)
			}
			if strings.HasPrefix(d.Party, "urn:altinn:person:") && r[1] != "" {
				t.Errorf("row %d: a person's row has the number %q", i+1, r[1])
			}
			for _, cell := range r {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("row %d: unguarded cell %q", i+1, cell)
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: the CSV has %d dialogs, the list %d, or another order", u, len(got), len(want))
		}
	}
	// A party the user may not act for is refused, as the inbox refuses it.
	if p := c.Get(st.PortalURL + "/inbox/export.csv?party=00000000-0000-0000-0000-000000000000"); p.Resp.StatusCode != http.StatusForbidden {
		t.Errorf("export for a stranger's party: %d, want 403", p.Resp.StatusCode)
	}
}

// zipDialogs are up to n dialogs of the user's with attachments, from the listed ones.
func zipDialogs(t *testing.T, st *stack, c *browsertest.Client, inbox string, n int) []string {
	t.Helper()
	var ids []string
	for _, id := range listedDialogs(t, st, c, inbox) {
		d := emuDialog(t, st, id)
		atts := len(d.Attachments)
		for _, tx := range d.Transmissions {
			atts += len(tx.Attachments)
		}
		if atts > 0 && len(ids) < n {
			ids = append(ids, id)
		}
	}
	if len(ids) < n {
		t.Fatalf("only %d listed dialogs have attachments, want %d", len(ids), n)
	}
	return ids
}

// emuAttachments are a dialog's attachments in the emulator: its own, then its transmissions'.
func emuAttachments(d *dpemu.Dialog) []*dpemu.Attachment {
	var out []*dpemu.Attachment
	for i := range d.Attachments {
		out = append(out, &d.Attachments[i])
	}
	for i := range d.Transmissions {
		for j := range d.Transmissions[i].Attachments {
			out = append(out, &d.Transmissions[i].Attachments[j])
		}
	}
	return out
}

// TestRouterExportZIP: the bulk form's ZIP of 10 dialogs holds every attachment the user may
// download, byte for byte as the emulator serves it, in a folder per party and dialog; the
// manifest lists each file with its size and sha256, and each file left out with why. A
// dialog of another person is refused like an unknown one, and a post without the CSRF
// token is refused.
func TestRouterExportZIP(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedInEnv(t, zipTestEnv)
	ids := zipDialogs(t, st, c, inbox, 10)
	csrf := byTestID(c.Get(inbox).Doc, "bulk-form").Find(`input[name="csrf"]`).AttrOr("value", "")
	form := url.Values{"csrf": {csrf}, "dialog": append(slices.Clone(ids), othersDialog(t, st)), "return_to": {inbox}}
	resp, body := postFile(t, c, st.PortalURL+"/inbox/zip", form)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip: %d %s %.300s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".zip") {
		t.Errorf("Content-Disposition %q, want an attachment named .zip", cd)
	}
	if bytes.Contains(body, []byte(c.Secret)) {
		t.Error("the ZIP contains the national identity number")
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if strings.Contains(f.Name, "..") || strings.HasPrefix(f.Name, "/") || strings.Contains(f.Name, `\`) {
			t.Errorf("unsafe path %q", f.Name)
		}
		files[f.Name] = b
	}
	rows := readCSV(t, string(files["manifest.csv"]))
	if len(rows) < 2 {
		t.Fatalf("manifest has %d rows", len(rows))
	}
	perDialog := map[string][][]string{}
	for _, r := range rows[1:] {
		if len(r) == len(rows[0]) { // not the note of a cut search
			perDialog[r[2]] = append(perDialog[r[2]], r)
		}
	}
	ok := 0
	for _, id := range ids {
		atts := emuAttachments(emuDialog(t, st, id))
		got := perDialog[id]
		if len(got) == 1 && got[0][4] == "" && got[0][7] == "unauthorized" {
			continue // a dialog above the login's security level: listed, not loaded
		}
		if len(got) != len(atts) {
			t.Errorf("dialog %s: %d manifest rows, %d attachments in the emulator", id, len(got), len(atts))
			continue
		}
		for i, r := range got {
			path := strings.TrimPrefix(r[0], "'")
			switch r[7] {
			case "ok":
				ok++
				want := expectedBytes(t, atts[i])
				if !bytes.Equal(files[path], want) {
					t.Errorf("%s: %d bytes differ from the emulator's %d", path, len(files[path]), len(want))
				}
				h := sha256.Sum256(want)
				if r[6] != hex.EncodeToString(h[:]) || r[5] != strconv.Itoa(len(want)) {
					t.Errorf("%s: manifest size %s sha256 %s, want %d %x", path, r[5], r[6], len(want), h)
				}
				if parts := strings.Split(path, "/"); len(parts) != 3 {
					t.Errorf("%s: want party/dialog/file", path)
				}
			case "unauthorized", "expired", "refused", "no file":
				// The emulator's rules decide these (placeholders, expiry, a dialog above the login's level).
				if _, there := files[path]; path != "" && there {
					t.Errorf("%s is in the ZIP though the manifest says %s", path, r[7])
				}
			default:
				t.Errorf("dialog %s (%s) attachment %q: status %q", id, kindOf(emuDialog(t, st, id)), r[4], r[7])
			}
		}
	}
	if ok < 10 {
		t.Errorf("only %d files in a ZIP of 10 dialogs with attachments", ok)
	}
	if len(files) != ok+1 {
		t.Errorf("the ZIP has %d files, the manifest %d ok and itself", len(files), ok)
	}
	if t.Failed() {
		for _, l := range strings.Split(st.logs.String(), "\n") {
			if strings.Contains(l, "zip") || strings.Contains(l, "WARN") || strings.Contains(l, "ERROR") {
				t.Log(l[:min(len(l), 700)])
			}
		}
	}
	other := perDialog[form["dialog"][len(form["dialog"])-1]]
	if len(other) != 1 || other[0][7] != "not found" {
		t.Errorf("another person's dialog in the ZIP: %q, want one row \"not found\"", other)
	}

	// Without the CSRF token: refused, no file.
	form.Del("csrf")
	if p := c.PostForm(st.PortalURL+"/inbox/zip", form); p.Resp.StatusCode != http.StatusForbidden {
		t.Errorf("zip without the CSRF token: %d, want 403", p.Resp.StatusCode)
	}
	// More than a ZIP holds: a page that says so.
	many := url.Values{"csrf": {csrf}}
	for i := range 101 {
		many.Add("dialog", "0194c6a3-0000-7000-8000-"+strings.Repeat("0", 9)+strconv.Itoa(100+i))
	}
	if p := c.PostForm(st.PortalURL+"/inbox/zip", many); p.Resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(byTestID(p.Doc, "bulk-summary").Text(), "høyst 100") {
		t.Errorf("zip of 101 dialogs: %d %q", p.Resp.StatusCode, byTestID(p.Doc, "bulk-summary").Text())
	}
	// The whole search: the first dialogs of the list, with the search's own form.
	wp := c.Get(inbox)
	sf := byTestID(wp.Doc, "zip-search-form")
	whole := url.Values{"csrf": {sf.Find(`input[name="csrf"]`).AttrOr("value", "")}, "search": {sf.Find(`input[name="search"]`).AttrOr("value", "")}}
	resp, body = postFile(t, c, st.PortalURL+"/inbox/zip", whole)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("zip of the whole search: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	zr, err = zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil || len(zr.File) < 2 {
		t.Fatalf("zip of the whole search: not a ZIP with files (%v)", err)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
	}
	if total > zipTestMaxBytes+64<<10 { // the files, plus the manifest
		t.Errorf("the whole search's ZIP holds %d bytes, over its limit of %d", total, zipTestMaxBytes)
	}
}

// zipTestMaxBytes is the ZIP limit of the export tests' portals (ZIP_MAX_BYTES): about one in 25
// seeded dialogs has a 1 GiB attachment, and a whole search's ZIP at the default 2 GiB would
// outlast the test client under -race; a small limit also shows the limit holds.
const zipTestMaxBytes = 32 << 20

var zipTestEnv = map[string]string{"ZIP_MAX_BYTES": strconv.Itoa(zipTestMaxBytes)}

// TestRouterExportGroupScope: a group of the person's (made from pasted organisation numbers)
// is a scope like any other: its CSV holds exactly what its inbox lists, a ZIP of its whole
// search is made, and a search saved on it is named by the group and counted. Another person's
// group is not found.
func TestRouterExportGroupScope(t *testing.T) {
	t.Parallel()
	st, c, _ := loggedInEnv(t, zipTestEnv)
	portal := st.PortalURL
	all := readCSV(t, c.Get(exportLink(t, st, c, portal+"/inbox?party=all-orgs")).Body)
	var orgNos []string
	for _, r := range all[1:] {
		if r[1] != "" && !slices.Contains(orgNos, r[1]) && len(orgNos) < 2 {
			orgNos = append(orgNos, r[1])
		}
	}
	if len(orgNos) < 2 {
		t.Fatalf("all organisations' CSV names fewer than two organisations: %q", orgNos)
	}
	groups := c.Get(portal + "/groups")
	csrf := byTestID(groups.Doc, "group-new").Find(`input[name="csrf"]`).AttrOr("value", "")
	made := c.PostForm(portal+"/groups", url.Values{"csrf": {csrf}, "name": {"Klienter"}, "orgnos": {strings.Join(orgNos, "\n")}})
	href, ok := byTestID(made.Doc, "group-link").Attr("href")
	if made.Resp.StatusCode != http.StatusOK || !ok {
		t.Fatalf("make a group: %d, no link to its inbox", made.Resp.StatusCode)
	}
	groupInbox := portal + href
	want := allRows(t, st, c, groupInbox)
	recs := readCSV(t, c.Get(exportLink(t, st, c, groupInbox)).Body)
	var got []string
	for _, r := range recs[1:] {
		got = append(got, strings.TrimPrefix(r[9], portal+"/dialogs/"))
		if !slices.Contains(orgNos, r[1]) {
			t.Errorf("a row of party %q in the export of a group of %q", r[1], orgNos)
		}
	}
	if len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("the group's CSV has %d dialogs, its inbox %d, or another order", len(got), len(want))
	}

	sf := byTestID(c.Get(groupInbox).Doc, "zip-search-form")
	whole := url.Values{"csrf": {sf.Find(`input[name="csrf"]`).AttrOr("value", "")}, "search": {sf.Find(`input[name="search"]`).AttrOr("value", "")}}
	if resp, _ := postFile(t, c, portal+"/inbox/zip", whole); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/zip" {
		t.Errorf("ZIP of the group's search: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}

	if p := saveSearch(t, c, portal, groupInbox, "Klientene"); p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("save the group's search: %d", p.Resp.StatusCode)
	}
	list := c.Get(portal + "/searches")
	if s := squash(byTestID(list.Doc, "saved-summary").Text()); !strings.Contains(s, "Gruppen Klienter") {
		t.Errorf("saved search summary %q, want it to name the group", s)
	}
	id := savedRows(t, c, portal)["Klientene"]
	if got := savedCount(t, c, portal, id, true); got != "0" {
		t.Errorf("the group search's count: %q, want 0", got)
	}

	other, _ := portalClient(t, st.Stack, st.Users()[1].PID)
	if p := other.Get(exportLink(t, st, c, groupInbox)); p.Resp.StatusCode != http.StatusNotFound {
		t.Errorf("another person's export of the group: %d, want 404", p.Resp.StatusCode)
	}
}
