package store

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/cases"
)

// Store is what Innboks remembers for a person. Every method is scoped to one Owner: an id of
// another owner's row answers ErrNotFound, as an unknown id does.
type Store interface {
	// Favourites lists the owner's starred parties, oldest first.
	Favourites(ctx context.Context, o Owner) ([]string, error)
	// AddFavourite stars a party; starring a starred party changes nothing.
	AddFavourite(ctx context.Context, o Owner, party string) error
	// RemoveFavourite unstars a party; unstarring an unstarred party changes nothing.
	RemoveFavourite(ctx context.Context, o Owner, party string) error

	// Groups lists the owner's groups by name, with Size but without Parties.
	Groups(ctx context.Context, o Owner) ([]Group, error)
	// Group is one group with its parties in order.
	Group(ctx context.Context, o Owner, id string) (Group, error)
	// CreateGroup makes a group of parties (duplicates dropped, order kept).
	CreateGroup(ctx context.Context, o Owner, name string, parties []string) (Group, error)
	// RenameGroup renames a group.
	RenameGroup(ctx context.Context, o Owner, id, name string) error
	// SetGroupParties replaces a group's parties.
	SetGroupParties(ctx context.Context, o Owner, id string, parties []string) error
	// DeleteGroup deletes a group; a StartParty preference naming it is cleared.
	DeleteGroup(ctx context.Context, o Owner, id string) error

	// SavedSearches lists the owner's saved searches by name.
	SavedSearches(ctx context.Context, o Owner) ([]SavedSearch, error)
	// SavedSearch is one saved search.
	SavedSearch(ctx context.Context, o Owner, id string) (SavedSearch, error)
	// SaveSearch saves an inbox query (the query string of query.Query.URL, without "?").
	SaveSearch(ctx context.Context, o Owner, name, query string) (SavedSearch, error)
	// RenameSavedSearch renames a saved search.
	RenameSavedSearch(ctx context.Context, o Owner, id, name string) error
	// DeleteSavedSearch deletes a saved search.
	DeleteSavedSearch(ctx context.Context, o Owner, id string) error
	// OpenSavedSearch records that the search was opened at the store's now, and returns it
	// as it was before: its OpenedAt is the previous opening, for "new since last opened".
	OpenSavedSearch(ctx context.Context, o Owner, id string) (SavedSearch, error)

	// Preferences are the owner's preferences; the zero value when none were saved.
	Preferences(ctx context.Context, o Owner) (Preferences, error)
	// SetPreferences saves the owner's preferences.
	SetPreferences(ctx context.Context, o Owner, p Preferences) error

	// Forget deletes everything stored for the owner.
	Forget(ctx context.Context, o Owner) error
	// Close releases the database.
	Close() error
}

// Owner is the key every row is stored under: the hex HMAC-SHA256 of a person's national
// identity number under a server key, so the identity number itself is never stored.
type Owner string

// OwnerKey is the Owner of the person with identity number pid under the server key.
func OwnerKey(key []byte, pid string) Owner {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(pid))
	return Owner(hex.EncodeToString(m.Sum(nil)))
}

// valid refuses anything but an OwnerKey result, so a raw identity number can never become a key.
func (o Owner) valid() error {
	if len(o) != 2*sha256.Size || strings.Trim(string(o), "0123456789abcdef") != "" {
		return fmt.Errorf("%w: the owner is not an OwnerKey", ErrInvalid)
	}
	return nil
}

// Group is a named, ordered set of parties (party UUIDs).
type Group struct {
	ID      string
	Name    string
	Size    int
	Parties []string // nil in Groups' list
	Created time.Time
	Updated time.Time
}

// SavedSearch is a named inbox query.
type SavedSearch struct {
	ID       string
	Name     string
	Query    string // the query string of query.Query.URL, without "?"
	Created  time.Time
	OpenedAt time.Time // zero until first opened
}

// Preferences are a person's settings.
type Preferences struct {
	Language    string // "" (from the browser), nb, nn or en
	StartParty  string // "" (the default), a party UUID, all-orgs, all-persons, or "group:" + a group id
	ShowDeleted bool   // show deleted parties in the party chooser
}

// The limits, per owner where not said otherwise.
const (
	MaxNameLen       = 100   // characters in a group's or saved search's name
	MaxGroups        = 50    // groups
	MaxGroupParties  = 20000 // parties in one group
	MaxSavedSearches = 200   // saved searches
	MaxFavourites    = 20000 // starred parties
	MaxQueryLen      = 2048  // bytes in a saved search's query string
)

