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
			if h.dp.bulk.count() != 1 {
				t.Fatalf("%d BulkLabel calls, want 1", h.dp.bulk.count())
			}
			b := h.dp.bulk.calls[0]
			if b.label != tt.want || !slices.Equal(b.ids, []string{dialogID(0), dialogID(1), dialogID(2)}) {
				t.Errorf("BulkLabel(%v, %s), want the 3 ids and %s", b.ids, b.label, tt.want)
			}
		})
	}
}

func dialogID(i int) string { return fmt.Sprintf("0190fbd7-0000-7000-8000-%012d", i) }

// failing answers BulkLabel as the service does when the dialogs at bad fail with err.
func failing(err error, bad ...int) func(ids []string) (map[string]error, error) {
	return func(ids []string) (map[string]error, error) {
		failed := map[string]error{}
		for _, b := range bad {
			if slices.Contains(ids, dialogID(b)) {
				failed[dialogID(b)] = err
			}
		}
		return failed, nil
	}
}

// TestBulkBatches: 250 dialogs are one BulkLabel call (the service sends batches of at most 100
// and splits refused ones: inbox.TestBulkLabelBatches, TestBulkLabelSplitsRefusedBatch); each row
// shows its own result, the summary counts them.
func TestBulkBatches(t *testing.T) {
	t.Parallel()
	for _, htmx := range []bool{false, true} {
		t.Run(fmt.Sprintf("htmx=%v", htmx), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.dp.bulk.fail = failing(&dpclient.Error{StatusCode: 404}, 100, 150)
			rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, htmx: htmx, form: bulkForm("archive", 250)})
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			if n := h.dp.bulk.count(); n != 1 || len(h.dp.bulk.calls[0].ids) != 250 {
				t.Fatalf("%d BulkLabel calls, want one with the 250 ids", n)
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
				if oob := rows.First().Parent().AttrOr("hx-swap-oob", ""); !strings.HasPrefix(oob, "beforeend:") || !strings.Contains(oob, `"`+dialogID(0)+`"`) {
					t.Errorf("row result swap %q: want it appended out of band to its row", oob)
				}
				if d.Find("title").Length() != 0 {
					t.Error("htmx got a full page")
				}
			} else {
				if got := rows.Eq(100).Text(); !strings.Contains(got, "Melding 101") || !strings.Contains(got, "Ikke oppdatert") {
					t.Errorf("failed row text %q", got)
				}
				// The list posts no titles (issue 10): each result links its dialog.
				if got := rows.Eq(100).Find("a").AttrOr("href", ""); got != "/dialogs/"+dialogID(100) {
					t.Errorf("failed row link %q, want /dialogs/%s", got, dialogID(100))
				}
				if got := byTestID(d, "bulk-back").AttrOr("href", ""); got != "/inbox?folder=archive" {
					t.Errorf("back link %q", got)
				}
			}
		})
	}
}

// TestBulkUnavailable: rows whose batch failed for a temporary upstream failure (the service
// does not split those: inbox.TestBulkLabelTemporaryFailure) say "busy or unavailable".
func TestBulkUnavailable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	all := make([]int, 120)
	for i := range all {
		all[i] = i
	}
	h.dp.bulk.fail = failing(&dpclient.Error{StatusCode: 503}, all...)
	rec := h.do("POST", "/inbox/bulk", req{loggedIn: true, csrf: true, form: bulkForm("bin", 120)})
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
	if n := h.dp.bulk.count(); n != 0 {
		t.Errorf("%d BulkLabel calls for rejected requests", n)
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
