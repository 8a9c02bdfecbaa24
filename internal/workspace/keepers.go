package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
	"github.com/innboks/innboks/internal/profileapi"
	"github.com/innboks/innboks/internal/store"
)

// StoreKeeper keeps favourites and groups in Innboks's own store: when no Profile API is
// configured.
type StoreKeeper struct{ Store store.Store }

// Favourites lists the starred parties, oldest first.
func (k StoreKeeper) Favourites(ctx context.Context, p Person) ([]string, error) {
	return k.Store.Favourites(ctx, store.Owner(p.Owner))
}

// SetFavourite stars or unstars a party.
func (k StoreKeeper) SetFavourite(ctx context.Context, p Person, party string, on bool) error {
	if on {
		return k.Store.AddFavourite(ctx, store.Owner(p.Owner), party)
	}
	return k.Store.RemoveFavourite(ctx, store.Owner(p.Owner), party)
}

// Groups lists the groups by name.
func (k StoreKeeper) Groups(ctx context.Context, p Person) ([]Group, error) {
	gs, err := k.Store.Groups(ctx, store.Owner(p.Owner))
	if err != nil {
		return nil, err
	}
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i] = Group{ID: g.ID, Name: g.Name, Size: g.Size}
	}
	return out, nil
}

// Group is one group with its parties.
func (k StoreKeeper) Group(ctx context.Context, p Person, id string) (Group, error) {
	g, err := k.Store.Group(ctx, store.Owner(p.Owner), id)
	if err != nil {
		return Group{}, err
	}
	return Group{ID: g.ID, Name: g.Name, Size: g.Size, Parties: g.Parties}, nil
}

// CreateGroup makes a group.
func (k StoreKeeper) CreateGroup(ctx context.Context, p Person, name string, parties []string) (Group, error) {
	g, err := k.Store.CreateGroup(ctx, store.Owner(p.Owner), name, parties)
	if err != nil {
		return Group{}, err
	}
	return Group{ID: g.ID, Name: g.Name, Size: g.Size, Parties: g.Parties}, nil
}

// DeleteGroup deletes a group.
func (k StoreKeeper) DeleteGroup(ctx context.Context, p Person, id string) error {
	return k.Store.DeleteGroup(ctx, store.Owner(p.Owner), id)
}

// Exchanger turns the person's ID-porten token into an Altinn token (*dpclient.Client).
type Exchanger interface {
	ExchangeIDPortenToken(ctx context.Context, opts ...dpclient.CallOption) (string, error)
}

// ProfileKeeper keeps favourites and groups in Altinn's Profile API, with an Altinn token
// exchanged from the person's ID-porten token (AUTH-AND-NEIGHBOURS.md §G). The Profile API
// sets no limits of its own that are known; the store's are applied here too, so a person
// meets the same rules either way.
type ProfileKeeper struct {
	api    *profileapi.Client
	exch   Exchanger
	tokens *cache.Cache[string]
}

// NewProfileKeeper returns a keeper over the Profile API client.
func NewProfileKeeper(api *profileapi.Client, exch Exchanger) *ProfileKeeper {
	// An exchanged token lives as long as the ID-porten token it came from (about two
	// minutes); reused for a fraction of that, per session.
	return &ProfileKeeper{api: api, exch: exch, tokens: cache.New[string](30*time.Second, 10_000)}
}

// token is the person's Altinn token, exchanged at most once per session in 30 s.
func (k *ProfileKeeper) token(ctx context.Context, p Person) (string, error) {
	return k.tokens.Get(ctx, p.User.Key, func(ctx context.Context) (string, error) {
		return k.exch.ExchangeIDPortenToken(ctx, dpclient.WithCallToken(p.User.Token))
	})
}

// call runs fn with the person's Altinn token, mapping the API's errors to the store's.
func (k *ProfileKeeper) call(ctx context.Context, p Person, fn func(token string) error) error {
	tok, err := k.token(ctx, p)
	if err != nil {
		return fmt.Errorf("workspace: token exchange: %w", err)
	}
	err = fn(tok)
	if errors.Is(err, profileapi.ErrNotFound) {
		return ErrNotFound
	}
	return err
}

