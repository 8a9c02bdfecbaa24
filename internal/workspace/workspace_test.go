package workspace

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/devprofile"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/profileapi"
	"github.com/innboks/innboks/internal/store"
)

// The parties of the tests: the person, three organisations (one deleted) and a parent the
// person reaches only through its sub-unit.
const (
	self    = "00000000-0000-0000-0000-000000000001"
	alfa    = "00000000-0000-0000-0000-00000000000a"
	beta    = "00000000-0000-0000-0000-00000000000b"
	gone    = "00000000-0000-0000-0000-00000000000d"
	parent  = "00000000-0000-0000-0000-00000000000e"
	subunit = "00000000-0000-0000-0000-00000000000f"
)

func index() *inbox.PartyIndex {
	org := func(uuid, name, no string) dpclient.AuthorizedParty {
		return dpclient.AuthorizedParty{PartyUUID: uuid, Name: name, Party: "urn:altinn:organization:identifier-no:" + no, PartyType: dpclient.PartyTypeOrganization}
	}
	deleted := org(gone, "Borte AS", "444444444")
	deleted.IsDeleted = true
	par := org(parent, "Mor AS", "555555555")
	par.HasOnlyAccessToSubParties = true
	par.SubParties = []dpclient.AuthorizedParty{org(subunit, "Datter AS", "666666666")}
	return inbox.NewPartyIndex(&dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{PartyUUID: self, Name: "Kari", Party: "urn:altinn:person:identifier-no:01017012345", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true},
		org(alfa, "Alfa AS", "111111111"), org(beta, "Beta AS", "222222222"), deleted, par,
	}})
}

// kit is a workspace of one kind with two people in it.
type kit struct {
	w         *Workspace
	kari, ola Person
	// api reads the Profile API as Altinn's own inbox would (nil for the store).
	api func(t *testing.T, who string) []string
	// favouritesGroup is the id of who's favourites group in the Profile API (nil for the store).
	favouritesGroup func(t *testing.T, who string) string
}

func person(key []byte, who string) Person {
	return Person{
		Owner: string(store.OwnerKey(key, who)),
		User:  &inbox.User{Key: "session-" + who, Token: dpclient.TokenFunc(func(context.Context) (string, error) { return "idporten-" + who, nil })},
	}
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), store.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// kinds are the two places favourites and groups are kept.
var kinds = []struct {
	name string
	make func(t *testing.T) kit
}{
	{"store", func(t *testing.T) kit {
		key := []byte("server key")
		return kit{w: New(openStore(t), nil), kari: person(key, "01017012345"), ola: person(key, "02027012345")}
	}},
	{"profile", newProfileKit},
}

