package export

import (
	"encoding/csv"
	"io"
	"strings"
)

// bom is UTF-8's byte order mark: with it Excel reads the file as UTF-8 (æ, ø, å) rather than
// in the system's legacy code page.
const bom = "\uFEFF"

// Guard defuses a cell a spreadsheet would take for a formula (CSV injection, OWASP): text that
// starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe, which Excel and
// LibreOffice show as text and do not evaluate. Titles and names come from service owners and
// other people, so no cell is trusted.
func Guard(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// table writes CSV the way a Norwegian Excel opens it without an import dialogue: UTF-8 with a
// byte order mark, semicolons between cells (the comma is the decimal separator there), CRLF
// line ends, and every cell guarded.
type table struct {
	w   *csv.Writer
	row []string
}

// newTable writes the byte order mark to w and returns the table.
func newTable(w io.Writer) (*table, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	return &table{w: cw}, nil
}

// write writes one row of guarded cells; csv.Writer quotes where a cell needs it.
func (t *table) write(cells ...string) error {
	t.row = t.row[:0]
	for _, c := range cells {
		t.row = append(t.row, Guard(c))
	}
	return t.w.Write(t.row)
}

// flush writes what is buffered and reports the first error of any write.
func (t *table) flush() error {
	t.w.Flush()
	return t.w.Error()
}