// Favourites lists the starred parties.
func (k *ProfileKeeper) Favourites(ctx context.Context, p Person) (favs []string, err error) {
	err = k.call(ctx, p, func(tok string) (err error) { favs, err = k.api.Favourites(ctx, tok); return err })
	return favs, err
}

// SetFavourite stars or unstars a party.
func (k *ProfileKeeper) SetFavourite(ctx context.Context, p Person, party string, on bool) error {
	return k.call(ctx, p, func(tok string) error {
		if on {
			return k.api.AddFavourite(ctx, tok, party)
		}
		return k.api.RemoveFavourite(ctx, tok, party)
	})
}

// groups is every group but the favourites, with parties.
func (k *ProfileKeeper) groups(ctx context.Context, p Person) ([]Group, error) {
	var gs []profileapi.Group
	if err := k.call(ctx, p, func(tok string) (err error) { gs, err = k.api.Groups(ctx, tok); return err }); err != nil {
		return nil, err
	}
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		if !g.IsFavorite {
			out = append(out, Group{ID: string(g.ID), Name: g.Name, Size: len(g.Parties), Parties: g.Parties})
		}
	}
	sortGroups(out)
	return out, nil
}

// Groups lists the groups by name.
func (k *ProfileKeeper) Groups(ctx context.Context, p Person) ([]Group, error) {
	gs, err := k.groups(ctx, p)
	for i := range gs {
		gs[i].Parties = nil
	}
	return gs, err
}

// Group is one group with its parties; the favourites group is not one.
func (k *ProfileKeeper) Group(ctx context.Context, p Person, id string) (Group, error) {
	var g profileapi.Group
	err := k.call(ctx, p, func(tok string) (err error) { g, err = k.api.Group(ctx, tok, profileapi.GroupID(id)); return err })
	if err != nil {
		return Group{}, err
	}
	if g.IsFavorite {
		return Group{}, ErrNotFound
	}
	return Group{ID: string(g.ID), Name: g.Name, Size: len(g.Parties), Parties: g.Parties}, nil
}

// CreateGroup makes a group: the group first, then one association per party (the API adds
// one at a time; a group of thousands is thousands of calls). A failure deletes the half-made
// group.
func (k *ProfileKeeper) CreateGroup(ctx context.Context, p Person, name string, parties []string) (Group, error) {
	name, err := cleanGroupName(name)
	if err != nil {
		return Group{}, err
	}
	if len(parties) > store.MaxGroupParties {
		return Group{}, &LimitError{Limit: "group parties", Max: store.MaxGroupParties}
	}
	existing, err := k.groups(ctx, p)
	if err != nil {
		return Group{}, err
	}
	if len(existing) >= store.MaxGroups {
		return Group{}, &LimitError{Limit: "groups", Max: store.MaxGroups}
	}
	for _, g := range existing {
		if strings.EqualFold(g.Name, name) {
			return Group{}, ErrNameTaken
		}
	}
	var made profileapi.Group
	if err := k.call(ctx, p, func(tok string) (err error) { made, err = k.api.CreateGroup(ctx, tok, name); return err }); err != nil {
		return Group{}, err
	}
	err = k.call(ctx, p, func(tok string) error {
		// One at a time: the API appends, so the group keeps the order the person gave.
		for _, party := range parties {
			if err := k.api.AddToGroup(ctx, tok, made.ID, party); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		cctx := context.WithoutCancel(ctx)
		_ = k.call(cctx, p, func(tok string) error { return k.api.DeleteGroup(cctx, tok, made.ID) })
		return Group{}, err
	}
	return k.Group(ctx, p, string(made.ID))
}

// DeleteGroup deletes a group. The favourites group is not one (Group): the API refuses to
// delete it with a status of its own choosing (the double's 422), and DeleteGroup answers
// ErrNotFound for it, as Group does. Only a refusal costs the look-up.
func (k *ProfileKeeper) DeleteGroup(ctx context.Context, p Person, id string) error {
	return k.call(ctx, p, func(tok string) error {
		err := k.api.DeleteGroup(ctx, tok, profileapi.GroupID(id))
		var se *profileapi.StatusError
		if !errors.As(err, &se) || se.Status >= 500 {
			return err
		}
		if g, gerr := k.api.Group(ctx, tok, profileapi.GroupID(id)); gerr == nil && g.IsFavorite {
			return ErrNotFound
		}
		return err
	})
}
