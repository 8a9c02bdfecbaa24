package e2e

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/browsertest"
)

// TestRouterSecurity checks, over the real stack, what keeps a session safe: the page CSP, an
// expired session on an htmx request, and refused forged or cross-site bulk posts.
func TestRouterSecurity(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	p := c.Get(inbox)

	csp := p.Resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("inbox CSP %q lacks %q", csp, want)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval"} {
		if strings.Contains(csp, bad) {
			t.Errorf("inbox CSP %q allows %s", csp, bad)
		}
	}

	// Without a session, htmx is told where to go (HX-Redirect), not sent a redirect it would
	// follow in place.
	anon := browsertest.NewClient(t)
	a := anon.GetNoFollow(inbox, "HX-Request", "true", "HX-Target", "dialog-results", "HX-Current-URL", inbox)
	if a.Resp.StatusCode/100 == 3 {
		t.Errorf("htmx request without a session: got redirect %d to %s, want HX-Redirect", a.Resp.StatusCode, a.Resp.Header.Get("Location"))
	}
	if loc := a.Resp.Header.Get("HX-Redirect"); !strings.HasPrefix(loc, "/login") {
		t.Errorf("htmx request without a session: HX-Redirect %q, want /login…", loc)
	}
	if plain := anon.GetNoFollow(inbox); plain.Resp.StatusCode != http.StatusSeeOther && plain.Resp.StatusCode != http.StatusFound {
		t.Errorf("page request without a session: got %d, want a redirect to log in", plain.Resp.StatusCode)
	}

	// Bulk: the form's own token works; a wrong token or another site does not.
	form := p.Doc.Find(`[data-testid="bulk-form"]`)
	vals := browsertest.FormValues(form)
	first := rowID(p.Doc.Find(`[data-testid="dialog-row"]`).First())
	vals.Set("dialog", first)
	vals.Set("action", "unread")
	tests := []struct {
		name   string
		mutate func(v url.Values) []string // returns extra headers
		status int
	}{
		{"wrong token", func(v url.Values) []string { v.Set("csrf", "forged"); return nil }, http.StatusForbidden},
		{"no token", func(v url.Values) []string { v.Del("csrf"); return nil }, http.StatusForbidden},
		{"cross-site", func(v url.Values) []string {
			return []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}
		}, http.StatusForbidden},
		{"same site", func(v url.Values) []string { return []string{"Origin", st.PortalURL, "Sec-Fetch-Site", "same-origin"} }, http.StatusOK},
	}
	for _, tt := range tests {
		v := url.Values{}
		for k, vs := range vals {
			v[k] = append([]string(nil), vs...)
		}
		h := tt.mutate(v)
		r := c.PostForm(st.PortalURL+"/inbox/bulk", v, h...)
		if r.Resp.StatusCode != tt.status {
			t.Errorf("bulk post, %s: got %d, want %d", tt.name, r.Resp.StatusCode, tt.status)
		}
	}
}

// TestRouterLanguageAndDeletedParty: the chosen language stays for the session, and a deleted
// organisation is found with "show deleted" and its dialogs listed.
func TestRouterLanguageAndDeletedParty(t *testing.T) {
	t.Parallel()
	st, c, inbox := loggedIn(t)
	p := c.Get(inbox)
	vals := browsertest.FormValues(p.Doc.Find(`[data-testid="language-switch"]`))
	vals.Set("set", "nn")
	r := c.PostForm(st.PortalURL+"/lang", vals)
	if got := r.Doc.Find("html").AttrOr("lang", ""); got != "nn" {
		t.Errorf("after choosing Nynorsk: <html lang=%q>", got)
	}
	again := c.Get(st.PortalURL + "/inbox")
	if got := again.Doc.Find("html").AttrOr("lang", ""); got != "nn" {
		t.Errorf("next page after choosing Nynorsk: <html lang=%q>, want nn for the session", got)
	}
	if got := squash(again.Doc.Find(`[data-testid="show-more"]`).Text()); got != "Vis fleire" {
		t.Errorf("Nynorsk show-more %q, want Vis fleire", got)
	}

	hidden := c.Get(st.PortalURL + "/parties?q=gamle&target=%2Finbox")
	if n := hidden.Doc.Find(`main [data-testid="party-option"]:not([data-party^="all-"])`).Length(); n != 0 {
		t.Errorf("the deleted organisation is offered without show deleted (%d options)", n)
	}
	shown := c.Get(st.PortalURL + "/parties?q=gamle&deleted=1&target=%2Finbox")
	opt := shown.Doc.Find(`main [data-testid="party-option"]:not([data-party^="all-"])`)
	if opt.Length() != 1 || !strings.Contains(strings.ToUpper(opt.Text()), "GAMLE HANDEL AS") {
		t.Fatalf("show deleted: %d options (%q), want Gamle Handel AS", opt.Length(), squash(opt.Text()))
	}
	list := c.Get(st.PortalURL + opt.AttrOr("href", ""))
	if list.Resp.StatusCode != http.StatusOK {
		t.Fatalf("inbox of the deleted organisation: got %d", list.Resp.StatusCode)
	}
	if !strings.Contains(strings.ToUpper(squash(list.Doc.Find(`[data-testid="party-current"]`).Text())), "GAMLE HANDEL AS") {
		t.Errorf("inbox of the deleted organisation acts for %q", squash(list.Doc.Find(`[data-testid="party-current"]`).Text()))
	}
	if list.Doc.Find(`[data-testid="dialog-row"]`).Length() == 0 {
		t.Errorf("the deleted organisation's inbox lists no dialogs")
	}
}
