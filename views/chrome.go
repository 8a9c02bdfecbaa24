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

// HTMXConfig is the htmx configuration the layout puts in <meta name="htmx-config">: no eval, no
// script tags from responses, no injected indicator <style>, so htmx runs under a CSP without
// 'unsafe-inline' and 'unsafe-eval' (https://htmx.org/docs/#security, htmx.config reference).
//
// attributesToSettle leaves out htmx's default "style": when a swap brings in an element with the
// id of one it replaces, htmx first copies the old one's settle attributes onto it, with
// setAttribute, so an inline style the old one had (set through CSSOM, which the CSP allows: by a
// browser extension or a QA tool) became an inline style attribute, which style-src 'self'
// refuses, and the console showed a CSP violation after a search or filter.
//
// responseHandling swaps 4xx/5xx answers too (htmx 2 drops them by default), so the error
// fragment the error handler sends is shown instead of nothing; historyCacheSize 0 keeps
// personal pages out of localStorage.
const HTMXConfig = `{"allowEval":false,"allowScriptTags":false,"includeIndicatorStyles":false,"selfRequestsOnly":true,` +
	`"attributesToSettle":["class","width","height"],` +
	`"historyCacheSize":0,"refreshOnHistoryMiss":true,` +
	`"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"[45]..","swap":true,"error":true}]}`

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
