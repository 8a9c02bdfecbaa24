package export

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
)

// fakeDialogs is a dialog service over fixed dialogs whose files are seeded random bytes.
type fakeDialogs struct {
	dialogs map[string]*dpclient.Dialog
	sizes   map[string]int64 // attachment id → size
	errs    map[string]error // attachment id → Download's error
	loads   int
	open    int // bodies not closed yet
}

func (f *fakeDialogs) Load(_ context.Context, _ *inbox.User, ix *inbox.PartyIndex, id string) (*dpclient.Dialog, error) {
	f.loads++
	d, ok := f.dialogs[id]
	if !ok {
		return nil, inbox.ErrNotFound
	}
	if _, mine := ix.ByURN(d.Party); !mine {
		return nil, inbox.ErrNotFound
	}
	return d, nil
}

func (f *fakeDialogs) Download(_ context.Context, _ *inbox.User, _ *dpclient.Dialog, attID, _ string) (*inbox.Attachment, error) {
	if err := f.errs[attID]; err != nil {
		return nil, err
	}
	f.open++
	return &inbox.Attachment{Body: &countedBody{Reader: blob(attID, f.sizes[attID]), open: &f.open}, ContentType: "application/pdf", Length: -1}, nil
}

type countedBody struct {
	io.Reader
	open *int
}

func (b *countedBody) Close() error { *b.open--; return nil }

// blob is an attachment's bytes: pseudo-random from its id.
func blob(id string, n int64) io.Reader {
	seed := sha256.Sum256([]byte(id))
	return io.LimitReader(rand.NewChaCha8(seed), n)
}

func att(id, name string) dpclient.Attachment {
	return dpclient.Attachment{ID: id, Name: name, URLs: []dpclient.AttachmentURL{{ID: id + "-u", URL: "https://so.example/" + id, ConsumerType: dpclient.AttachmentURLConsumerGUI}}}
}

func dialog(id, party, title string, atts ...dpclient.Attachment) *dpclient.Dialog {
	d := &dpclient.Dialog{ID: id, Party: party, Attachments: atts}
	d.Content.Title.Value = dpclient.Localizations{{Value: title, LanguageCode: "nb"}}
	return d
}

func readZip(t *testing.T, b []byte) (map[string][]byte, [][]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		files[f.Name] = data
	}
	m, ok := files["manifest.csv"]
	if !ok {
		t.Fatalf("no manifest.csv among %d files", len(files))
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(m, []byte("\uFEFF"))))
	r.Comma, r.FieldsPerRecord = ';', -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	return files, rows
}

// TestZIP: files in party and dialog folders, names sanitised and made unique, every file's
// bytes and hash in the manifest, and every skipped file and dialog listed with why.
func TestZIP(t *testing.T) {
	t.Parallel()
	const d1, d2, d3, foreign = "0194c6a3-0000-7000-8000-000000000001", "0194c6a3-0000-7000-8000-000000000002",
		"0194c6a3-0000-7000-8000-000000000003", "0194c6a3-0000-7000-8000-0000000000ff"
	f := &fakeDialogs{
		dialogs: map[string]*dpclient.Dialog{
			d1: dialog(d1, orgURN, "Skattemelding 2025", att("a1", "vedtak.pdf"), att("a2", "vedtak.pdf"), att("a3", "../../etc/passwd"), att("a4", "CON.txt")),
			d2: dialog(d2, personURN, "Brev / svar", att("b1", "brev.pdf"), att("b2", "hemmelig.pdf"), att("b3", "gammel.pdf"), att("b4", "ekstern.pdf"),
				dpclient.Attachment{ID: "b5", Name: "api.xml", URLs: []dpclient.AttachmentURL{{ID: "x", ConsumerType: dpclient.AttachmentURLConsumerAPI}}}),
			d3:      dialog(d3, orgURN, "Skattemelding 2025", att("c1", "vedtak.pdf")),
			foreign: dialog(foreign, "urn:altinn:organization:identifier-no:999999999", "Not yours", att("z1", "z.pdf")),
		},
		sizes: map[string]int64{"a1": 100_000, "a2": 10, "a3": 5, "a4": 7, "b1": 300_000, "c1": 0},
		errs: map[string]error{"b2": inbox.ErrNotAuthorized, "b3": inbox.ErrExpired,
			"b4": fmt.Errorf("%w: not https", outbound.ErrURLRefused)},
	}
	a := NewAttachments(f, nil, nil, ZipConfig{})
	var buf bytes.Buffer
	sum, err := a.ZIP(t.Context(), &buf, ZipRequest{User: &inbox.User{Key: "k", Lang: "nb"}, Parties: testParties(),
		IDs: []string{d1, d2, foreign, d3, "0194c6a3-0000-7000-8000-00000000dead"}, Header: ManifestColumns})
	if err != nil {
		t.Fatal(err)
	}
	if f.open != 0 {
		t.Errorf("%d download bodies left open", f.open)
	}
	files, rows := readZip(t, buf.Bytes())
	wantFiles := map[string]string{
		"=Evil AS 310000001/Skattemelding 2025 0194c6a3/vedtak.pdf":     "a1",
		"=Evil AS 310000001/Skattemelding 2025 0194c6a3/vedtak (2).pdf": "a2",
		"=Evil AS 310000001/Skattemelding 2025 0194c6a3/_.._etc_passwd": "a3",
		"=Evil AS 310000001/Skattemelding 2025 0194c6a3/_CON.txt":       "a4",
		"Kari Nordmann/Brev _ svar 0194c6a3/brev.pdf":                   "b1",
		"=Evil AS 310000001/Skattemelding 2025 0194c6a3 (2)/vedtak.pdf": "c1",
	}
	for p, id := range wantFiles {
		got, ok := files[p]
		if !ok {
			t.Errorf("no %q in the ZIP; it has %q", p, keys(files))
			continue
		}
		want, _ := io.ReadAll(blob(id, f.sizes[id]))
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the %d served", p, len(got), len(want))
		}
	}
	if len(files) != len(wantFiles)+1 {
		t.Errorf("ZIP has %d files, want %d and the manifest: %q", len(files), len(wantFiles), keys(files))
	}
	status := map[string]string{} // attachment or dialog → status
	for _, r := range rows[1:] {
		key := r[4]
		if key == "" {
			key = r[2]
		}
		status[key] = r[7]
		if r[7] == StatusOK {
			p := strings.TrimPrefix(r[0], "'") // the guard's apostrophe (the party is "=Evil AS")
			h := sha256.Sum256(files[p])
			if r[6] != hex.EncodeToString(h[:]) || r[5] != fmt.Sprint(len(files[p])) {
				t.Errorf("manifest row %q: size or sha256 do not match the file", r)
			}
		}
	}
	for k, want := range map[string]string{
		"hemmelig.pdf": SkipUnauthorized, "gammel.pdf": SkipExpired, "ekstern.pdf": SkipRefused, "api.xml": SkipNoFile,
		foreign: SkipNotFound, "0194c6a3-0000-7000-8000-00000000dead": SkipNotFound, "brev.pdf": StatusOK,
	} {
		if status[k] != want {
			t.Errorf("manifest status of %s: %q, want %q", k, status[k], want)
		}
	}
	if sum.Dialogs != 3 || sum.Files != 6 || sum.Skipped != 6 {
		t.Errorf("summary %+v, want 3 dialogs, 6 files, 6 skipped", sum)
	}
	if strings.Contains(buf.String(), "01017012345") {
		t.Error("a person's identity number is in the ZIP")
	}
}

