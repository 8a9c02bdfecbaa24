package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/browsertest"
	"github.com/innboks/innboks/internal/dpemu"
)

// kindOf names what makes a dialog render differently: resource type, status, folder and the
// parts it has.
func kindOf(d *dpemu.Dialog) string {
	return fmt.Sprintf("%s/%s/labels=%v/gui=%t/api=%t/att=%t/tx=%t", d.ServiceResourceType, d.Status,
		d.EndUserContext.SystemLabels, len(d.GuiActions) > 0, len(d.ApiActions) > 0, len(d.Attachments) > 0, len(d.Transmissions) > 0)
}

// listedDialogs collects every dialog the first user sees in every folder, for their own party
// and all organisations together.
func listedDialogs(t *testing.T, st *stack, c *browsertest.Client, inbox string) []string {
	t.Helper()
	u, err := url.Parse(inbox)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, party := range []string{u.Query().Get("party"), "all-orgs"} {
		for _, f := range []string{"inbox", "drafts", "sent", "archive", "bin"} {
			for _, id := range allRows(t, st, c, st.PortalURL+"/inbox?party="+party+"&folder="+f) {
				if !seen[id] {
					seen[id] = true
					out = append(out, id)
				}
			}
		}
	}
	return out
}

// othersDialog returns a dialog of another user's own party: the first user has no access.
func othersDialog(t *testing.T, st *stack) string {
	t.Helper()
	other := st.Users()[1]
	res, err := newDialogporten(t, st.Stack, other.PID).SearchDialogs(t.Context(), &dpclient.SearchParams{
		Party: []string{"urn:altinn:person:identifier-no:" + other.PID}, Limit: 1})
	if err != nil {
		t.Fatalf("search the second user's dialogs: %v", err)
	}
	if len(res.Items) == 0 {
		t.Fatal("search the second user's dialogs: 0 items")
	}
	return res.Items[0].ID
}

