package inbox

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// TestCompactBatchCursor: the cursor of "all organisations" (20 batches) round-trips through
// the compact form and stays well under the 2,048 characters a return-to path may have.
func TestCompactBatchCursor(t *testing.T) {
	t.Parallel()
	base := time.Date(2026, 11, 25, 13, 4, 5, 123456700, time.UTC)
	for _, orderBy := range []string{"updatedAt_desc", "createdAt_desc", "dueAt_asc"} {
		c := batchCursor{}
		for i := range 20 {
			d := dpclient.SearchDialog{ID: fmt.Sprintf("0190fbd7-%04x-7000-8000-%012x", i, i*7919),
				UpdatedAt: base.Add(-time.Duration(i) * time.Hour), CreatedAt: base.Add(-time.Duration(i) * 48 * time.Hour)}
			if i%3 != 0 {
				due := base.Add(time.Duration(i) * 24 * time.Hour)
				d.DueAt = &due
			}
			switch {
			case i == 5:
				c[i] = batchPos{} // from the start
			case i == 9:
				// a batch without more is absent from the cursor
			default:
				c[i] = batchPos{Token: keysetToken(d, orderBy)}
			}
		}
		s := encodeBatchCursor(c)
		if !strings.HasPrefix(s, "c.") {
			t.Fatalf("%s: encoded in the %q form, want the compact one", orderBy, s[:2])
		}
		t.Logf("%s: %d positions in %d characters", orderBy, len(c), len(s))
		if len(s) > 1024 {
			t.Errorf("%s: a 19-batch cursor is %d characters, want ≤ 1024", orderBy, len(s))
		}
		got, ok := decodeBatchCursor(s)
		if !ok || len(got) != len(c) {
			t.Fatalf("%s: decode: ok %v, %d positions, want %d", orderBy, ok, len(got), len(c))
		}
		for i, pos := range c {
			if got[i] != pos {
				t.Errorf("%s: batch %d: got %q, want %q", orderBy, i, got[i].Token, pos.Token)
			}
		}
		if again := encodeBatchCursor(got); again != s {
			t.Errorf("%s: encoding is not deterministic", orderBy)
		}
	}
}

func TestBatchCursorForms(t *testing.T) {
	t.Parallel()
	// Tokens that are not keyset tokens of ours fall back to the JSON form and round-trip.
	odd := batchCursor{0: {Token: "a"}, 7: {Token: "updatedat_2026-11-25T13:04:05.1234567Z,id_NOT-A-UUID"}}
	s := encodeBatchCursor(odd)
	if !strings.HasPrefix(s, "b.") {
		t.Errorf("odd tokens encoded as %q, want the JSON form", s)
	}
	if got, ok := decodeBatchCursor(s); !ok || got[0] != odd[0] || got[7] != odd[7] {
		t.Errorf("JSON form round trip = %v, %v", got, ok)
	}
	// Garbage in the compact form is refused, not half-read.
	valid := encodeBatchCursor(batchCursor{2: {Token: "updatedat_2026-11-25T13:04:05.1234567Z,id_0190fbd7-0001-7000-8000-000000000001"}})
	for _, bad := range []string{"c.!!!", "c.AQ", "c.Ag", "c.AgM", valid[:len(valid)-3], "c." + strings.Repeat("_", 40)} {
		if got, ok := decodeBatchCursor(bad); ok {
			t.Errorf("decode(%q) accepted: %v", bad, got)
		}
	}
	if got, ok := decodeBatchCursor("c."); !ok || len(got) != 0 {
		t.Errorf(`decode("c.") = %v, %v; want an empty cursor`, got, ok)
	}
}
