package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/views/i18n"
)

// LangCookie remembers the language on anonymous pages (the session holds it after login).
const LangCookie = "lang"

// Lang picks the UI language: the session's choice, the lang cookie (anonymous pages), then
// Accept-Language.
func Lang(r *http.Request, sessionLang string) i18n.Lang {
	if l, ok := i18n.Parse(sessionLang); ok {
		return l
	}
	if ck, err := r.Cookie(LangCookie); err == nil {
		if l, ok := i18n.Parse(ck.Value); ok {
			return l
		}
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

// ReturnPath is the page a form posted from wants to go back to: its return_to field when sent
// (rendered with the page; app.js keeps it on the address htmx pushes), else the path of a
// same-origin Referer (the document that posted), else "/". Only local paths come out of it.
func ReturnPath(r *http.Request, returnTo string) string {
	if returnTo != "" {
		return auth.SafeReturnTo(returnTo)
	}
	ref, err := url.Parse(r.Referer())
	if err != nil || (ref.Scheme != "http" && ref.Scheme != "https") || !strings.EqualFold(ref.Host, r.Host) || ref.User != nil {
		return "/"
	}
	return auth.SafeReturnTo(ref.RequestURI())
}

// OwnURL is the page of this (GET) request, which is what trying again must load, also for an
// htmx request whose failure left the address bar on the page before: the canonical URL its
// handler named, else its path and query, for htmx without the empty fields a form sends.
func OwnURL(r *http.Request) string {
	if c := PageFrom(r.Context()).Canonical; c != "" {
		return auth.SafeReturnTo(c)
	}
	if !IsHTMX(r) || r.URL.RawQuery == "" {
		return auth.SafeReturnTo(r.URL.RequestURI())
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
	return auth.SafeReturnTo(u.RequestURI())
}

// CurrentURL is the page the user is on: for htmx the URL in the address bar, else this request.
func CurrentURL(r *http.Request) string {
	if IsHTMX(r) {
		if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil && u.Path != "" {
			return auth.SafeReturnTo(u.RequestURI())
		}
	}
	return auth.SafeReturnTo(r.URL.RequestURI())
}
