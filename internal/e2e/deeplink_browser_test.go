package e2e

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// orgDialog is a dialog of one of the first user's organisations (not their own), found
// through the portal as that user sees it.
func orgDialog(t *testing.T, st *stack) string {
	t.Helper()
	c, _ := portalClient(t, st.Stack, st.Users()[0].PID)
	p := c.Get(st.PortalURL + "/inbox?party=all-orgs")
	id := rowID(p.Doc.Find(`[data-testid="dialog-row"]`).First())
	if id == "" {
		t.Fatal("the first user's organisations have no dialog in the inbox")
	}
	return id
}

// deepLink is the portal's deep link to a dialog, as a notification would carry it.
func deepLink(st *stack, ref string) string {
	return st.PortalURL + "/dialogs/lookup?" + url.Values{"instanceRef": {ref}}.Encode()
}

// pickFirstUser logs the first test user in at the ID-porten double's picker shown now.
func (b *browser) pickFirstUser(st *stack) {
	b.t.Helper()
	b.waitPage(st.IDPortenURL+"/", `[data-testid="devidporten-picker"]`)
	b.click(`[data-testid="user"]:nth-of-type(1) label`)
	b.clickNav(`button[value="login"]`)
}

// media emulates a CSS media type ("print"; "" for the screen again).
func (b *browser) media(m string) {
	b.t.Helper()
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
		b.t.Fatalf("emulate media %q: %v", m, err)
	}
}

// TestBrowserDeepLink: a deep link from a notification, followed while logged out, goes through
// the login and opens the dialog, acting for the dialog's party; the dialog page says who may
// see it and why (the lookup's access evidence) in its disclosure; the page prints without its
// chrome; a link that names no dialog gets a clear page.
func TestBrowserDeepLink(t *testing.T) {
	st := startStack(t, "default")
	id := orgDialog(t, st)
	b := newBrowser(t, false)

	b.open(deepLink(st, "urn:altinn:dialog-id:"+id))
	b.pickFirstUser(st)
	b.waitPage(st.PortalURL+"/dialogs/"+id, `[data-testid="dialog"][data-dialog-id="`+id+`"]`)
	party := b.text(`[data-testid="dialog-party"]`)
	b.CheckA11y("dialog page from a deep link")

	// Who can see this, and why: loaded when the disclosure opens.
	b.click(`[data-testid="access"] summary`)
	b.waitVisible(`[data-testid="access-info"]`)
	if kinds := b.attrs(`[data-testid="access-grant"]`, "data-grant"); len(kinds) == 0 {
		t.Errorf("the access disclosure lists no grant: %q", b.text(`[data-testid="access-info"]`))
	}
	b.CheckA11y("dialog page with the access evidence open")

	// Printed: the dialog without the site's header, menus and buttons.
	b.media("print")
	b.Shot("deeplink-print")
	b.poll("print hides the chrome and keeps the dialog", `(() => {
		const shown = s => { const e = document.querySelector(s); return !!e && getComputedStyle(e).display !== "none"; };
		return !shown('[data-testid="site-header"]') && !shown('[data-testid="dialog-back"]') &&
			!shown('[data-testid="access"]') && shown('[data-testid="dialog-title"]') && shown('[data-testid="activity-log"]');
	})()`)
	b.media("")

	// The session acts for the dialog's party now.
	b.open(st.PortalURL + "/inbox")
	b.waitVisible(`[data-testid="party-current"]`)
	if got := b.text(`[data-testid="party-current"]`); !strings.Contains(strings.ToUpper(got), strings.ToUpper(party)) {
		t.Errorf("after the deep link the inbox acts for %q, want the dialog's party %q", got, party)
	}

	// A link that names no dialog, and one to no dialog of the user's.
	b.openPage(deepLink(st, "not-a-reference"))
	if got := b.text(`main`); !strings.Contains(got, "Lenken peker ikke på en melding eller sak") {
		t.Errorf("a malformed deep link shows %q", got)
	}
	b.openPage(deepLink(st, "urn:altinn:dialog-id:0194b5a6-0000-7000-8000-0000000000ff"))
	if got := b.text(`main`); !strings.Contains(got, "ikke har tilgang til") {
		t.Errorf("a deep link to no dialog of the user's shows %q", got)
	}
}

// TestBrowserDeepLinkWithoutJavaScript: the same way in without JavaScript, and the access
// evidence as a page of its own.
func TestBrowserDeepLinkWithoutJavaScript(t *testing.T) {
	st := startStack(t, "default")
	id := orgDialog(t, st)
	b := newBrowser(t, true)

	b.open(deepLink(st, "urn:altinn:dialog-id:"+id))
	b.pickFirstUser(st)
	b.waitPage(st.PortalURL+"/dialogs/"+id, `[data-testid="dialog"][data-dialog-id="`+id+`"]`)
	b.click(`[data-testid="access"] summary`)
	b.clickNav(`[data-testid="access-link"]`)
	b.waitPage(st.PortalURL+"/dialogs/"+id+"/access", `[data-testid="access-page"]`)
	if kinds := b.attrs(`[data-testid="access-grant"]`, "data-grant"); len(kinds) == 0 {
		t.Errorf("the access page lists no grant: %q", b.text(`main`))
	}
	b.clickNav(`[data-testid="access-back"]`)
	b.waitPage(st.PortalURL+"/dialogs/"+id, `[data-testid="dialog"]`)
}

// TestAccessEvidenceEveryGrantKind: over the first user's parties, the dialogs' access pages
// together show every kind of evidence the emulator gives (a role, an access package, a
// resource delegation), each with its name.
func TestAccessEvidenceEveryGrantKind(t *testing.T) {
	st := startStack(t, "default")
	c, _ := portalClient(t, st.Stack, st.Users()[0].PID)
	chooser := c.Get(st.PortalURL + "/parties")
	kinds := map[string]string{}
	chooser.Doc.Find(`[data-testid="party-option"]`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		if href == "" || strings.Contains(href, "all-") {
			return
		}
		inbox := c.Get(st.PortalURL + href)
		id := rowID(inbox.Doc.Find(`[data-testid="dialog-row"]`).First())
		if id == "" {
			return
		}
		access := c.Get(st.PortalURL + "/dialogs/" + id + "/access")
		access.Doc.Find(`[data-testid="access-grant"]`).Each(func(_ int, g *goquery.Selection) {
			kinds[g.AttrOr("data-grant", "")] = strings.TrimSpace(g.Text())
		})
	})
	for _, want := range []string{"Role", "AccessPackage", "ResourceDelegation"} {
		if text, ok := kinds[want]; !ok {
			t.Errorf("no dialog's access page shows a %s grant; seen %v", want, kinds)
		} else if !strings.Contains(text, ":") || strings.HasSuffix(text, ":") {
			t.Errorf("the %s grant is shown without its name: %q", want, text)
		}
	}
}
