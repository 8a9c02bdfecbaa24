package handlers

import (
	"context"
	"net/http"
	"slices"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// ScopeService resolves the inbox's workspace scopes: the favourites and the person's groups
// (*workspace.Workspace).
type ScopeService interface {
	Scope(ctx context.Context, p workspace.Person, ix *inbox.PartyIndex, key string) (workspace.Scope, error)
}

// scopeOf is what the list for choice searches (party URNs, in the scope's order), with the
// page's lines about it: the star of one party, or the name of a workspace scope and what of it
// cannot be searched. A group that is not the person's is not found.
func (h *Inbox) scopeOf(ctx context.Context, u *user, choice string, props *views.InboxProps) ([]string, error) {
	if !workspace.IsScope(choice) {
		if p, ok := u.parties.Get(choice); ok && !inbox.IsGroup(choice) {
			if favs, err := h.ws.Favourites(ctx, u.who); err == nil {
				props.Star = &views.StarProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Party: p.UUID, Name: p.Name,
					On: slices.Contains(favs, p.UUID)}
			}
		}
		return u.parties.Scope(choice), nil
	}
	s, err := h.scopes.Scope(ctx, u.who, u.parties, choice)
	if workspace.IsNotFound(err) {
		return nil, &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's"}
	}
	if err != nil {
		return nil, err
	}
	props.Scope, props.ScopeNote = present.ScopeLines(u.lang, s)
	return s.URNs, nil
}
