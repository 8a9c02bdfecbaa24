package devidporten

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// token serves POST /token: grant types authorization_code and refresh_token.
func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.tokenError(w, oidcErr(oidc.ErrInvalidRequest(), "cannot parse form"))
		return
	}
	clientID, method, err := p.authenticateClient(r)
	if err != nil {
		p.tokenError(w, err)
		return
	}
	var resp *tokenResponse
	switch gt := r.PostForm.Get("grant_type"); gt {
	case string(oidc.GrantTypeCode):
		resp, err = p.codeGrant(r, clientID, method)
	case string(oidc.GrantTypeRefreshToken):
		resp, err = p.refreshGrant(r, clientID, method)
	case "":
		err = oidcErr(oidc.ErrInvalidRequest(), "grant_type missing")
	default:
		err = oidcErr(oidc.ErrUnsupportedGrantType(), "grant_type not supported")
	}
	if err != nil {
		p.tokenError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	_ = json.NewEncoder(w).Encode(resp)
}

// codeGrant redeems an authorization code once, after checking PKCE and redirect_uri.
func (p *Provider) codeGrant(r *http.Request, clientID, method string) (*tokenResponse, error) {
	ctx := r.Context()
	code := r.PostForm.Get("code")
	if code == "" {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "code missing")
	}
	verifier := r.PostForm.Get("code_verifier")
	if n := len(verifier); n < 43 || n > 128 {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "code_verifier must be 43 to 128 characters (PKCE is required)")
	}
	found, err := op.AuthRequestByCode(ctx, p.storage, code)
	if err != nil {
		return nil, err
	}
	ar := found.(*authRequest)
	if ar.clientID != clientID {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "code was issued to another client")
	}
	if err := op.AuthorizeCodeChallenge(verifier, ar.challenge); err != nil {
		return nil, err
	}
	if r.PostForm.Get("redirect_uri") != ar.redirectURI {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "redirect_uri does not match the authorization request")
	}
	if !p.store.takeRequest(ar.id) {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "code already used")
	}
	p.log.InfoContext(ctx, "devidporten: code redeemed", "client_id", clientID, "acr", ar.acr)
	return p.issue(grant{
		clientID: ar.clientID,
		pid:      ar.pid,
		sub:      ar.sub,
		acr:      ar.acr,
		amr:      ar.amr,
		sid:      ar.sid,
		locale:   ar.locale,
		scopes:   ar.scopes,
		authTime: ar.authTime,
	}, ar.nonce, method)
}

// refreshGrant rotates a refresh token: the old one is spent, a new one is issued.
func (p *Provider) refreshGrant(r *http.Request, clientID, method string) (*tokenResponse, error) {
	ctx := r.Context()
	token := r.PostForm.Get("refresh_token")
	if token == "" {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "refresh_token missing")
	}
	found, err := op.RefreshTokenRequestByRefreshToken(ctx, p.storage, token)
	if err != nil {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "refresh_token invalid, used or expired")
	}
	g := found.(*grant)
	if g.clientID != clientID {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "refresh_token was issued to another client")
	}
	if err := op.ValidateRefreshTokenScopes(strings.Fields(r.PostForm.Get("scope")), g); err != nil {
		return nil, err
	}
	if !p.store.useRefresh(token, p.now()) {
		return nil, oidcErr(oidc.ErrInvalidGrant(), "refresh_token invalid, used or expired")
	}
	p.log.InfoContext(ctx, "devidporten: refresh token rotated", "client_id", clientID)
	return p.issue(*g, "", method)
}

