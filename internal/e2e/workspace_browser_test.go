package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserWorkspace walks the workspace with and without JavaScript (issue 12): star a party
// in the chooser and find it first; make a group from a pasted list of organisation numbers
// (an unknown one is listed back) and search it; change the preferences and see them applied
// at the next login. The stack keeps favourites and groups in its Profile API double, as
// Altinn would.
func TestBrowserWorkspace(t *testing.T) {
	for _, jsOff := range []bool{false, true} {
		name := "js"
		if jsOff {
			name = "nojs"
		}
		t.Run(name, func(t *testing.T) {
			st := startStack(t, "default")
			b := newBrowser(t, jsOff)
			pid := st.Users()[0].PID
			b.login(st, pid, "/inbox")

			// Star the last party the chooser page lists; it comes first afterwards.
			b.open(st.PortalURL + "/parties")
			b.waitVisible(`[data-testid="party-results"]`)
			party := run(b, "pick a party", chromedp.Evaluate[string](`(() => {
				const f = [...document.querySelectorAll('#party-results [data-testid="star-form"]')];
				return f[f.length - 1].querySelector('input[name="party"]').value; })()`))
			partyName := run(b, "its name", chromedp.Evaluate[string](`document.querySelector('#party-results a[data-party="`+party+`"]').firstChild.textContent.trim()`))
			star := `[data-testid="star-form"]:has(input[value="` + party + `"]) button`
			if jsOff {
				b.clickNav(star)
			} else {
				b.click(star)
				b.waitVisible(`[data-testid="star-form"]:has(input[value="` + party + `"]) [data-on="true"]`)
			}
			b.open(st.PortalURL + "/parties")
			first := run(b, "first party", chromedp.Evaluate[string](`[...document.querySelectorAll('#party-results a[data-testid="party-option"]')]
				.map(a => a.dataset.party).find(k => /^[0-9a-f-]{36}$/.test(k))`))
			if first != party {
				t.Errorf("first party in the chooser: got %s, want the starred %s (%s)", first, party, partyName)
			}
			if b.count(`#party-results a[data-party="favourites"]`) != 1 {
				t.Error("no Favourites scope in the chooser")
			}

			// A group from a pasted list: two of the person's organisation numbers and one unknown.
			metas := run(b, "organisation numbers", chromedp.Evaluate[[]string](`[...document.querySelectorAll('#party-results .party-meta')].map(e => e.textContent)`))
			var orgNos []string
			for _, m := range metas {
				if n := regexp.MustCompile(`\d{9}`).FindString(m); n != "" && len(orgNos) < 2 {
					orgNos = append(orgNos, n)
				}
			}
			if len(orgNos) < 2 {
				t.Fatalf("the chooser lists fewer than two organisation numbers: %q", metas)
			}
			b.open(st.PortalURL + "/groups")
			b.do("name the group", chromedp.SendKeys(chromedp.CSS(`[data-testid="group-name"]`), "Klienter "+name))
			b.do("paste the numbers", chromedp.SetValue(chromedp.CSS(`[data-testid="group-orgnos"]`), orgNos[0]+"\n"+orgNos[1]+", 999999999"))
			// The form's party search keeps the name, the pasted list and the ticks, search
			// after search.
			b.do("search parties", chromedp.SendKeys(chromedp.CSS(`[data-testid="group-search"]`), "as"))
			b.clickNav(`[data-testid="group-search-button"]`)
			b.waitVisible(`[data-testid="group-candidate"]`)
			ticked := b.attr(`[data-testid="group-candidate"]`, "value")
			b.click(`[data-testid="group-candidate"]`)
			b.do("search again", chromedp.SetValue(chromedp.CSS(`[data-testid="group-search"]`), "zzzz"))
			b.clickNav(`[data-testid="group-search-button"]`)
			b.waitVisible(`[data-testid="group-name"]`)
			if got := b.attr(`[data-testid="group-name"]`, "value"); got != "Klienter "+name {
				t.Errorf("after two searches the name is %q, want %q", got, "Klienter "+name)
			}
			if got := run(b, "pasted list", chromedp.Evaluate[string](`document.querySelector('[data-testid="group-orgnos"]').value`)); !strings.Contains(got, "999999999") {
				t.Errorf("after two searches the pasted list is %q", got)
			}
			if got := b.attrs(`[data-testid="group-candidate"]:checked`, "value"); len(got) != 1 || got[0] != ticked {
				t.Errorf("after a search finding nothing the ticked parties are %q, want [%s]", got, ticked)
			}
			b.click(`[data-testid="group-candidate"]`) // untick: the group is the pasted list
			b.clickNav(`[data-testid="group-create"]`)
			b.waitVisible(`[data-testid="group-unknown"]`)
			if got := squash(b.text(`[data-testid="group-unknown-entry"]`)); got != "999999999" {
				t.Errorf("unknown entries listed: got %q, want 999999999", got)
			}
			if !jsOff {
				b.CheckA11y("groups page with unknown entries")
			}
			b.click(`[data-testid="group-skip-unknown"]`)
			b.clickNav(`[data-testid="group-create"]`)
			b.waitVisible(`[data-testid="group-made"]`)
			b.clickNav(`[data-testid="group-link"]`)
			b.waitVisible(`[data-testid="inbox-scope"]`)
			if got := squash(b.text(`[data-testid="inbox-scope"]`)); !strings.Contains(got, "Klienter "+name) || !strings.Contains(got, "(2 ") {
				t.Errorf("group inbox: %q, want the group with 2 parties", got)
			}
			if !strings.Contains(b.url(), "party=group%3A") {
				t.Errorf("group inbox URL %s does not name the group", b.url())
			}

			// Preferences: English and the starred party at login.
			b.open(st.PortalURL + "/settings")
			b.do("choose English", chromedp.SetValue(chromedp.CSS(`[data-testid="settings-language"]`), "en"))
			b.do("choose the start party", chromedp.SetValue(chromedp.CSS(`[data-testid="settings-start"]`), party))
			b.clickNav(`[data-testid="settings-save"]`)
			b.waitVisible(`[data-testid="settings-saved"]`)
			if !jsOff {
				b.CheckA11y("settings page")
			}
			b.clickNav(`[data-testid="logout-button"]`)
			b.login(st, pid, "/inbox")
			b.waitVisible(`[data-testid="party-current"]`)
			if got := run(b, "page language", chromedp.Evaluate[string](`document.documentElement.lang`)); got != "en" {
				t.Errorf("language after the next login: got %q, want en", got)
			}
			if got := squash(b.text(`[data-testid="party-current"]`)); !strings.Contains(got, partyName) || partyName == "" {
				t.Errorf("party after the next login: got %q, want %q", got, partyName)
			}
			if !jsOff {
				b.AssertCleanConsole()
				// On a phone the workspace pages do not scroll sideways.
				b.do("emulate a phone", chromedp.EmulateViewport(360, 800, chromedp.EmulateMobile))
				for _, page := range []string{"/settings", "/groups?q=as", "/parties"} {
					b.open(st.PortalURL + page)
					b.noSidewaysScroll(page + " on a phone")
				}
			}
		})
	}
}