// TestZIPLimits: more dialogs than a ZIP holds are refused before anything is written; past
// the size limit files are skipped as "limit".
func TestZIPLimits(t *testing.T) {
	t.Parallel()
	f := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{}, sizes: map[string]int64{}}
	var ids []string
	for i := range 3 {
		id := fmt.Sprintf("0194c6a3-0000-7000-8000-%012d", i)
		f.dialogs[id] = dialog(id, orgURN, "D", att(id+"a", "a.pdf"), att(id+"b", "b.pdf"))
		f.sizes[id+"a"], f.sizes[id+"b"] = 600, 600
		ids = append(ids, id)
	}
	u := &inbox.User{Key: "k", Lang: "nb"}
	a := NewAttachments(f, nil, nil, ZipConfig{MaxDialogs: 2, MaxBytes: 1500})
	var buf bytes.Buffer
	if _, err := a.ZIP(t.Context(), &buf, ZipRequest{User: u, Parties: testParties(), IDs: ids, Header: ManifestColumns}); err != ErrTooMany || buf.Len() != 0 {
		t.Fatalf("3 dialogs in a ZIP of 2: %v, %d bytes; want ErrTooMany and nothing", err, buf.Len())
	}
	sum, err := a.ZIP(t.Context(), &buf, ZipRequest{User: u, Parties: testParties(), IDs: ids[:2], Header: ManifestColumns, Cut: "Only the first 2"})
	if err != nil {
		t.Fatal(err)
	}
	_, rows := readZip(t, buf.Bytes())
	if last := rows[len(rows)-1]; len(last) != 1 || last[0] != "Only the first 2" {
		t.Errorf("the manifest's last line %q, want the cut note", last)
	}
	var got []string
	for _, r := range rows[1 : len(rows)-1] {
		got = append(got, r[7])
	}
	if fmt.Sprint(got) != "[ok ok limit limit]" || sum.Bytes != 1200 {
		t.Errorf("statuses %q, %d bytes; want two files and two over the limit, 1200 bytes", got, sum.Bytes)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestSanitize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"vedtak.pdf":                     "vedtak.pdf",
		"../../x":                        "_.._x",
		"a/b\\c:d*e?f\"g<h>i|j":          "a_b_c_d_e_f_g_h_i_j",
		"  .hidden. ":                    "hidden",
		"..":                             "fb",
		"":                               "fb",
		"nul":                            "_nul",
		"COM1.txt":                       "_COM1.txt",
		"COMX.txt":                       "COMX.txt",
		"tab\there\nnl":                  "tab here nl",
		"rtl\u202Eexe.pdf":               "rtl_exe.pdf",
		"A\u030A.pdf":                    "Å.pdf",
		strings.Repeat("x", 80) + ".pdf": strings.Repeat("x", 56) + ".pdf",
	} {
		if got := Sanitize(in, "fb"); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}
