package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/internal/browsertest"
)

// TestRouterAccountantGroup: an accountant pastes 250 client organisation numbers (and one
// that is no client) into a group; the unknown one is listed back, the group is made without
// it, and its inbox searches the 250 in batches of at most 100 and pages through the merged
// result newest first, nothing repeated, every dialog one of the group's parties.
func TestRouterAccountantGroup(t *testing.T) {
	t.Parallel()
	st := startStack(t, "accountant")
	pid := st.Users()[0].PID
	c := browsertest.NewClient(t)
	if p := c.Login(st.PortalURL, st.IDPortenURL, pid, "/inbox"); p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("login: got %d", p.Resp.StatusCode)
	}
	res, err := newDialogporten(t, st.Stack, pid).GetParties(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	const orgPrefix = "urn:altinn:organization:identifier-no:"
	inGroup := map[string]bool{}
	var orgNos []string
	for _, p := range res.AuthorizedParties {
		if no, ok := strings.CutPrefix(p.Party, orgPrefix); ok && !p.IsDeleted && !p.HasOnlyAccessToSubParties && len(orgNos) < 250 {
			orgNos = append(orgNos, no)
			inGroup[strings.ToLower(p.Party)] = true
		}
	}
	if len(orgNos) < 250 {
		t.Fatalf("the accountant has only %d organisations", len(orgNos))
	}

	page := c.Get(st.PortalURL + "/groups")
	form := url.Values{
		"csrf": {page.Doc.Find(`[data-testid="group-form"] input[name="csrf"]`).AttrOr("value", "")},
		"name": {"Klienter 1–250"}, "orgnos": {strings.Join(orgNos, "\n") + "\n000000000"},
	}
	p := c.PostForm(st.PortalURL+"/groups", form)
	if got := squash(byTestID(p.Doc, "group-unknown-entry").Text()); p.Resp.StatusCode != http.StatusUnprocessableEntity || got != "000000000" {
		t.Fatalf("unknown number: got %d listing %q, want 422 listing 000000000", p.Resp.StatusCode, got)
	}
	form.Set("skip_unknown", "1")
	p = c.PostForm(st.PortalURL+"/groups", form)
	href, ok := byTestID(p.Doc, "group-link").Attr("href")
	if !ok || !strings.Contains(squash(byTestID(p.Doc, "group").Text()), "250") {
		t.Fatalf("group list after making it: %q", squash(byTestID(p.Doc, "groups").Text()))
	}

	st.upstream.reset()
	p = c.Get(st.PortalURL + href)
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("group inbox: got %d", p.Resp.StatusCode)
	}
	if note := squash(byTestID(p.Doc, "batch-note").Text()); !strings.Contains(note, "250") || !strings.Contains(note, "3") {
		t.Errorf("batch note %q, want 250 parties in 3 batches", note)
	}
	seen := map[string]bool{}
	var last string
	for n := 1; n <= 3; n++ {
		rows := p.Doc.Find(rowSel)
		if rows.Length() != pageRows {
			t.Errorf("page %d: %d rows, want %d", n, rows.Length(), pageRows)
		}
		rows.Each(func(i int, s *goquery.Selection) {
			id := rowID(s)
			d := emuDialog(t, st, id)
			if seen[id] {
				t.Errorf("page %d repeats dialog %s", n, id)
			}
			seen[id] = true
			if !inGroup[strings.ToLower(d.Party)] {
				t.Errorf("page %d row %d: dialog %s is not a party of the group's", n, i, id)
			}
			at := d.UpdatedAt.UTC().Format("2006-01-02T15:04:05.000000000Z")
			if last != "" && at > last {
				t.Errorf("page %d row %d: updated %s after the previous row's %s: not newest first", n, i, at, last)
			}
			last = at
		})
		more, ok := byTestID(p.Doc, "show-more").Attr("href")
		if !ok {
			t.Fatalf("page %d has no show-more link", n)
		}
		p = c.Get(st.PortalURL + more)
	}
	t.Logf("upstream calls for three pages of a 250-party group: %s", summary(st.upstream.snapshot()))
}
