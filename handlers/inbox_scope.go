package handlers

import (
	"context"
	"slices"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// scopeLines are the list's lines about what it searches: the star of one party, or the name
// of a workspace scope and what of it cannot be searched.
func (h *Inbox) scopeLines(ctx context.Context, u *user, s workspace.Scope, props *views.InboxProps) {
	if workspace.IsScope(s.Key) {
		props.Scope, props.ScopeNote = present.ScopeLines(u.lang, s)
		return
	}
	if p, ok := u.parties.Get(s.Key); ok && !inbox.IsGroup(s.Key) {
		if favs, err := h.ws.Favourites(ctx, u.who); err == nil {
			props.Star = &views.StarProps{Lang: u.lang, CSRF: web.PageFrom(ctx).CSRF, Party: p.UUID, Name: p.Name,
				On: slices.Contains(favs, p.UUID)}
		}
	}
}
