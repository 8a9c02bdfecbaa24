package handlers

import (
	"net/http"
	"net/url"
	"time"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/present"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// errorProps builds the way forward for an error: log in again, step up, retry, or go home.
func errorProps(r *http.Request, status int, kind views.ErrorKind, retry time.Duration) views.ErrorProps {
	here := web.CurrentURL(r)
	p := views.ErrorProps{Status: status, Kind: kind, RequestID: web.PageFrom(r.Context()).RequestID}
	switch kind {
	case views.ErrUnauthorized:
		p.LoginURL = "/login?return_to=" + url.QueryEscape(here)
	case views.ErrAuthLevel:
		p.StepUpURL = "/login/step-up?return_to=" + url.QueryEscape(here)
	case views.ErrBusy, views.ErrInternal, views.ErrTooBroad:
		if r.Method == http.MethodGet {
			p.RetryURL = web.OwnURL(r)
		}
		p.RetryAfter = int((retry + time.Second - 1) / time.Second)
	case views.ErrCSRF:
		// Back to the page that posted: the Referer is a full same-origin URL
		// (Referrer-Policy: same-origin), of which only the path and query are kept.
		p.RetryURL = web.ReturnPath(r, "")
	}
	return p
}

// errorChrome is the error page's layout data: logged in when the request has a session, with
// the name only when the session's parties are already cached (an error page makes no upstream
// call).
func errorChrome(r *http.Request, a Sessions, parties PartyService, lang i18n.Lang, title string) views.Chrome {
	ch := baseChrome(r, lang, title)
	if a == nil {
		return ch
	}
	s, ok := a.Session(r.Context())
	if !ok {
		return ch
	}
	var ix *inbox.PartyIndex
	if parties != nil {
		ix, _ = parties.Cached(s.ID)
	}
	return present.LoggedInChrome(ch, ix)
}

func sessionLang(a Sessions, r *http.Request) string {
	if a == nil {
		return ""
	}
	if s, ok := a.Session(r.Context()); ok {
		return s.Lang
	}
	return ""
}
