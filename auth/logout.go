package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
)

// Logout ends the session (POST /logout; the web layer checks CSRF before): the session is
// deleted server-side, the cookie cleared, and the browser sent with 303 to ID-porten's
// end_session_endpoint with id_token_hint, client_id, post_logout_redirect_uri and state, so
// the SSO session ends too. Without a session, or when the provider has no end-session
// endpoint, the browser goes to PostLogoutURL (or "/").
func (rp *RP) Logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	gs, err := rp.cookies.Get(r, rp.cfg.cookieName())
	if err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	s, _ := gs.Values[valuesKey].(*Session)
	gs.Options.MaxAge = -1
	if err := gs.Save(r, w); err != nil {
		rp.fail(w, r, newError(KindSession, err))
		return
	}
	rp.cookies.clearCookie(w, rp.cfg.loginCookieName())
	target := rp.cfg.PostLogoutURL
	if target == "" {
		target = "/"
	}
	if s != nil {
		rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "logged out", sessionAttr(s))
		if rp.meta.EndSession != "" {
			target = rp.endSessionURL(s)
		}
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// endSessionURL is the RP-initiated logout request for s.
func (rp *RP) endSessionURL(s *Session) string {
	u, err := url.Parse(rp.meta.EndSession)
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Set("client_id", rp.cfg.ClientID)
	if !rp.cfg.DisableIDTokenHint && s.IDToken != "" {
		q.Set("id_token_hint", s.IDToken)
	}
	if rp.cfg.PostLogoutURL != "" {
		q.Set("post_logout_redirect_uri", rp.cfg.PostLogoutURL)
	}
	q.Set("state", newID())
	u.RawQuery = q.Encode()
	return u.String()
}

// FrontChannelLogout ends the sessions of one ID-porten session (GET
// /auth/frontchannel-logout?iss=&sid=). ID-porten loads it in an iframe, without our cookie,
// when the user logs out here or in another service of the same SSO session. It deletes the
// sessions whose sid matches, and only those, and answers 200 with Cache-Control: no-store.
// The web layer must serve this route with a CSP frame-ancestors that allows the ID-porten
// login host.
func (rp *RP) FrontChannelLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	w.Header().Set("Cache-Control", "no-store")
	q := r.URL.Query()
	iss, sid := q.Get("iss"), q.Get("sid")
	if sid == "" || !sameIssuer(iss, rp.cfg.Issuer) {
		e := newError(KindRequest, errors.New("front-channel logout without sid or from another issuer"))
		rp.logError(ctx, "front-channel logout refused", e)
		http.Error(w, http.StatusText(e.Status), e.Status)
		return
	}
	n, err := rp.store.DeleteBySID(ctx, sid)
	if err != nil {
		e := newError(KindSession, err)
		rp.logError(ctx, "front-channel logout failed", e)
		http.Error(w, http.StatusText(e.Status), e.Status)
		return
	}
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "front-channel logout", slog.Int("sessions", n))
	w.WriteHeader(http.StatusOK)
}