// revoke serves POST /revoke (RFC 7009) for refresh tokens; unknown tokens answer 200.
func (p *Provider) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		p.tokenError(w, oidcErr(oidc.ErrInvalidRequest(), "cannot parse form"))
		return
	}
	clientID, _, err := p.authenticateClient(r)
	if err != nil {
		p.tokenError(w, err)
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		p.tokenError(w, oidcErr(oidc.ErrInvalidRequest(), "token missing"))
		return
	}
	if g, ok := p.store.refreshGrant(token, p.now()); ok && g.clientID == clientID {
		p.store.useRefresh(token, p.now())
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// authenticateClient authenticates the caller with exactly the method the client registered:
// private_key_jwt (verified by zitadel: iss = sub = client_id, aud = issuer, signature by a
// registered key; client_id must also be a form parameter, as ID-porten requires),
// client_secret_basic, client_secret_post or none.
func (p *Provider) authenticateClient(r *http.Request) (clientID, method string, err error) {
	form := r.PostForm
	basicID, basicSecret, hasBasic := r.BasicAuth()
	assertion := form.Get("client_assertion")
	switch {
	case assertion != "":
		method = AuthPrivateKeyJWT
		if hasBasic || form.Get("client_secret") != "" {
			return "", "", oidcErr(oidc.ErrInvalidRequest(), "client authentication must not use more than one method")
		}
		if form.Get("client_assertion_type") != oidc.ClientAssertionTypeJWTAssertion {
			return "", "", oidcErr(oidc.ErrInvalidClient(), "unsupported client_assertion_type")
		}
		clientID, err = op.ClientJWTAuth(r.Context(), oidc.ClientAssertionParams{
			ClientAssertion:     assertion,
			ClientAssertionType: oidc.ClientAssertionTypeJWTAssertion,
		}, p.op)
		if err != nil {
			return "", "", oidc.ErrInvalidClient().WithDescription("client assertion invalid").WithParent(err)
		}
		if form.Get("client_id") != clientID {
			return "", "", oidcErr(oidc.ErrInvalidRequest(), "client_id must be sent and match the client assertion")
		}
	case hasBasic:
		method = AuthSecretBasic
		if form.Get("client_secret") != "" {
			return "", "", oidcErr(oidc.ErrInvalidRequest(), "client authentication must not use more than one method")
		}
		// RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding.
		id, errID := url.QueryUnescape(basicID)
		secret, errSecret := url.QueryUnescape(basicSecret)
		if errID != nil || errSecret != nil {
			return "", "", oidcErr(oidc.ErrInvalidClient(), "invalid basic auth header")
		}
		clientID = id
		if err := p.storage.AuthorizeClientIDSecret(r.Context(), id, secret); err != nil {
			return "", "", oidcErr(oidc.ErrInvalidClient(), "invalid client_id / client_secret")
		}
	case form.Get("client_secret") != "":
		method = AuthSecretPost
		clientID = form.Get("client_id")
		if err := p.storage.AuthorizeClientIDSecret(r.Context(), clientID, form.Get("client_secret")); err != nil {
			return "", "", oidcErr(oidc.ErrInvalidClient(), "invalid client_id / client_secret")
		}
	default:
		method = AuthNone
		clientID = form.Get("client_id")
	}
	c, ok := p.clients[clientID]
	if !ok {
		return "", "", oidcErr(oidc.ErrInvalidClient(), "unknown client")
	}
	if c.AuthMethod != method {
		return "", "", oidcErr(oidc.ErrInvalidClient(), "client must authenticate with "+c.AuthMethod)
	}
	return clientID, method, nil
}

// tokenError writes an OAuth error response and logs it (never a token or pid: descriptions
// are the double's own fixed texts).
func (p *Provider) tokenError(w http.ResponseWriter, err error) {
	e := oidc.DefaultToServerError(err, "server error")
	status := http.StatusBadRequest
	switch e.ErrorType {
	case oidc.InvalidClient:
		status = http.StatusUnauthorized
	case oidc.ServerError:
		status = http.StatusInternalServerError
		p.log.Error("devidporten: token endpoint failed", "error", err)
		e.Description = "internal error"
	}
	if status != http.StatusInternalServerError {
		// The parent error is not logged: it may quote a client assertion.
		p.log.Info("devidporten: token request refused", "error", string(e.ErrorType), "description", e.Description)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="devidporten"`)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": string(e.ErrorType), "error_description": e.Description})
}
