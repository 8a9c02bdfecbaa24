package e2e

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/devprofile"
	"github.com/innboks/innboks/internal/profileapi"
)

// firstParty is the first party (not a group or scope) the chooser page lists, with its star.
func firstParty(d *goquery.Document) (key, on string) {
	byTestID(d, "party-results").Find(`li:has([data-testid="star-form"])`).EachWithBreak(func(_ int, li *goquery.Selection) bool {
		key = li.Find(`a[data-testid="party-option"]`).AttrOr("data-party", "")
		on = li.Find(`[data-testid="star"]`).AttrOr("data-on", "")
		return false
	})
	return key, on
}

// TestRouterFavouritesWhereTheyAreKept: with the Profile API (the stack's default) a star set
// in Altinn shows first in Innboks's chooser, and one removed in Innboks is gone in Altinn;
// without it (PROFILE_API_URL empty) Innboks keeps the star in its own store and Altinn's
// list stays empty.
func TestRouterFavouritesWhereTheyAreKept(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"profile api", nil},
		{"store", map[string]string{"PROFILE_API_URL": ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := startStackEnv(t, "default", tc.env)
			pid := st.Users()[0].PID
			c, _ := portalClient(t, st.Stack, pid)
			altinn := func() []string { // the favourites as Altinn's own inbox reads them
				tok, err := newDialogporten(t, st.Stack, pid).ExchangeIDPortenToken(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				api, err := profileapi.New(st.EmulatorURL+devprofile.Prefix, http.DefaultClient)
				if err != nil {
					t.Fatal(err)
				}
				favs, err := api.Favourites(t.Context(), tok)
				if err != nil {
					t.Fatal(err)
				}
				return favs
			}
			page := c.Get(st.PortalURL + "/parties")
			last := byTestID(page.Doc, "star-form").Last()
			party := last.Find(`input[name="party"]`).AttrOr("value", "")
			if first, _ := firstParty(page.Doc); first == party || party == "" {
				t.Fatalf("the party to star (%q) is first already", party)
			}
			form := url.Values{"party": {party}, "on": {"1"}, "csrf": {last.Find(`input[name="csrf"]`).AttrOr("value", "")}}
			if p := c.PostForm(st.PortalURL+"/favourites", form, "Referer", st.PortalURL+"/parties"); p.Resp.StatusCode != http.StatusOK {
				t.Fatalf("star: got %d", p.Resp.StatusCode)
			}
			first, on := firstParty(c.Get(st.PortalURL + "/parties").Doc)
			if first != party || on != "true" {
				t.Errorf("after starring: first party %s (star %s), want %s starred", first, on, party)
			}
			inAltinn := altinn()
			if tc.env == nil && !slices.Equal(inAltinn, []string{party}) {
				t.Errorf("Altinn's favourites: got %v, want the star set in Innboks", inAltinn)
			}
			if tc.env != nil && len(inAltinn) != 0 {
				t.Errorf("Altinn's favourites without a Profile API: got %v, want none", inAltinn)
			}
			form.Set("on", "0")
			c.PostForm(st.PortalURL+"/favourites", form, "Referer", st.PortalURL+"/parties")
			if first, on := firstParty(c.Get(st.PortalURL + "/parties").Doc); first == party || on == "true" {
				t.Errorf("after unstarring: %s is still first (star %s)", first, on)
			}
			if tc.env == nil && len(altinn()) != 0 {
				t.Errorf("Altinn still has the star removed in Innboks: %v", altinn())
			}
		})
	}
}

// TestRouterFavouriteSetInAltinn: a star set in Altinn (in its Profile API, as Altinn's own inbox
// sets it) before the person logs in to Innboks shows there: the party comes first in the
// chooser, starred.
func TestRouterFavouriteSetInAltinn(t *testing.T) {
	t.Parallel()
	st := startStack(t, "default")
	pid := st.Users()[0].PID
	dp := newDialogporten(t, st.Stack, pid)
	parties, err := dp.GetParties(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var party string
	for _, p := range parties.AuthorizedParties {
		if p.PartyType == dpclient.PartyTypeOrganization && !p.IsDeleted && !p.HasOnlyAccessToSubParties {
			party = p.PartyUUID // the last organisation: not first in the chooser by itself
		}
	}
	tok, err := dp.ExchangeIDPortenToken(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	api, err := profileapi.New(st.EmulatorURL+devprofile.Prefix, http.DefaultClient)
	if err != nil {
		t.Fatal(err)
	}
	if err := api.AddFavourite(t.Context(), tok, party); err != nil {
		t.Fatalf("star %s in Altinn: %v", party, err)
	}
	c, _ := portalClient(t, st.Stack, pid)
	if first, on := firstParty(c.Get(st.PortalURL + "/parties").Doc); first != party || on != "true" {
		t.Errorf("the chooser's first party is %s (star %q), want %s, starred in Altinn", first, on, party)
	}
}
