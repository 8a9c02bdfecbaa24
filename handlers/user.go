package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/internal/workspace"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// PartyService is what every logged-in handler needs of the service layer: the user's parties
// (*inbox.Parties).
type PartyService interface {
	Get(ctx context.Context, u *inbox.User) (*inbox.PartyIndex, error)
	// Cached returns a session's parties only when they are at hand (no upstream call).
	Cached(key string) (*inbox.PartyIndex, bool)
}

// WorkspaceReader is what every logged-in page reads of the person's workspace
// (*workspace.Workspace): preferences, favourites and groups for the chooser, the choice of
// whom the page acts for and the parties of a favourites or group scope.
type WorkspaceReader interface {
	Preferences(ctx context.Context, p workspace.Person) (workspace.Preferences, error)
	Favourites(ctx context.Context, p workspace.Person) ([]string, error)
	Groups(ctx context.Context, p workspace.Person) ([]workspace.Group, error)
	Choose(ctx context.Context, p workspace.Person, ix *inbox.PartyIndex, keys ...string) string
	Scope(ctx context.Context, p workspace.Person, ix *inbox.PartyIndex, key string) (workspace.Scope, error)
}

// base is what every logged-in handler shares: the session, the user's parties and their
// workspace.
type base struct {
	auth    Sessions
	parties PartyService
	ws      WorkspaceReader
}

// user is the logged-in context of one request.
type user struct {
	sess    Session
	lang    i18n.Lang
	parties *inbox.PartyIndex
	// in is the user as the service layer knows them: their cache key, language and token.
	in *inbox.User
	// who is the user as the workspace knows them; prefs their preferences (the zero value
	// when the store could not be read: the page still works).
	who   workspace.Person
	prefs workspace.Preferences
}

// userFrom loads the session (put there by auth's Require middleware) and the user's parties.
// A person who may act for nobody gets a page that says so, not an empty inbox.
func (b *base) userFrom(c echo.Context) (*user, error) {
	ctx := c.Request().Context()
	s, ok := b.auth.Session(ctx)
	if !ok {
		return nil, &Error{Status: http.StatusUnauthorized, Kind: views.ErrUnauthorized, Msg: "no session"}
	}
	u := &user{sess: s}
	u.in = &inbox.User{Key: s.ID, Token: b.auth.Token(ctx)}
	u.who = workspace.Person{Owner: s.Owner, User: u.in}
	u.prefs, _ = b.ws.Preferences(ctx, u.who)
	if s.Lang == "" && u.prefs.Language != "" {
		// The first page after a login speaks the person's stored language; choosing another
		// with the switch (the session's) wins from then on.
		if err := b.auth.SetLang(ctx, u.prefs.Language); err != nil {
			return nil, err
		}
		s.Lang = u.prefs.Language
		u.sess.Lang = s.Lang
	}
	u.lang = web.Lang(c.Request(), s.Lang)
	u.in.Lang = string(u.lang)
	ix, err := b.parties.Get(ctx, u.in)
	if err != nil {
		return nil, err
	}
	u.parties = ix
	if ix.Choose() == "" {
		return nil, &Error{Status: http.StatusForbidden, Kind: views.ErrNoParty, Msg: "no party the user can act for"}
	}
	return u, nil
}

// chrome is the layout data for a logged-in page.
func (b *base) chrome(c echo.Context, u *user, title string) views.Chrome {
	return present.LoggedInChrome(baseChrome(c.Request(), u.lang, title), u.parties)
}

// choice resolves the party key a page asks for (a party, a group of parties, the favourites,
// one of the person's groups) to one they may use: else the session's choice, else the start
// party of their preferences (the landing after a login), else their own person.
func (b *base) choice(ctx context.Context, u *user, key string) string {
	return b.ws.Choose(ctx, u.who, u.parties, key, u.sess.PartyUUID, u.prefs.StartParty)
}

// withUser hands h the request's logged-in user (userFrom); a failure goes to the error
// handler.
func (b *base) withUser(h func(c echo.Context, u *user) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := b.userFrom(c)
		if err != nil {
			return err
		}
		return h(c, u)
	}
}

// scope is what a search's party key searches, resolved as the inbox resolves it (a party, all
// organisations or persons, the favourites, one of the person's groups; "" picks the session's):
// the choice as Key and the party URNs in the scope's order. A party the user may not act for
// is refused, a group that is not theirs is not found.
func (b *base) scope(ctx context.Context, u *user, party string) (workspace.Scope, error) {
	choice := b.choice(ctx, u, party)
	switch {
	case party != "" && party != choice && workspace.IsScope(party):
		return workspace.Scope{Key: choice}, &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's"}
	case party != "" && party != choice:
		return workspace.Scope{Key: choice}, echo.NewHTTPError(http.StatusForbidden, "party not among the user's parties")
	case !workspace.IsScope(choice):
		return workspace.Scope{Key: choice, URNs: u.parties.Scope(choice)}, nil
	}
	s, err := b.ws.Scope(ctx, u.who, u.parties, choice)
	if workspace.IsNotFound(err) {
		return workspace.Scope{Key: choice}, &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: "no such group of the user's", Err: err}
	}
	s.Key = choice
	return s, err
}
