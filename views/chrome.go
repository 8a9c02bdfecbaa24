// Package views renders the portal's HTML with templ. Components take plain props (no echo, auth
// or dpclient types); handlers map upstream data to these props. Full pages end in Page and are
// built from the same fragments the htmx requests swap in, so the two cannot drift apart.
package views

import (
	"encoding/json"

	"github.com/a-h/templ"

	"github.com/innboks/innboks/static"
	"github.com/innboks/innboks/views/i18n"
)

// Chrome is what the layout around every page needs: language, CSRF token, who is logged in and
// the header's slots.
type Chrome struct {
	Lang  i18n.Lang
	Title string // page title, already translated; the app name is appended
	CSRF  string // the CSRF token for forms and htmx requests
	// ReturnTo is the current path and query, used by the language switch to come back here.
	ReturnTo string
	// UserName is the logged-in person's name; empty on anonymous pages.
	UserName string
	// LoggedIn shows the log-out button also when the name is not at hand (an error page
	// before the parties were loaded); a UserName implies it.
	LoggedIn bool
	// PartySlot renders the party chooser in the header; nil when there is none.
	PartySlot templ.Component
	// Address is the page's own canonical address when the request asked for it in another form
	// (/inbox without a party answers the current party's inbox at once, no redirect): the
	// layout names it as the canonical link and app.js puts it in the address bar
	// (history.replaceState), so a reload or a shared link shows the same. Empty otherwise.
	Address string
}

// csrfHeaders is the hx-headers value carrying the CSRF token on every htmx request.
func csrfHeaders(token string) string {
	b, _ := json.Marshal(map[string]string{"X-CSRF-Token": token})
	return string(b)
}

func asset(name string) string { return static.Path(name) }

func title(c Chrome) string {
	if c.Title == "" {
		return c.Lang.T("app.name")
	}
	return c.Title + " – " + c.Lang.T("app.name")
}
