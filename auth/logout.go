package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// revokeTimeout bounds the revocation call at logout: the user is not kept waiting for a slow
// provider; the token then dies of its own idle timeout (ID-porten: ~600 s).
const revokeTimeout = 3 * time.Second

// Logout ends the session (POST /logout; the web layer checks CSRF before): the session is
// deleted server-side, the cookie cleared, and the browser sent with 303 to ID-porten's
// end_session_endpoint with id_token_hint, client_id, post_logout_redirect_uri and state, so
// the SSO session ends too. Before that the refresh token is revoked (RFC 7009), since
// ID-porten's logout leaves tokens with API scopes valid. Without a session, or when the
// provider has no end-session endpoint, the browser goes to PostLogoutURL (or "/").
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
	rp.clearLoginCookies(w, r)
	target := rp.cfg.PostLogoutURL
	if target == "" {
		target = "/"
	}
	if s != nil {
		rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "logged out", sessionAttr(s))
		rp.revoke(ctx, s)
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

// FrontChannelLogout ends the sessions of one ID-porten session and revokes their refresh
// tokens (GET /auth/frontchannel-logout?iss=&sid=). ID-porten loads it in an iframe, without our cookie,
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
	gone, err := rp.store.DeleteBySID(ctx, sid)
	if err != nil {
		e := newError(KindSession, err)
		rp.logError(ctx, "front-channel logout failed", e)
		http.Error(w, http.StatusText(e.Status), e.Status)
		return
	}
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelInfo, "front-channel logout", slog.Int("sessions", len(gone)))
	// ID-porten ended the SSO session; its logout leaves our API-scoped refresh tokens valid.
	// Revoke them side by side within one revokeTimeout (the iframe is not kept waiting longer).
	var wg sync.WaitGroup
	for _, s := range gone {
		wg.Go(func() { rp.revoke(ctx, s) })
	}
	wg.Wait()
	w.WriteHeader(http.StatusOK)
}

// revoke asks the provider's revocation endpoint (RFC 7009) to revoke the session's refresh
// token, authenticating as at the token endpoint. ID-porten's logout ends the SSO session but
// leaves tokens with API scopes (digdir:dialogporten, altinn:*) valid; without the refresh
// token the access token dies within its two minutes. A failure is logged (status only, never
// the token) and does not stop the logout.
func (rp *RP) revoke(ctx context.Context, s *Session) {
	if rp.meta.Revocation == "" || s.RefreshToken == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), revokeTimeout)
	defer cancel()
	if err := rp.postRevocation(ctx, s.RefreshToken); err != nil {
		rp.cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "refresh token not revoked at logout",
			sessionAttr(s), slog.String("error", err.Error()))
		return
	}
	rp.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "refresh token revoked", sessionAttr(s))
}

// postRevocation sends one revocation request for token.
func (rp *RP) postRevocation(ctx context.Context, token string) error {
	form := url.Values{"token": {token}, "token_type_hint": {"refresh_token"}}
	switch rp.cfg.ClientAuth {
	case ClientSecretPost:
		form.Set("client_id", rp.cfg.ClientID)
		form.Set("client_secret", rp.cfg.ClientSecret)
	case PrivateKeyJWT:
		form.Set("client_id", rp.cfg.ClientID) // the client's transport adds the assertion
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rp.meta.Revocation, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("revocation request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if rp.cfg.ClientAuth == ClientSecretBasic {
		// RFC 6749 §2.3.1: both parts form-urlencoded before Basic encoding, as x/oauth2 does.
		req.SetBasicAuth(url.QueryEscape(rp.cfg.ClientID), url.QueryEscape(rp.cfg.ClientSecret))
	}
	resp, err := rp.client.Do(req)
	if err != nil {
		return fmt.Errorf("revocation endpoint: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("revocation endpoint answered %d", resp.StatusCode)
	}
	return nil
}
