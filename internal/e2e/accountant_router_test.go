package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
)

// TestRouterAccountantAllOrgs: an accountant's "all organisations" view searches about 2,000
// parties in batches of at most 100 (Dialogporten's limit) and pages through the merged result:
// newest first across batches, nothing repeated, nothing skipped between pages.
func TestRouterAccountantAllOrgs(t *testing.T) {
	t.Parallel()
	st := startStack(t, "accountant")
	c := browsertest.NewClient(t)
	if p := c.Login(st.PortalURL, st.IDPortenURL, st.Users()[0].PID, "/inbox"); p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("login: got %d", p.Resp.StatusCode)
	}
	u := st.PortalURL + "/inbox?party=all-orgs"
	c.Get(u) // warm the filter choices
	st.upstream.reset()
	p := c.Get(u)
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("all organisations: got %d", p.Resp.StatusCode)
	}
	if note := squash(p.Doc.Find(`[data-testid="batch-note"]`).Text()); !strings.Contains(note, "100") {
		t.Errorf("batch note %q does not explain the batches of 100", note)
	}
	const search = "GET /dialogporten/api/v1/enduser/dialogs"
	calls := st.upstream.snapshot()
	for _, call := range calls {
		if call != search {
			t.Errorf("all organisations: unexpected upstream call %s", call)
		}
	}
	if len(calls) < 2 || len(calls) > 20 {
		t.Errorf("all organisations: %d searches, want the ~2,000 parties in at most 20 batches", len(calls))
	}

	seen := map[string]bool{}
	var last string // UpdatedAt of the previous row, RFC 3339 (sorts as text)
	for page := 1; page <= 4; page++ {
		rows := p.Doc.Find(rowSel)
		i := 0
		if rows.Length() != pageRows {
			t.Errorf("page %d: %d rows, want %d", page, rows.Length(), pageRows)
		}
		for _, id := range rows.Map(func(_ int, s *goquery.Selection) string { return rowID(s) }) {
			if seen[id] {
				t.Errorf("page %d repeats dialog %s", page, id)
			}
			seen[id] = true
			at := emuDialog(t, st, id).UpdatedAt.UTC().Format("2006-01-02T15:04:05.000000000Z")
			if last != "" && at > last {
				t.Errorf("page %d row %d: dialog %s updated %s after the previous row's %s: not newest first", page, i, id, at, last)
			}
			i++
			last = at
		}
		more, ok := p.Doc.Find(`[data-testid="show-more"]`).Attr("href")
		if !ok {
			t.Fatalf("page %d has no show-more link", page)
		}
		// The next page's address carries a position in every batch; it must stay short enough
		// to be a return-to path (2,048), so that the language switch comes back to it
		// without JavaScript.
		if len(more) > 1500 {
			t.Errorf("page %d: the next page's address is %d characters", page, len(more))
		}
		p = c.Get(st.PortalURL + more)
		if back := p.Doc.Find(`input[name="return_to"]`).First().AttrOr("value", ""); back != more {
			t.Errorf("page %d: the language switch returns to %.80q…, want the page itself", page+1, back)
		}
	}
}