// newProfileKit runs the Profile API double behind an Altinn Authentication double whose
// exchange turns "idporten-<pid>" into an Altinn token for user <pid>.
func newProfileKit(t *testing.T) kit {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const iss = "https://platform.test/authentication/api/v1/openid/"
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey, KeyID: "k1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(user string) string {
		tok, err := jwt.Signed(signer).Claims(map[string]any{"iss": iss, "exp": time.Now().Add(time.Minute).Unix(), "urn:altinn:userid": user}).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	mux := http.NewServeMux()
	prof := devprofile.New(devprofile.Options{Issuer: iss, Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &rsaKey.PublicKey, KeyID: "k1", Algorithm: "RS256"}}}})
	prof.Register(mux)
	mux.HandleFunc("GET /authentication/api/v1/exchange/id-porten", func(w http.ResponseWriter, r *http.Request) {
		who, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer idporten-")
		if !ok {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(sign(who)))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	dp, err := dpclient.New(srv.URL+"/dialogporten", dpclient.WithHTTPClient(srv.Client()), dpclient.WithPlatformURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	api, err := profileapi.New(srv.URL+devprofile.Prefix, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	key := []byte("server key")
	return kit{
		w: New(openStore(t), NewProfileKeeper(api, dp)), kari: person(key, "01017012345"), ola: person(key, "02027012345"),
		api: func(t *testing.T, who string) []string {
			favs, err := api.Favourites(t.Context(), sign(who))
			if err != nil {
				t.Fatal(err)
			}
			return favs
		},
		favouritesGroup: func(t *testing.T, who string) string {
			gs, err := api.Groups(t.Context(), sign(who))
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range gs {
				if g.IsFavorite {
					return string(g.ID)
				}
			}
			t.Fatalf("%s has no favourites group", who)
			return ""
		},
	}
}

func TestFavourites(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			k, ix, ctx := kind.make(t), index(), t.Context()
			for _, p := range []string{beta, alfa, beta} {
				if err := k.w.Star(ctx, k.kari, ix, p, true); err != nil {
					t.Fatal(err)
				}
			}
			if err := k.w.Star(ctx, k.kari, ix, "00000000-0000-0000-0000-0000000000ff", true); !errors.Is(err, ErrNotFound) {
				t.Errorf("starring a stranger: got %v, want ErrNotFound", err)
			}
			favs, err := k.w.Favourites(ctx, k.kari)
			if err != nil || !slices.Equal(favs, []string{beta, alfa}) {
				t.Fatalf("favourites: got %v, %v; want [beta alfa]", favs, err)
			}
			if k.api != nil {
				// Altinn's own inbox reads the same list.
				if got := k.api(t, "01017012345"); !slices.Equal(got, []string{beta, alfa}) {
					t.Errorf("the Profile API has %v, want [beta alfa]", got)
				}
			}
			if others, _ := k.w.Favourites(ctx, k.ola); len(others) != 0 {
				t.Errorf("another person sees favourites %v", others)
			}
			s, err := k.w.Scope(ctx, k.kari, ix, Favourites)
			if err != nil || !slices.Equal(s.URNs, []string{"urn:altinn:organization:identifier-no:222222222", "urn:altinn:organization:identifier-no:111111111"}) {
				t.Errorf("favourites scope: got %v, %v", s.URNs, err)
			}
			hits, _ := ix.SearchFirst("", false, 10, favs)
			if hits[0].UUID != beta || hits[1].UUID != alfa {
				t.Errorf("chooser order: got %s, %s first; want the favourites", hits[0].Name, hits[1].Name)
			}
			if k.favouritesGroup != nil {
				// The favourites group is no group of the person's: not listed, not deleted.
				id := k.favouritesGroup(t, "01017012345")
				if err := k.w.DeleteGroup(ctx, k.kari, id); !errors.Is(err, ErrNotFound) {
					t.Errorf("deleting the favourites group %s: got %v, want ErrNotFound", id, err)
				}
				if got := k.api(t, "01017012345"); !slices.Equal(got, []string{beta, alfa}) {
					t.Errorf("after the refused delete the Profile API has %v, want [beta alfa]", got)
				}
			}
			if err := k.w.Star(ctx, k.kari, ix, beta, false); err != nil {
				t.Fatal(err)
			}
			if favs, _ := k.w.Favourites(ctx, k.kari); !slices.Equal(favs, []string{alfa}) {
				t.Errorf("after unstarring beta: got %v, want [alfa]", favs)
			}
		})
	}
}

