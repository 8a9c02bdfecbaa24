package devidporten

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	jose "github.com/go-jose/go-jose/v4"
)

// endSession serves the end_session_endpoint (GET or POST): id_token_hint and/or client_id,
// post_logout_redirect_uri (must be registered for the client) and state. It ends the
// browser's SSO session, then shows a page that loads every front-channel logout URI of the
// session's clients in iframes and continues to the post-logout redirect.
func (p *Provider) endSession(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.Form
	locale := "nb"
	if ui := strings.Fields(f.Get("ui_locales")); len(ui) > 0 {
		locale = pickLocaleStrings(ui)
	}
	t, lang := textsFor(locale)
	redirect, clientID, hintSID, err := p.validateEndSession(f)
	if err != nil {
		p.log.InfoContext(r.Context(), "devidporten: end-session refused", "reason", err.Error())
		p.messagePage(w, http.StatusBadRequest, locale, t.ErrorTitle, t.BadLogout)
		return
	}
	var cookie string
	if c, err := r.Cookie(ssoCookie); err == nil {
		cookie = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: p.cookiePath(), MaxAge: -1, HttpOnly: true, Secure: p.secure, SameSite: http.SameSiteLaxMode})
	ev, ended := p.end(r.Context(), cookie, hintSID, clientID)
	p.log.InfoContext(r.Context(), "devidporten: end-session", "client_id", clientID, "session_ended", ended, "frontchannel_calls", len(ev.FrontChannelURLs))
	if len(ev.FrontChannelURLs) == 0 && redirect != "" {
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, redirect, http.StatusFound)
		return
	}
	data := logoutData{Lang: lang, CSS: p.endpoint("/assets/devidporten.css"), Redirect: redirect, T: t}
	if redirect != "" {
		// The refresh fires after the load event, which waits for the iframes.
		data.Refresh = "1; url=" + redirect
	}
	var origins []string
	for _, fc := range ev.frames {
		data.Frames = append(data.Frames, frame{URL: fc.url, Title: t.FrameTitle + " " + fc.client})
		if o := origin(fc.url); o != "" && !slices.Contains(origins, o) {
			origins = append(origins, o)
		}
	}
	policy := csp()
	if len(origins) > 0 {
		policy = csp("frame-src " + strings.Join(origins, " "))
	}
	p.render(w, http.StatusOK, p.pages.logout, data, policy)
}

// validateEndSession checks the end-session parameters the way ID-porten does and returns the
// post-logout redirect (with state), the client and the sid named by id_token_hint.
func (p *Provider) validateEndSession(f url.Values) (redirect, clientID, sid string, err error) {
	clientID = f.Get("client_id")
	if hint := f.Get("id_token_hint"); hint != "" {
		aud, hs, err := p.verifyIDTokenHint(hint)
		if err != nil {
			return "", "", "", err
		}
		if clientID != "" && clientID != aud {
			return "", "", "", errors.New("client_id does not match id_token_hint")
		}
		clientID, sid = aud, hs
	}
	var c *Client
	if clientID != "" {
		var ok bool
		if c, ok = p.clients[clientID]; !ok {
			return "", "", "", errors.New("unknown client")
		}
	}
	plr := f.Get("post_logout_redirect_uri")
	if plr == "" {
		return "", clientID, sid, nil
	}
	if c == nil {
		return "", "", "", errors.New("post_logout_redirect_uri needs id_token_hint or client_id")
	}
	if !slices.Contains(c.PostLogoutRedirectURIs, plr) {
		return "", "", "", errors.New("post_logout_redirect_uri is not registered for the client")
	}
	u, err := url.Parse(plr)
	if err != nil {
		return "", "", "", fmt.Errorf("post_logout_redirect_uri: %w", err)
	}
	if state := f.Get("state"); state != "" {
		q := u.Query()
		q.Set("state", state)
		u.RawQuery = q.Encode()
	}
	return u.String(), clientID, sid, nil
}

// verifyIDTokenHint checks that hint is an id_token this double signed (an expired one is
// fine, as in ID-porten) and returns its audience and sid.
func (p *Provider) verifyIDTokenHint(hint string) (aud, sid string, err error) {
	jws, err := jose.ParseSigned(hint, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return "", "", errors.New("id_token_hint is not a JWS")
	}
	payload, err := jws.Verify(&p.keys.priv.PublicKey)
	if err != nil {
		return "", "", errors.New("id_token_hint signature invalid")
	}
	var claims struct {
		Iss string          `json:"iss"`
		Aud json.RawMessage `json:"aud"`
		Sid string          `json:"sid"`
	}
	if err := json.Unmarshal(payload, &claims); err != nil {
		return "", "", errors.New("id_token_hint claims invalid")
	}
	if claims.Iss != p.issuer {
		return "", "", errors.New("id_token_hint from another issuer")
	}
	var one string
	var many []string
	switch {
	case json.Unmarshal(claims.Aud, &one) == nil:
	case json.Unmarshal(claims.Aud, &many) == nil && len(many) > 0:
		one = many[0]
	default:
		return "", "", errors.New("id_token_hint without aud")
	}
	return one, claims.Sid, nil
}

// frontChannel is one front-channel logout call.
type frontChannel struct{ url, client string }

// endedSession is what end returns: the event plus the frames to render.
type endedSession struct {
	LogoutEvent
	frames []frontChannel
}

// end ends the SSO session behind cookie (or with sid), revokes its identity-only refresh
// tokens, builds the front-channel calls and tells OnLogout.
func (p *Provider) end(ctx context.Context, cookie, sid, clientID string) (endedSession, bool) {
	ss, ok := p.store.endSession(cookie, sid)
	if !ok {
		return endedSession{}, false
	}
	p.store.revokeRefreshOfSession(ss.sid)
	ev := endedSession{LogoutEvent: LogoutEvent{SID: ss.sid, ClientID: clientID}}
	for _, id := range ss.clients {
		c := p.clients[id]
		if c == nil || c.FrontChannelLogoutURI == "" {
			continue
		}
		u, err := url.Parse(c.FrontChannelLogoutURI)
		if err != nil {
			continue
		}
		q := u.Query()
		q.Set("iss", p.issuer)
		q.Set("sid", ss.sid)
		u.RawQuery = q.Encode()
		ev.FrontChannelURLs = append(ev.FrontChannelURLs, u.String())
		ev.frames = append(ev.frames, frontChannel{url: u.String(), client: c.Name})
	}
	if p.onLogout != nil {
		p.onLogout(ctx, ev.LogoutEvent)
	}
	return ev, true
}

// Logout ends the SSO session with sid as if the user had logged out elsewhere (for tests and
// cmd/dev). It returns the front-channel logout URLs the browser would be sent to, calls
// OnLogout, and reports whether such a session existed.
func (p *Provider) Logout(ctx context.Context, sid string) (LogoutEvent, bool) {
	if sid == "" {
		return LogoutEvent{}, false
	}
	ev, ok := p.end(ctx, "", sid, "")
	return ev.LogoutEvent, ok
}

// pickLocaleStrings is the first of ui_locales ID-porten supports (nb, nn, en, se; "no" is
// nb), compared on the primary subtag; nb by default.
func pickLocaleStrings(values []string) string {
	for _, v := range values {
		switch base := strings.ToLower(strings.SplitN(v, "-", 2)[0]); base {
		case "nb", "nn", "en", "se":
			return base
		case "no":
			return "nb"
		}
	}
	return "nb"
}