// Errors. Test with errors.Is; a *LimitError also says which limit.
var (
	ErrNotFound  = errors.New("store: not found")
	ErrLimit     = errors.New("store: limit reached")
	ErrNameTaken = errors.New("store: the name is taken")
	ErrInvalid   = errors.New("store: invalid input")
)

// LimitError is a refused change that would exceed a limit. It matches ErrLimit.
type LimitError struct {
	Limit string // "name", "groups", "group parties", "saved searches", "favourites" or "query"
	Max   int
}

func (e *LimitError) Error() string {
	switch e.Limit {
	case "name":
		return fmt.Sprintf("store: a name may have at most %d characters", e.Max)
	case "query":
		return fmt.Sprintf("store: a saved search may be at most %d bytes", e.Max)
	case "group parties":
		return fmt.Sprintf("store: a group may hold at most %d parties", e.Max)
	}
	return fmt.Sprintf("store: at most %d %s per person", e.Max, e.Limit)
}

// Is makes errors.Is(err, ErrLimit) true.
func (e *LimitError) Is(target error) bool { return target == ErrLimit }

// cleanName trims a name and checks it; key is its case-folded form, unique per owner.
func cleanName(name string) (clean, key string, err error) {
	clean = strings.TrimSpace(name)
	switch {
	case !utf8.ValidString(clean):
		return "", "", fmt.Errorf("%w: the name is not UTF-8", ErrInvalid)
	case clean == "":
		return "", "", fmt.Errorf("%w: the name is empty", ErrInvalid)
	case utf8.RuneCountInString(clean) > MaxNameLen:
		return "", "", &LimitError{Limit: "name", Max: MaxNameLen}
	case strings.ContainsFunc(clean, unicode.IsControl):
		return "", "", fmt.Errorf("%w: the name has a control character", ErrInvalid)
	}
	return clean, cases.Fold().String(clean), nil
}

// cleanParty is a party UUID in canonical form.
func cleanParty(p string) (string, error) {
	u, err := uuid.Parse(p)
	if err != nil || len(p) != 36 {
		return "", fmt.Errorf("%w: a party is not a party UUID", ErrInvalid)
	}
	return u.String(), nil
}

// cleanParties checks parties and drops duplicates, keeping the first of each.
func cleanParties(parties []string) ([]string, error) {
	if len(parties) > MaxGroupParties {
		return nil, &LimitError{Limit: "group parties", Max: MaxGroupParties}
	}
	out := make([]string, 0, len(parties))
	seen := make(map[string]struct{}, len(parties))
	for _, p := range parties {
		c, err := cleanParty(p)
		if err != nil {
			return nil, err
		}
		if _, dup := seen[c]; !dup {
			seen[c] = struct{}{}
			out = append(out, c)
		}
	}
	return out, nil
}

// cleanQuery checks a saved search's query string.
func cleanQuery(q string) (string, error) {
	q = strings.TrimPrefix(strings.TrimSpace(q), "?")
	if len(q) > MaxQueryLen {
		return "", &LimitError{Limit: "query", Max: MaxQueryLen}
	}
	if _, err := url.ParseQuery(q); err != nil {
		return "", fmt.Errorf("%w: the search is not a URL query string", ErrInvalid)
	}
	return q, nil
}

// Languages are the values Preferences.Language takes.
var Languages = []string{"", "nb", "nn", "en"}

// cleanPreferences checks p; a group start party must be one of the owner's groups (checked
// by the caller).
func cleanPreferences(p Preferences) (Preferences, error) {
	if !slices.Contains(Languages, p.Language) {
		return p, fmt.Errorf("%w: the language is not nb, nn or en", ErrInvalid)
	}
	switch s := p.StartParty; {
	case s == "", s == "all-orgs", s == "all-persons":
	case strings.HasPrefix(s, "group:"):
		id, ok := cleanID(strings.TrimPrefix(s, "group:"))
		if !ok {
			return p, fmt.Errorf("%w: the start party names no group", ErrInvalid)
		}
		p.StartParty = "group:" + id
	default:
		c, err := cleanParty(s)
		if err != nil {
			return p, err
		}
		p.StartParty = c
	}
	return p, nil
}

// cleanID is a row id in canonical form; ok is false for anything that cannot be one.
func cleanID(id string) (string, bool) {
	u, err := uuid.Parse(id)
	return u.String(), err == nil && len(id) == 36
}