// TestRouterDialogPages opens one dialog of every kind the default scenario lists, plus the
// kinds the list never shows (deleted, not yet visible, expired, someone else's): each answers
// its page or the right error page.
func TestRouterDialogPages(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	store := st.Emulator.Store()

	type check struct {
		name, id string
		status   int
		kind     string // error kind; "" for the dialog page
	}
	var checks []check
	kinds := map[string]bool{}
	var spare []string // plain dialogs to turn into the hidden kinds
	for _, id := range listedDialogs(t, st, c, inbox) {
		d := emuDialog(t, st, id)
		res, _ := store.ServiceResource(d.ServiceResource)
		k := kindOf(d)
		switch {
		case res.MinimumAuthenticationLevel > 3:
			k = "level-too-low"
		case len(spare) < 3 && len(d.GuiActions) == 0 && !kinds[k]:
			// keep the first of a kind for the page check
		case len(spare) < 3 && len(d.GuiActions) == 0:
			spare = append(spare, id)
			continue
		}
		if kinds[k] {
			continue
		}
		kinds[k] = true
		if k == "level-too-low" {
			checks = append(checks, check{k, id, http.StatusForbidden, "authLevel"})
			continue
		}
		checks = append(checks, check{k, id, http.StatusOK, ""})
	}
	if len(checks) < 8 {
		t.Errorf("only %d kinds of dialog listed; the default scenario has more", len(checks))
	}
	if len(spare) < 3 {
		t.Fatalf("found %d spare dialogs, want 3", len(spare))
	}
	now := time.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.DeleteDialog(uuid.MustParse(spare[0])))
	must(store.UpdateDialog(uuid.MustParse(spare[1]), func(d *dpemu.Dialog) error {
		future := now.Add(48 * time.Hour)
		d.VisibleFrom = &future
		return nil
	}))
	must(store.UpdateDialog(uuid.MustParse(spare[2]), func(d *dpemu.Dialog) error {
		past := now.Add(-time.Hour)
		d.ExpiresAt = &past
		return nil
	}))
	checks = append(checks,
		check{"deleted", spare[0], http.StatusGone, "gone"},
		check{"not yet visible", spare[1], http.StatusNotFound, "notFound"},
		check{"expired", spare[2], http.StatusNotFound, "notFound"},
		check{"someone else's", othersDialog(t, st), http.StatusNotFound, "notFound"}, // as an unknown one: ids cannot be probed (issue 8, point 9)
		check{"no such dialog", uuid.NewString(), http.StatusNotFound, "notFound"},
		check{"not an id", "not-a-uuid", http.StatusNotFound, "notFound"},
	)

	if p := c.Get(st.PortalURL + "/dialogs/" + checks[0].id); p.Resp.StatusCode == http.StatusNotFound {
		t.Fatalf("GET /dialogs/{id} of a listed dialog answers 404: the portal does not serve the dialog routes (internal/app never calls handlers.Server.MountDialogs)")
	}
	for _, ck := range checks {
		p := c.Get(st.PortalURL + "/dialogs/" + ck.id)
		if p.Resp.StatusCode != ck.status {
			t.Errorf("%s (%s): got %d, want %d", ck.name, ck.id, p.Resp.StatusCode, ck.status)
			continue
		}
		if !strings.Contains(p.Body, "<html") {
			t.Errorf("%s: not a whole page", ck.name)
		}
		if ck.kind != "" {
			if got := p.Doc.Find(`[data-testid="error"]`).AttrOr("data-kind", ""); got != ck.kind {
				t.Errorf("%s: error kind %q, want %q", ck.name, got, ck.kind)
			}
			if ck.kind == "authLevel" && p.Doc.Find(`[data-testid="error-step-up"]`).Length() == 0 {
				t.Errorf("%s: no step-up link", ck.name)
			}
			continue
		}
		d := emuDialog(t, st, ck.id)
		if got := p.Doc.Find(`[data-testid="dialog"]`).AttrOr("data-dialog-id", ""); got != ck.id {
			t.Errorf("%s: dialog page shows %q, want %s", ck.name, got, ck.id)
		}
		if got := squash(p.Doc.Find(`[data-testid="dialog-header"] [data-testid="dialog-title"]`).Text()); got == "" {
			t.Errorf("%s: dialog page has no title", ck.name)
		}
		if n, want := p.Doc.Find(`[data-testid="attachment"]`).Length(), len(d.Attachments); n < want {
			t.Errorf("%s: %d attachments shown, want at least %d", ck.name, n, want)
		}
		if n, want := p.Doc.Find(`[data-testid="transmission"]`).Length(), len(d.Transmissions); n != want {
			t.Errorf("%s: %d transmissions shown, want %d", ck.name, n, want)
		}
		// The content's plain link works, as a page and as an htmx fragment.
		if href, ok := p.Doc.Find(`[data-testid="dialog-content-link"]`).Attr("href"); ok {
			full := c.Get(st.PortalURL + href)
			if full.Resp.StatusCode != http.StatusOK || !strings.Contains(full.Body, "<html") {
				t.Errorf("%s: content page %s: got %d", ck.name, href, full.Resp.StatusCode)
			}
			frag := c.Get(st.PortalURL+href, "HX-Request", "true", "HX-Target", "dialog-content")
			if frag.Resp.StatusCode != http.StatusOK || strings.Contains(frag.Body, "<html") {
				t.Errorf("%s: content fragment %s: got %d, %d bytes", ck.name, href, frag.Resp.StatusCode, len(frag.Body))
			}
		}
	}
}

// TestRouterDialogUpstreamCalls counts the portal's calls to Dialogporten for a dialog page and
// for its lazily loaded content: one details call each, nothing else.
func TestRouterDialogUpstreamCalls(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	ids := allRows(t, st, c, inbox)
	var id string
	for _, x := range ids {
		if d := emuDialog(t, st, x); d.Content.MainContentReference != nil && d.ServiceResourceType == dpemu.ResourceTypeApp {
			id = x
			break
		}
	}
	if id == "" {
		t.Fatal("no app dialog with main content in the inbox")
	}
	requireDialogRoutes(t, st, id)
	details := "GET /dialogporten/api/v1/enduser/dialogs/" + id
	c.Get(st.PortalURL + "/dialogs/" + id) // warm
	st.upstream.reset()
	p := c.Get(st.PortalURL + "/dialogs/" + id)
	if p.Resp.StatusCode != http.StatusOK {
		t.Fatalf("dialog page: got %d", p.Resp.StatusCode)
	}
	if calls := st.upstream.snapshot(); len(calls) != 1 || calls[0] != details {
		t.Errorf("dialog page: upstream calls %s, want exactly one details call", summary(calls))
	}
	href, ok := p.Doc.Find(`[data-testid="dialog-content-link"]`).Attr("href")
	if !ok {
		t.Fatal("no content link on the dialog page")
	}
	st.upstream.reset()
	c.Get(st.PortalURL+href, "HX-Request", "true", "HX-Target", "dialog-content")
	if calls := st.upstream.snapshot(); len(calls) > 1 || (len(calls) == 1 && calls[0] != details) {
		t.Errorf("content fragment: upstream calls %s, want at most one details call", summary(calls))
	}
}
