package handlers

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
)

func bulkForm(action string, n int) url.Values {
	f := url.Values{"action": {action}, "return_to": {"/inbox?folder=archive"}}
	for i := range n {
		id := fmt.Sprintf("0190fbd7-0000-7000-8000-%012d", i)
		f.Add("dialog", id)
		f.Set("title."+id, fmt.Sprintf("Melding %d", i))
	}
	return f
}

func TestBulkLabels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		action string
		want   dpclient.SystemLabel
	}{
		{"archive", dpclient.SystemLabelArchive},
		{"bin", dpclient.SystemLabelBin},
		{"restore", dpclient.SystemLabelDefault},
		{"unread", dpclient.SystemLabelMarkedAsUnopened},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: bulkForm(tt.action, 3)})
			if rec.Code != 200 {
				t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
			}
			if len(h.dp.bulks) != 1 {
				t.Fatalf("%d bulk calls, want 1", len(h.dp.bulks))
			}
			b := h.dp.bulks[0]
			if !slices.Equal(b.AddLabels, []dpclient.SystemLabel{tt.want}) || len(b.RemoveLabels) != 0 || len(b.Dialogs) != 3 {
				t.Errorf("request %+v", b)
			}
		})
	}
}

func dialogID(i int) string { return fmt.Sprintf("0190fbd7-0000-7000-8000-%012d", i) }

// refuse answers like Dialogporten when a bulk request holds one of the given dialogs.
func refuse(status int, bad ...int) func(dpclient.BulkSetSystemLabelsRequest) error {
	return func(req dpclient.BulkSetSystemLabelsRequest) error {
		for _, d := range req.Dialogs {
			for _, b := range bad {
				if d.DialogID == dialogID(b) {
					return &dpclient.Error{StatusCode: status}
				}
			}
		}
		return nil
	}
}

// TestBulkBatches: 250 dialogs go in batches of at most 100; a batch refused because of some
// dialogs is split until each row has its own result.
func TestBulkBatches(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		t.Run(fmt.Sprintf("htmx=%v", htmx), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.dp.bulkErr = refuse(404, 100, 150)
			rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, htmx: htmx, form: bulkForm("archive", 250)})
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			first := []int{}
			for _, b := range h.dp.bulks {
				if len(b.Dialogs) > maxBulk {
					t.Errorf("a call carried %d dialogs", len(b.Dialogs))
				}
				first = append(first, len(b.Dialogs))
			}
			if first[0] != 100 || first[1] != 100 || first[len(first)-1] != 50 {
				t.Errorf("call sizes %v, want 100, 100, …splits…, 50", first)
			}
			if len(h.dp.bulks) > 3+2*2*7 {
				t.Errorf("%d calls; the split should need about 2·log2(100) per refused dialog", len(h.dp.bulks))
			}
			d := doc(t, rec)
			if got := byTestID(d, "bulk-summary").Text(); !strings.Contains(got, "248 av 250") {
				t.Errorf("summary %q", got)
			}
			sel := "bulk-result-row"
			if htmx {
				sel = "dialog-result"
			}
			rows := byTestID(d, sel)
			if rows.Length() != 250 {
				t.Fatalf("%d result rows, want 250", rows.Length())
			}
			for i := range 250 {
				want := "true"
				if i == 100 || i == 150 {
					want = "false"
				}
				if got := rows.Eq(i).AttrOr("data-ok", ""); got != want {
					t.Errorf("row %d ok=%q, want %s", i, got, want)
				}
			}
			if htmx {
				if rows.First().AttrOr("hx-swap-oob", "") != "true" || rows.First().AttrOr("id", "") != "result-"+dialogID(0) {
					t.Error("row results are not out-of-band swaps into their rows")
				}
				if d.Find("title").Length() != 0 {
					t.Error("htmx got a full page")
				}
			} else {
				if got := rows.Eq(100).Text(); !strings.Contains(got, "Melding 100") || !strings.Contains(got, "Ikke oppdatert") {
					t.Errorf("failed row text %q", got)
				}
				if got := byTestID(d, "bulk-back").AttrOr("href", ""); got != "/inbox?folder=archive" {
					t.Errorf("back link %q", got)
				}
			}
		})
	}
}

// TestBulkUnavailable: a temporary upstream failure fails its batch at once, without splitting.
func TestBulkUnavailable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.dp.bulkErr = func(dpclient.BulkSetSystemLabelsRequest) error { return &dpclient.Error{StatusCode: 503} }
	rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: bulkForm("bin", 120)})
	if len(h.dp.bulks) != 2 {
		t.Errorf("%d calls, want 2 (no splitting on 503)", len(h.dp.bulks))
	}
	d := doc(t, rec)
	if got := byTestID(d, "bulk-summary").Text(); !strings.Contains(got, "0 av 120") {
		t.Errorf("summary %q", got)
	}
	if got := d.Find(`[data-ok="false"]`).First().Text(); !strings.Contains(got, "travel eller utilgjengelig") {
		t.Errorf("reason %q", got)
	}
}

func TestBulkRejects(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: url.Values{"action": {"delete"}, "dialog": {"a"}}}); rec.Code != 400 {
		t.Errorf("unknown action: status %d, want 400", rec.Code)
	}
	rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: url.Values{"action": {"archive"}}})
	if rec.Code != 200 || !strings.Contains(byTestID(doc(t, rec), "bulk-summary").Text(), "Velg minst én") {
		t.Errorf("nothing selected: status %d", rec.Code)
	}
	if rec := h.do("POST", "/inbox/bulk", req{csrf: true, form: bulkForm("archive", 1)}); rec.Code != 303 {
		t.Errorf("anonymous bulk: status %d, want 303 to login", rec.Code)
	}
	if len(h.dp.bulks) != 0 {
		t.Errorf("%d upstream calls for rejected requests", len(h.dp.bulks))
	}
}

func TestPartiesChooser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, htmx := range []bool{false, true} {
		rec := h.do("GET", "/parties?q=bergen", req{loggedIn: true, htmx: htmx})
		d := doc(t, rec)
		opts := byTestID(d, "party-option")
		if opts.Length() != 2 {
			t.Fatalf("htmx=%v: %d options, want 2", htmx, opts.Length())
		}
		if href := opts.First().AttrOr("href", ""); href != "/inbox?party=00000000-0000-0000-0000-0000000000a1" {
			t.Errorf("option href %q", href)
		}
		if full := d.Find("title").Length() > 0; full == htmx {
			t.Errorf("htmx=%v full page=%v", htmx, full)
		}
		if !htmx && byTestID(d, "party-search").AttrOr("value", "") != "bergen" {
			t.Error("page search box lost the query")
		}
	}
	d := doc(t, h.do("GET", "/parties?q=oppl%C3%B8st&deleted=1", req{loggedIn: true, htmx: true}))
	if byTestID(d, "party-option").Length() != 1 {
		t.Error("deleted party not shown when asked")
	}
	d = doc(t, h.do("GET", "/parties", req{loggedIn: true, htmx: true}))
	var keys []string
	byTestID(d, "party-option").Each(func(_ int, s *goquery.Selection) { keys = append(keys, s.AttrOr("data-party", "")) })
	if len(keys) < 2 || keys[0] != AllOrgs || keys[1] != AllPersons || keys[2] != selfUUID {
		t.Errorf("chooser order %q, want all-orgs, all-persons, own person first", keys)
	}
	d = doc(t, h.do("GET", "/parties?q=zzzz", req{loggedIn: true, htmx: true}))
	if byTestID(d, "party-no-match").Length() != 1 {
		t.Error("no 'no match' message")
	}
}
