// Package workspace is what a person keeps in Innboks from one visit to the next, as plain
// calls: preferences (language, the party to open at login, show deleted parties), favourite
// parties and named groups of parties, the last two usable as search scopes of the inbox.
//
// Preferences live in Innboks's store (internal/store). Favourites and groups live with a
// Keeper: Altinn's Profile API when one is configured (ProfileKeeper, so a star set in
// Altinn's own inbox shows here and back), else Innboks's store (StoreKeeper).
package workspace

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/innboks/innboks/internal/cache"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/store"
)

// Person is who a call is made for: their store owner (an HMAC of the identity number) and the
// session's user (cache key, language, ID-porten token).
type Person struct {
	Owner string
	User  *inbox.User
}

// Group is a named, ordered set of parties (party UUIDs). Size is set in lists, where Parties
// may be nil.
type Group struct {
	ID      string
	Name    string
	Size    int
	Parties []string
}

// Keeper keeps a person's favourites and groups.
type Keeper interface {
	// Favourites lists the starred parties, oldest first.
	Favourites(ctx context.Context, p Person) ([]string, error)
	// SetFavourite stars (on) or unstars a party; doing it twice changes nothing.
	SetFavourite(ctx context.Context, p Person, party string, on bool) error
	// Groups lists the groups by name, with Size.
	Groups(ctx context.Context, p Person) ([]Group, error)
	// Group is one group with its parties; ErrNotFound for an id that is not the person's.
	Group(ctx context.Context, p Person, id string) (Group, error)
	// CreateGroup makes a group; the limits are refused with a *LimitError.
	CreateGroup(ctx context.Context, p Person, name string, parties []string) (Group, error)
	// DeleteGroup deletes a group.
	DeleteGroup(ctx context.Context, p Person, id string) error
}

// The store's errors and limits, which every Keeper answers with too.
var (
	ErrNotFound  = store.ErrNotFound
	ErrLimit     = store.ErrLimit
	ErrNameTaken = store.ErrNameTaken
	ErrInvalid   = store.ErrInvalid
)

// LimitError is a refused change beyond a limit (store.LimitError): which limit, and its number.
type LimitError = store.LimitError

// Preferences are a person's settings (store.Preferences).
type Preferences = store.Preferences

// Workspace is the service.
type Workspace struct {
	store  store.Store
	keep   Keeper
	prefs  *cache.Cache[Preferences]
	favs   *cache.Cache[[]string]
	groups *cache.Cache[[]Group]
}

// cacheTTL is how long a person's preferences, favourites and group list are reused: one page
// reads them several times, and an instance behind the same load balancer sees another's
// change within it.
const cacheTTL = 30 * time.Second

// New returns the service over st; keep is where favourites and groups live (nil: st itself).
func New(st store.Store, keep Keeper) *Workspace {
	if keep == nil {
		keep = StoreKeeper{Store: st}
	}
	return &Workspace{
		store: st, keep: keep,
		prefs:  cache.New[Preferences](cacheTTL, 10_000),
		favs:   cache.New[[]string](cacheTTL, 10_000),
		groups: cache.New[[]Group](cacheTTL, 10_000),
	}
}

// Preferences are the person's preferences; the zero value when none were saved.
func (w *Workspace) Preferences(ctx context.Context, p Person) (Preferences, error) {
	return w.prefs.Get(ctx, p.Owner, func(ctx context.Context) (Preferences, error) {
		return w.store.Preferences(ctx, store.Owner(p.Owner))
	})
}

// SetPreferences saves the person's preferences.
func (w *Workspace) SetPreferences(ctx context.Context, p Person, prefs Preferences) error {
	err := w.store.SetPreferences(ctx, store.Owner(p.Owner), prefs)
	w.prefs.Delete(p.Owner)
	return err
}

// Favourites lists the person's starred parties, oldest first.
func (w *Workspace) Favourites(ctx context.Context, p Person) ([]string, error) {
	return w.favs.Get(ctx, p.Owner, func(ctx context.Context) ([]string, error) { return w.keep.Favourites(ctx, p) })
}

// Star stars (on) or unstars one of the person's parties. A party they may not act for is
// refused with ErrNotFound: nobody stars a stranger.
func (w *Workspace) Star(ctx context.Context, p Person, ix *inbox.PartyIndex, party string, on bool) error {
	if _, ok := ix.Get(party); !ok && on {
		return ErrNotFound
	}
	err := w.keep.SetFavourite(ctx, p, party, on)
	w.favs.Delete(p.Owner)
	return err
}

// Groups lists the person's groups by name.
func (w *Workspace) Groups(ctx context.Context, p Person) ([]Group, error) {
	return w.groups.Get(ctx, p.Owner, func(ctx context.Context) ([]Group, error) { return w.keep.Groups(ctx, p) })
}

// CreateGroup makes a group of parties (party UUIDs of the person's, in order).
func (w *Workspace) CreateGroup(ctx context.Context, p Person, name string, parties []string) (Group, error) {
	g, err := w.keep.CreateGroup(ctx, p, name, parties)
	w.groups.Delete(p.Owner)
	return g, err
}

// DeleteGroup deletes one of the person's groups.
func (w *Workspace) DeleteGroup(ctx context.Context, p Person, id string) error {
	err := w.keep.DeleteGroup(ctx, p, id)
	w.groups.Delete(p.Owner)
	return err
}

// Forget deletes everything Innboks's store keeps for the person.
func (w *Workspace) Forget(ctx context.Context, p Person) error {
	defer w.prefs.Delete(p.Owner)
	defer w.favs.Delete(p.Owner)
	defer w.groups.Delete(p.Owner)
	return w.store.Forget(ctx, store.Owner(p.Owner))
}

// IsNotFound reports an error that means "no such thing of yours".
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// cleanGroupName checks a name as the store does (trimmed, 1–100 characters), for keepers
// other than the store.
func cleanGroupName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errors.Join(ErrInvalid, errors.New("the name is empty"))
	case len([]rune(name)) > store.MaxNameLen:
		return "", &LimitError{Limit: "name", Max: store.MaxNameLen}
	}
	return name, nil
}
