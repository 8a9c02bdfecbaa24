// Package devprofile is the local stack's double of Altinn's Profile API for favourites and
// party groups (AUTH-AND-NEIGHBOURS.md §G): the same paths, statuses and JSON as Altinn's
// FavoritesController and PartyGroupsController, over an in-memory store, authenticated with
// the emulator's exchanged Altinn tokens (the user is the urn:altinn:userid claim). The dev
// stack mounts it on the emulator, so `make run` keeps stars and groups where Altinn would.
//
// It is a test double: it must never be reachable from cmd/web.
package devprofile

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/google/uuid"
)

// Prefix is where the API lives on the emulator: PROFILE_API_URL is the emulator's URL + Prefix.
const Prefix = "/profile/api/v1"

// favouritesName is the name Altinn gives the favourites group.
const favouritesName = "__favoritter__"

// Options configure New.
type Options struct {
	// Issuer and Keys are the Altinn platform token issuer and its public keys: a token must
	// be signed by one of them, name the issuer and be unexpired.
	Issuer string
	Keys   jose.JSONWebKeySet
	Now    func() time.Time // time.Now when nil
	Logger *slog.Logger
}

// Profile is the double.
type Profile struct {
	o Options

	mu     sync.Mutex
	users  map[string]*user
	nextID int
}

// group is one party group of a user; the favourites group is one too.
type group struct {
	ID       int      `json:"groupId"`
	Name     string   `json:"name"`
	Favorite bool     `json:"isFavorite"`
	Parties  []string `json:"parties"`
}

type user struct {
	fav    *group
	groups []*group // without the favourites
}

// New returns the double.
func New(o Options) *Profile {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Profile{o: o, users: map[string]*user{}, nextID: 1}
}

// Mux is where Register mounts the routes: *dpemu.Emulator or an *http.ServeMux.
type Mux interface {
	Handle(pattern string, h http.Handler)
}

// Register mounts the API under Prefix.
func (p *Profile) Register(mux Mux) {
	const base = Prefix + "/users/current/party-groups"
	h := func(pattern string, fn func(http.ResponseWriter, *http.Request, *user)) {
		mux.Handle(pattern, p.authed(fn))
	}
	h("GET "+base+"/favorites", p.favourites)
	h("PUT "+base+"/favorites/{party}", p.addFavourite)
	h("DELETE "+base+"/favorites/{party}", p.removeFavourite)
	h("GET "+base, p.list)
	h("POST "+base, p.create)
	h("GET "+base+"/{id}", p.get)
	h("PATCH "+base+"/{id}", p.rename)
	h("DELETE "+base+"/{id}", p.delete)
	h("PUT "+base+"/{id}/associations/{party}", p.associate)
}

// authed checks the Altinn token and runs fn for its user, under the lock.
func (p *Profile) authed(fn func(http.ResponseWriter, *http.Request, *user)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := p.userID(r)
		if err != nil {
			p.o.Logger.InfoContext(r.Context(), "devprofile: token refused", "err", err)
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		u := p.users[id]
		if u == nil {
			u = &user{fav: &group{ID: p.nextID, Name: favouritesName, Favorite: true, Parties: []string{}}}
			p.nextID++
			p.users[id] = u
		}
		fn(w, r, u)
	})
}

// platformClaims are what the double reads of an Altinn token.
type platformClaims struct {
	jwt.Claims
	UserID string `json:"urn:altinn:userid"`
}

// userID verifies the bearer token and returns its user id.
func (p *Profile) userID(r *http.Request) (string, error) {
	raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || raw == "" {
		return "", errors.New("no bearer token")
	}
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", err
	}
	var c platformClaims
	if err := tok.Claims(p.o.Keys, &c); err != nil {
		return "", err
	}
	if err := c.ValidateWithLeeway(jwt.Expected{Issuer: p.o.Issuer, Time: p.o.Now()}, 30*time.Second); err != nil {
		return "", err
	}
	if c.UserID == "" {
		return "", errors.New("no urn:altinn:userid")
	}
	return c.UserID, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem answers an RFC 9457 problem, as Altinn's controllers do.
func problem(w http.ResponseWriter, status int, title string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"status": status, "title": title})
}

