package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
)

func TestGuard(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                  "",
		"Skattemelding":     "Skattemelding",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+47 22":            "'+47 22",
		"-1+1":              "'-1+1",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tcmd":             "'\tcmd",
		"\rcmd":             "'\rcmd",
		"a=b":               "a=b",
		"Æra":               "Æra",
	} {
		if got := Guard(in); got != want {
			t.Errorf("Guard(%q) = %q, want %q", in, got, want)
		}
	}
}

// fakeSearch yields rows in order, or fails before the first.
type fakeSearch struct {
	rows  []dpclient.SearchDialog
	err   error
	limit int // the Limit it was asked with
}

func (f *fakeSearch) Each(_ context.Context, _ *inbox.User, _ []string, p dpclient.SearchParams, yield func(dpclient.SearchDialog) bool) error {
	f.limit = p.Limit
	if f.err != nil {
		return f.err
	}
	for _, d := range f.rows {
		if !yield(d) {
			return nil
		}
	}
	return nil
}

const (
	orgURN    = "urn:altinn:organization:identifier-no:310000001"
	personURN = "urn:altinn:person:identifier-no:01017012345"
)

func testParties() *inbox.PartyIndex {
	return inbox.NewPartyIndex(&dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{Party: personURN, PartyUUID: "11111111-1111-1111-1111-111111111111", Name: "Kari Nordmann", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true},
		{Party: orgURN, PartyUUID: "22222222-2222-2222-2222-222222222222", Name: "=Evil AS", PartyType: dpclient.PartyTypeOrganization},
	}})
}

func title(s string) *dpclient.SearchContent {
	return &dpclient.SearchContent{Title: dpclient.ContentValue{Value: dpclient.Localizations{{Value: s, LanguageCode: "nb"}}}}
}

func testRequest() ResultsRequest {
	return ResultsRequest{
		User: &inbox.User{Key: "k", Lang: "nb"}, Parties: testParties(), Scope: []string{orgURN, personURN}, Folder: "inbox",
		Labels: ResultsLabels{
			Header: []string{"Aktør", "Org.nr.", "Avsender", "Tittel", "Status", "Opprettet", "Oppdatert", "Frist", "Mappe", "Lenke"},
			Status: func(s dpclient.DialogStatus) string { return "S:" + string(s) },
			Folder: func(f string) string { return "F:" + f },
			Cut:    "Cut at 3",
		},
	}
}

func readBack(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: % x", b[:min(len(b), 8)])
	}
	r := csv.NewReader(bytes.NewReader(b[3:]))
	r.Comma, r.FieldsPerRecord = ';', -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, b)
	}
	return recs
}

// TestResultsCSV: header in the user's words, one row per dialog with the party's name and
// organisation number (never a person's identity number), times in Norwegian time, the folder
// and an absolute link; semicolons, CRLF, quoting, and every cell guarded.
func TestResultsCSV(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 1, 10, 30, 0, 0, time.UTC)
	due := at.Add(48 * time.Hour)
	s := &fakeSearch{rows: []dpclient.SearchDialog{
		{ID: "0194c6a3-0000-7000-8000-000000000001", Party: orgURN, Org: "skd", CreatedAt: at, UpdatedAt: at, DueAt: &due,
			Status: dpclient.DialogStatusRequiresAttention, Content: title("Skattemelding; 2025 \"utkast\"")},
		{ID: "0194c6a3-0000-7000-8000-000000000002", Party: personURN, Org: "nav", CreatedAt: at, UpdatedAt: at,
			Status: dpclient.DialogStatusCompleted, Content: title("=1+1"),
			EndUserContext: dpclient.EndUserContext{SystemLabels: []dpclient.SystemLabel{dpclient.SystemLabelArchive}}},
		{ID: "not-a-uuid", Party: orgURN, ServiceResource: "urn:altinn:resource:x", CreatedAt: at, UpdatedAt: at},
	}}
	var buf bytes.Buffer
	sum, err := NewResults(s, "https://innboks.example/").CSV(t.Context(), &buf, testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 3 || sum.Cut {
		t.Errorf("summary %+v, want 3 rows, not cut", sum)
	}
	if !strings.Contains(buf.String(), "\r\n") {
		t.Error("lines do not end in CRLF")
	}
	if strings.Contains(buf.String(), "01017012345") {
		t.Error("a person's identity number is in the file")
	}
	recs := readBack(t, buf.Bytes())
	want := [][]string{
		testRequest().Labels.Header,
		{"'=Evil AS", "310000001", "SKD", "Skattemelding; 2025 \"utkast\"", "S:RequiresAttention", "2026-06-01 12:30", "2026-06-01 12:30", "2026-06-03 12:30", "F:inbox", "https://innboks.example/dialogs/0194c6a3-0000-7000-8000-000000000001"},
		{"Kari Nordmann", "", "NAV", "'=1+1", "S:Completed", "2026-06-01 12:30", "2026-06-01 12:30", "", "F:archive", "https://innboks.example/dialogs/0194c6a3-0000-7000-8000-000000000002"},
		{"'=Evil AS", "310000001", "", "urn:altinn:resource:x", "S:", "2026-06-01 12:30", "2026-06-01 12:30", "", "F:inbox", ""},
	}
	if len(recs) != len(want) {
		t.Fatalf("got %d records, want %d: %q", len(recs), len(want), recs)
	}
	for i := range want {
		if fmt.Sprint(recs[i]) != fmt.Sprint(want[i]) {
			t.Errorf("record %d:\n got %q\nwant %q", i, recs[i], want[i])
		}
	}
	if len(Columns) != len(want[0]) {
		t.Errorf("%d columns, %d header cells", len(Columns), len(want[0]))
	}
}

