package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// errorProps builds the way forward for an error: log in again, step up, retry, or go home.
func errorProps(r *http.Request, status int, kind views.ErrorKind, retry time.Duration) views.ErrorProps {
	here := currentURL(r)
	p := views.ErrorProps{Status: status, Kind: kind, RequestID: web.PageFrom(r.Context()).RequestID}
	switch kind {
	case views.ErrUnauthorized:
		p.LoginURL = "/login?return_to=" + url.QueryEscape(here)
	case views.ErrAuthLevel:
		p.StepUpURL = "/login/step-up?return_to=" + url.QueryEscape(here)
	case views.ErrBusy, views.ErrInternal, views.ErrTooBroad:
		if r.Method == http.MethodGet {
			p.RetryURL = ownURL(r)
		}
		p.RetryAfter = int((retry + time.Second - 1) / time.Second)
	case views.ErrCSRF:
		p.RetryURL = safeReturnTo(r.Referer())
	}
	return p
}

// ownURL is the page of this (GET) request, which is what trying again must load, also for an
// htmx request whose failure left the address bar on the page before: the canonical URL its
// handler named, else its path and query, for htmx without the empty fields a form sends.
func ownURL(r *http.Request) string {
	if c := web.PageFrom(r.Context()).Canonical; c != "" {
		return safeReturnTo(c)
	}
	if !web.IsHTMX(r) || r.URL.RawQuery == "" {
		return safeReturnTo(r.URL.RequestURI())
	}
	q := r.URL.Query()
	for k, vs := range q {
		if vs = slices.DeleteFunc(vs, func(v string) bool { return v == "" }); len(vs) == 0 {
			delete(q, k)
		} else {
			q[k] = vs
		}
	}
	u := *r.URL
	u.RawQuery = q.Encode()
	return safeReturnTo(u.RequestURI())
}

// currentURL is the page the user is on: for htmx the URL in the address bar, else this request.
func currentURL(r *http.Request) string {
	if web.IsHTMX(r) {
		if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil && u.Path != "" {
			return safeReturnTo(u.RequestURI())
		}
	}
	return safeReturnTo(r.URL.RequestURI())
}

// errorChrome is the error page's layout data: logged in when the request has a session, with
// the name only when the session's parties are already cached (an error page makes no upstream
// call).
func errorChrome(r *http.Request, a Sessions, parties PartyService, lang i18n.Lang) views.Chrome {
	ch := baseChrome(r, lang, lang.T("error.title"))
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
	return loggedInChrome(ch, ix)
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
