package workspace

import (
	"context"
	"errors"

	"github.com/innboks/innboks/internal/inbox"
)

// None is the workspace of a portal built without one: nothing kept, nothing to keep; the
// pages work without stars, groups or stored preferences, and changing them fails.
type None struct{}

var errNoWorkspace = errors.New("workspace: none configured")

func (None) Preferences(context.Context, Person) (Preferences, error) {
	return Preferences{}, nil
}
func (None) Favourites(context.Context, Person) ([]string, error) {
	return nil, errNoWorkspace
}
func (None) Groups(context.Context, Person) ([]Group, error) {
	return nil, nil
}
func (None) Choose(_ context.Context, _ Person, ix *inbox.PartyIndex, keys ...string) string {
	return ix.Choose(keys...)
}
func (None) Scope(context.Context, Person, *inbox.PartyIndex, string) (Scope, error) {
	return Scope{}, ErrNotFound
}
func (None) Star(context.Context, Person, *inbox.PartyIndex, string, bool) error {
	return errNoWorkspace
}
func (None) SetPreferences(context.Context, Person, Preferences) error {
	return errNoWorkspace
}
func (None) MakeGroup(context.Context, Person, *inbox.PartyIndex, NewGroup) (Group, []string, error) {
	return Group{}, nil, errNoWorkspace
}
func (None) DeleteGroup(context.Context, Person, string) error {
	return errNoWorkspace
}
