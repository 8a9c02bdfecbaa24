package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"uuid"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
)

// liveTarget is what one stream or poll watches.
type liveTarget struct {
	subjects []string // party URNs, all the user's own; read at subscription, not kept
	dialog   string   // only this dialog's events ("" for a list)
	listURL  string   // the inbox list the banner reloads
	group    bool     // the list shows a group of parties: the banner names them
	choice   string   // the party or group the list shows ("" for a dialog)
}

// errNotYourParty refuses a stream or poll of a party the user may not act for.
var errNotYourParty = &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: "live: party not among the user's parties"}

// target reads ?party=&list= (a list) or ?dialog=&party= (a dialog page). The parties are
// always the user's own, checked here against their party list, whatever the URL says: the
// chosen party, or a group of them, or the dialog's party; a party the user does not have, or
// reaches only through its sub-units, is refused.
func (h *Live) target(c echo.Context, u *user) (liveTarget, error) {
	if d := c.QueryParam("dialog"); d != "" {
		parsed, err := uuid.Parse(d)
		if err != nil {
			return liveTarget{}, &Error{Status: http.StatusBadRequest, Kind: views.ErrBadRequest, Msg: "live: bad dialog id"}
		}
		// A page that does not name the dialog's party (drawn before it did) follows every party
		// the user acts for; the hub indexes that set once for all such streams of the user.
		subjects, ok := u.parties.DialogSubjects(c.QueryParam("party"))
		if !ok {
			return liveTarget{}, errNotYourParty
		}
		return liveTarget{subjects: subjects, dialog: parsed.String()}, nil
	}
	// A party, an inbox group, the favourites or a group: the parties of it the person may
	// still act for.
	s, err := h.scope(c.Request().Context(), u, c.QueryParam("party"))
	if err != nil {
		return liveTarget{}, errNotYourParty
	}
	choice, subjects := s.Key, s.URNs
	// A group (all organisations, the favourites, a party group): the banner names the parties.
	t := liveTarget{listURL: "/inbox?party=" + url.QueryEscape(choice), subjects: subjects, choice: choice,
		group: inbox.IsGroup(choice) || workspace.IsScope(choice)}
	if l := c.QueryParam("list"); l == "/inbox" || strings.HasPrefix(l, "/inbox?") {
		t.listURL = l
	}
	return t, nil
}

// recall returns the parties of the group choice again, those the user still has, for a
// stream's banner to name the parties of events that came over Redis with only a hash of their
// party (live.Watch.Recall): the inbox groups from the user's party list, the favourites and
// party groups read again.
func (h *Live) recall(u *user, choice string) func(context.Context) []string {
	return func(ctx context.Context) []string {
		if !workspace.IsScope(choice) {
			return u.parties.Scope(choice)
		}
		s, err := h.ws.Scope(ctx, u.who, u.parties, choice)
		if err != nil {
			return nil
		}
		return s.URNs
	}
}
