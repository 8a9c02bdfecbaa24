package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
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

// base is what every logged-in handler shares: the session and the user's parties.
type base struct {
	auth    Sessions
	parties PartyService
}

// user is the logged-in context of one request.
type user struct {
	sess    Session
	lang    i18n.Lang
	parties *inbox.PartyIndex
	// in is the user as the service layer knows them: their cache key, language and token.
	in *inbox.User
}

// userFrom loads the session (put there by auth's Require middleware) and the user's parties.
// A person who may act for nobody gets a page that says so, not an empty inbox.
func (b *base) userFrom(c echo.Context) (*user, error) {
	ctx := c.Request().Context()
	s, ok := b.auth.Session(ctx)
	if !ok {
		return nil, &Error{Status: http.StatusUnauthorized, Kind: views.ErrUnauthorized, Msg: "no session"}
	}
	u := &user{sess: s, lang: web.Lang(c.Request(), s.Lang)}
	u.in = &inbox.User{Key: s.ID, Lang: string(u.lang), Token: b.auth.Token(ctx)}
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
	return loggedInChrome(baseChrome(c.Request(), u.lang, title), u.parties)
}

// loggedInChrome marks ch as a logged-in page, with the user's name when ix (nil: not at hand)
// has the user's own party.
func loggedInChrome(ch views.Chrome, ix *inbox.PartyIndex) views.Chrome {
	ch.LoggedIn = true
	if ix != nil {
		if self, ok := ix.Self(); ok {
			ch.UserName = self.Name
		}
	}
	return ch
}