// partyOf is the {party} path value as a canonical UUID; ok is false for an empty or bad one.
func partyOf(r *http.Request) (string, bool) {
	u, err := uuid.Parse(r.PathValue("party"))
	if err != nil || u == uuid.Nil {
		return "", false
	}
	return u.String(), true
}

func (p *Profile) favourites(w http.ResponseWriter, _ *http.Request, u *user) {
	writeJSON(w, http.StatusOK, u.fav)
}

func (p *Profile) addFavourite(w http.ResponseWriter, r *http.Request, u *user) {
	party, ok := partyOf(r)
	if !ok {
		problem(w, http.StatusBadRequest, "Invalid party UUID")
		return
	}
	if slices.Contains(u.fav.Parties, party) {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	u.fav.Parties = append(u.fav.Parties, party)
	w.WriteHeader(http.StatusCreated)
}

func (p *Profile) removeFavourite(w http.ResponseWriter, r *http.Request, u *user) {
	party, ok := partyOf(r)
	if !ok {
		problem(w, http.StatusBadRequest, "Invalid party UUID")
		return
	}
	i := slices.Index(u.fav.Parties, party)
	if i < 0 {
		problem(w, http.StatusNotFound, "The party is not a favorite")
		return
	}
	u.fav.Parties = slices.Delete(u.fav.Parties, i, i+1)
	w.WriteHeader(http.StatusNoContent)
}

func (p *Profile) list(w http.ResponseWriter, _ *http.Request, u *user) {
	writeJSON(w, http.StatusOK, append([]*group{u.fav}, u.groups...))
}

// find is the user's group with the {id} path value, the favourites group included.
func find(r *http.Request, u *user) *group {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil {
		return nil
	}
	if id == u.fav.ID {
		return u.fav
	}
	for _, g := range u.groups {
		if g.ID == id {
			return g
		}
	}
	return nil
}

func (p *Profile) get(w http.ResponseWriter, r *http.Request, u *user) {
	g := find(r, u)
	if g == nil {
		problem(w, http.StatusNotFound, "Group not found")
		return
	}
	writeJSON(w, http.StatusOK, g)
}

// readName reads {"name"} from the body.
func readName(w http.ResponseWriter, r *http.Request) (string, bool) {
	var in struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil || strings.TrimSpace(in.Name) == "" {
		problem(w, http.StatusBadRequest, "A name is required")
		return "", false
	}
	return in.Name, true
}

func (p *Profile) create(w http.ResponseWriter, r *http.Request, u *user) {
	name, ok := readName(w, r)
	if !ok {
		return
	}
	g := &group{ID: p.nextID, Name: name, Parties: []string{}}
	p.nextID++
	u.groups = append(u.groups, g)
	w.Header().Set("Location", Prefix+"/users/current/party-groups/"+strconv.Itoa(g.ID))
	writeJSON(w, http.StatusCreated, g)
}

func (p *Profile) rename(w http.ResponseWriter, r *http.Request, u *user) {
	g := find(r, u)
	switch {
	case g == nil:
		problem(w, http.StatusNotFound, "Group not found")
		return
	case g.Favorite:
		problem(w, http.StatusUnprocessableEntity, "The favorites group cannot be renamed")
		return
	}
	name, ok := readName(w, r)
	if !ok {
		return
	}
	g.Name = name
	writeJSON(w, http.StatusOK, g)
}

func (p *Profile) delete(w http.ResponseWriter, r *http.Request, u *user) {
	g := find(r, u)
	switch {
	case g == nil:
		problem(w, http.StatusNotFound, "Group not found")
		return
	case g.Favorite:
		problem(w, http.StatusUnprocessableEntity, "The favorites group cannot be deleted")
		return
	}
	u.groups = slices.DeleteFunc(u.groups, func(x *group) bool { return x == g })
	w.WriteHeader(http.StatusNoContent)
}

func (p *Profile) associate(w http.ResponseWriter, r *http.Request, u *user) {
	g := find(r, u)
	if g == nil {
		problem(w, http.StatusNotFound, "Group not found")
		return
	}
	party, ok := partyOf(r)
	if !ok {
		problem(w, http.StatusBadRequest, "Invalid party UUID")
		return
	}
	if !slices.Contains(g.Parties, party) {
		g.Parties = append(g.Parties, party)
	}
	writeJSON(w, http.StatusOK, g)
}