// TestResultsCSVCut: at the row limit the export stops and says so on its last line; the
// upstream is never asked for more than a row past the limit.
func TestResultsCSVCut(t *testing.T) {
	t.Parallel()
	s := &fakeSearch{}
	for i := range 5 {
		s.rows = append(s.rows, dpclient.SearchDialog{ID: fmt.Sprintf("d%d", i), Party: orgURN})
	}
	r := NewResults(s, "https://innboks.example")
	r.max = 3
	var buf bytes.Buffer
	sum, err := r.CSV(t.Context(), &buf, testRequest())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 3 || !sum.Cut {
		t.Errorf("summary %+v, want 3 rows, cut", sum)
	}
	recs := readBack(t, buf.Bytes())
	if len(recs) != 5 || recs[4][0] != "Cut at 3" || len(recs[4]) != 1 {
		t.Errorf("records %q: want header, 3 rows and the cut line", recs)
	}
	if s.limit != 4 {
		t.Errorf("asked with limit %d, want 4 (one past the cut)", s.limit)
	}
	// Exactly at the limit: not cut.
	s.rows = s.rows[:3]
	buf.Reset()
	if sum, _ := r.CSV(t.Context(), &buf, testRequest()); sum.Cut || strings.Contains(buf.String(), "Cut at") {
		t.Errorf("an export of exactly the limit says it was cut")
	}
}

// TestResultsCSVFailsCleanly: a search that fails at once writes nothing, so the caller can
// still answer with an error page; an empty search writes the header alone.
func TestResultsCSVFailsCleanly(t *testing.T) {
	t.Parallel()
	boom := errors.New("upstream down")
	var buf bytes.Buffer
	if _, err := NewResults(&fakeSearch{err: boom}, "").CSV(t.Context(), &buf, testRequest()); !errors.Is(err, boom) || buf.Len() != 0 {
		t.Errorf("failed search: err %v, %d bytes written; want the error and nothing", err, buf.Len())
	}
	if _, err := NewResults(&fakeSearch{}, "").CSV(t.Context(), &buf, testRequest()); err != nil {
		t.Fatal(err)
	}
	if recs := readBack(t, buf.Bytes()); len(recs) != 1 {
		t.Errorf("empty search: %q, want the header alone", recs)
	}
}

func TestPageLimit(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ parties, most, want int }{
		{1, 10_000, 1000}, {100, 10_000, 1000}, {101, 10_000, 1000}, {2000, 10_000, 250}, {15_000, 10_000, 50}, {1, 3, 4},
	} {
		if got := pageLimit(c.parties, c.most); got != c.want {
			t.Errorf("pageLimit(%d, %d) = %d, want %d", c.parties, c.most, got, c.want)
		}
	}
}
