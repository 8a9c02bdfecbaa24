package handlers

import (
	"context"
	"errors"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/workspace"
)

// WorkspaceService is every workspace interface the handlers declare, as Deps takes it
// (*workspace.Workspace).
type WorkspaceService interface {
	WorkspaceReader
	ScopeService
	StarService
	SettingsService
	GroupService
}

// noWorkspace is the workspace of a portal built without one: nothing kept, nothing to keep.
type noWorkspace struct{}

var errNoWorkspace = errors.New("handlers: no workspace configured")

func (noWorkspace) Preferences(context.Context, workspace.Person) (workspace.Preferences, error) {
	return workspace.Preferences{}, nil
}
func (noWorkspace) Favourites(context.Context, workspace.Person) ([]string, error) {
	return nil, errNoWorkspace
}
func (noWorkspace) Groups(context.Context, workspace.Person) ([]workspace.Group, error) {
	return nil, nil
}
func (noWorkspace) Choose(_ context.Context, _ workspace.Person, ix *inbox.PartyIndex, keys ...string) string {
	return ix.Choose(keys...)
}
func (noWorkspace) Scope(context.Context, workspace.Person, *inbox.PartyIndex, string) (workspace.Scope, error) {
	return workspace.Scope{}, workspace.ErrNotFound
}
func (noWorkspace) Star(context.Context, workspace.Person, *inbox.PartyIndex, string, bool) error {
	return errNoWorkspace
}
func (noWorkspace) SetPreferences(context.Context, workspace.Person, workspace.Preferences) error {
	return errNoWorkspace
}
func (noWorkspace) MakeGroup(context.Context, workspace.Person, *inbox.PartyIndex, workspace.NewGroup) (workspace.Group, []string, error) {
	return workspace.Group{}, nil, errNoWorkspace
}
func (noWorkspace) DeleteGroup(context.Context, workspace.Person, string) error {
	return errNoWorkspace
}
