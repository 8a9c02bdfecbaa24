package auth

import (
	"net/http"
	"net/url"
)

// Require loads the session (enforcing the idle and absolute timeouts) into the request
// context for next. Without one, a browser is sent with 303 to /login?return_to=<this page>;
// an htmx request (HX-Request: true) gets 401 with HX-Redirect to /login?return_to=<the page
// it came from>, because htmx would otherwise swap the login redirect into the page.
func (rp *RP) Require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := rp.loadRequest(w, r)
		if !ok {
			return
		}
		if s == nil {
			rp.toLogin(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(withSession(r.Context(), s)))
	})
}

// Optional loads the session into the request context when there is one and passes every
// request on to next.
func (rp *RP) Optional(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s, ok := rp.loadRequest(w, r)
		if !ok {
			return
		}
		if s != nil {
			r = r.WithContext(withSession(r.Context(), s))
		}
		next.ServeHTTP(w, r)
	})
}

// loadRequest returns the request's session or nil. When the store fails it has answered the
// request itself (OnError, 503) and returns false.
func (rp *RP) loadRequest(w http.ResponseWriter, r *http.Request) (*Session, bool) {
	gs, err := rp.cookies.Get(r, rp.cfg.cookieName())
	if err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return nil, false
	}
	if gs.IsNew {
		if _, err := r.Cookie(rp.cfg.cookieName()); err == nil {
			rp.cookies.clearCookie(w, rp.cfg.cookieName()) // a cookie for a session that is gone
		}
		return nil, true
	}
	s, _ := gs.Values[valuesKey].(*Session)
	return s, true
}

// toLogin answers a request that needs a session and has none.
func (rp *RP) toLogin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if r.Header.Get("HX-Request") == "true" {
		back := "/"
		if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil {
			back = SafeReturnTo(u.RequestURI())
		}
		w.Header().Set("HX-Redirect", loginURL(back))
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	back := "/"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		back = SafeReturnTo(r.URL.RequestURI())
	}
	http.Redirect(w, r, loginURL(back), http.StatusSeeOther)
}

// loginURL is the login route with return_to.
func loginURL(returnTo string) string {
	return "/login?" + url.Values{"return_to": {returnTo}}.Encode()
}
