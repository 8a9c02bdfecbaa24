package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// base is what every logged-in handler shares: the session and the cached parties.
type base struct {
	auth    Auth
	parties *PartyCache
}

// user is the logged-in context of one request.
type user struct {
	sess    Session
	lang    i18n.Lang
	parties *PartyIndex
	// opts carry the session's token and the UI language to every dpclient call, so titles and
	// summaries come back in the language the user reads.
	opts []dpclient.CallOption
}

// userFrom loads the session (put there by auth's Require middleware) and the user's parties.
func (b *base) userFrom(c echo.Context) (*user, error) {
	ctx := c.Request().Context()
	s, ok := b.auth.Session(ctx)
	if !ok {
		return nil, &Error{Status: http.StatusUnauthorized, Kind: views.ErrUnauthorized, Msg: "no session"}
	}
	u := &user{sess: s, lang: langFrom(c.Request(), s.Lang)}
	u.opts = []dpclient.CallOption{dpclient.WithCallToken(b.auth.Token(ctx)), dpclient.WithLanguage(string(u.lang))}
	ix, err := b.parties.Get(ctx, s.ID, u.opts...)
	if err != nil {
		return nil, err
	}
	u.parties = ix
	return u, nil
}

// chrome is the layout data for a logged-in page.
func (b *base) chrome(c echo.Context, u *user, title string) views.Chrome {
	return loggedInChrome(baseChrome(c.Request(), u.lang, title), u.parties)
}

// loggedInChrome marks ch as a logged-in page, with the user's name when ix (nil: not at hand)
// has the user's own party.
func loggedInChrome(ch views.Chrome, ix *PartyIndex) views.Chrome {
	ch.LoggedIn = true
	if ix != nil {
		if self, ok := ix.Self(); ok {
			ch.UserName = self.Name
		}
	}
	return ch
}