func TestMakeGroup(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			k, ix, ctx := kind.make(t), index(), t.Context()
			pasted := "222 222 222\n111111111, 999999999; abc 444444444\n555555555"
			_, unknown, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "Klienter", OrgNumbers: pasted})
			if !errors.Is(err, ErrUnknownEntries) || !slices.Equal(unknown, []string{"999999999", "abc", "555555555"}) {
				t.Fatalf("got %v, %v; want ErrUnknownEntries listing 999999999, abc and the parent without access", unknown, err)
			}
			if gs, _ := k.w.Groups(ctx, k.kari); len(gs) != 0 {
				t.Fatalf("a refused group was made: %v", gs)
			}
			g, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "Klienter", Picked: []string{subunit}, OrgNumbers: pasted, SkipUnknown: true})
			if err != nil {
				t.Fatal(err)
			}
			s, err := k.w.Scope(ctx, k.kari, ix, GroupPrefix+g.ID)
			if err != nil || s.Name != "Klienter" || len(s.URNs) != 4 || s.URNs[0] != "urn:altinn:organization:identifier-no:666666666" {
				t.Fatalf("group scope: got %+v, %v; want Klienter, the ticked sub-unit first, then 3 pasted", s, err)
			}
			if !slices.Equal(s.URNs[1:], []string{
				"urn:altinn:organization:identifier-no:222222222", "urn:altinn:organization:identifier-no:111111111", "urn:altinn:organization:identifier-no:444444444",
			}) {
				t.Errorf("group order: got %v, want as pasted", s.URNs)
			}
			if _, err := k.w.Scope(ctx, k.ola, ix, GroupPrefix+g.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("another person's group: got %v, want ErrNotFound", err)
			}
			if _, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "KLIENTER", Picked: []string{alfa}}); !errors.Is(err, ErrNameTaken) {
				t.Errorf("same name: got %v, want ErrNameTaken", err)
			}
			var le *LimitError
			if _, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: strings.Repeat("x", 101), Picked: []string{alfa}}); !errors.As(err, &le) || le.Limit != "name" {
				t.Errorf("long name: got %v, want the name limit", err)
			}
			if _, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "Tom"}); !errors.Is(err, ErrEmptyGroup) {
				t.Errorf("no parties: got %v, want ErrEmptyGroup", err)
			}
			if err := k.w.DeleteGroup(ctx, k.ola, g.ID); !errors.Is(err, ErrNotFound) {
				t.Errorf("another person deletes: got %v, want ErrNotFound", err)
			}
			if err := k.w.DeleteGroup(ctx, k.kari, g.ID); err != nil {
				t.Fatal(err)
			}
			if gs, _ := k.w.Groups(ctx, k.kari); len(gs) != 0 {
				t.Errorf("after delete: %v", gs)
			}
		})
	}
}

// TestGroupLimit: the 51st group is refused with the limit, on either keeper.
func TestGroupLimit(t *testing.T) {
	t.Parallel()
	for _, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			k, ix, ctx := kind.make(t), index(), t.Context()
			for i := range store.MaxGroups {
				if _, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "g" + strings.Repeat("x", i), Picked: []string{alfa}}); err != nil {
					t.Fatal(err)
				}
			}
			var le *LimitError
			if _, _, err := k.w.MakeGroup(ctx, k.kari, ix, NewGroup{Name: "one more", Picked: []string{alfa}}); !errors.As(err, &le) || le.Limit != "groups" || le.Max != 50 {
				t.Errorf("51st group: got %v, want the limit of 50 groups", err)
			}
		})
	}
}

// TestPreferencesAndChoose: preferences round-trip (the cache follows a change), and the
// start party is chosen when nothing else is.
func TestPreferencesAndChoose(t *testing.T) {
	t.Parallel()
	k, ix, ctx := kinds[0].make(t), index(), t.Context()
	if p, err := k.w.Preferences(ctx, k.kari); err != nil || p != (Preferences{}) {
		t.Fatalf("fresh: got %+v, %v", p, err)
	}
	want := Preferences{Language: "nn", StartParty: beta, ShowDeleted: true}
	if err := k.w.SetPreferences(ctx, k.kari, want); err != nil {
		t.Fatal(err)
	}
	if p, _ := k.w.Preferences(ctx, k.kari); p != want {
		t.Fatalf("got %+v, want %+v", p, want)
	}
	if got := k.w.Choose(ctx, k.kari, ix, "", "", want.StartParty); got != beta {
		t.Errorf("start party: got %s, want beta", got)
	}
	if got := k.w.Choose(ctx, k.kari, ix, alfa, "", want.StartParty); got != alfa {
		t.Errorf("asked party: got %s, want alfa", got)
	}
	if got := k.w.Choose(ctx, k.kari, ix, GroupPrefix+"00000000-0000-0000-0000-000000000099", ""); got != self {
		t.Errorf("unknown group: got %s, want the person", got)
	}
	if got := k.w.Choose(ctx, k.kari, ix, Favourites); got != Favourites {
		t.Errorf("favourites scope: got %s", got)
	}
	if err := k.w.SetPreferences(ctx, k.kari, Preferences{Language: "de"}); !errors.Is(err, ErrInvalid) {
		t.Errorf("language de: got %v, want ErrInvalid", err)
	}
}
