package testop

import (
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// oauthError answers with an RFC 6749 error; op.mu must be held.
func (op *OP) oauthError(w http.ResponseWriter, status int, code string, tr *TokenRequest) {
	op.oauthErrorDescribed(w, status, code, "", tr)
}

// oauthErrorDescribed answers with an RFC 6749 error and error_description; op.mu must be held.
func (op *OP) oauthErrorDescribed(w http.ResponseWriter, status int, code, description string, tr *TokenRequest) {
	tr.Status = status
	op.tokenReqs = append(op.tokenReqs, *tr)
	body := map[string]string{"error": code}
	if description != "" {
		body["error_description"] = description
	}
	writeJSON(w, status, body)
}

func (op *OP) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	form := r.PostForm
	if form.Get("grant_type") == "refresh_token" {
		op.mu.Lock()
		delay := op.mis.RefreshDelay
		op.mu.Unlock()
		time.Sleep(delay) // a slow refresh, so that concurrent callers really overlap
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	tr := &TokenRequest{Form: form}
	if user, _, ok := r.BasicAuth(); ok {
		tr.BasicUser, _ = url.QueryUnescape(user)
	}
	if !op.clientAuthenticated(r, form) {
		op.oauthError(w, http.StatusUnauthorized, "invalid_client", tr)
		return
	}
	switch form.Get("grant_type") {
	case "authorization_code":
		op.codeGrant(w, form, tr)
	case "refresh_token":
		op.refreshGrant(w, form, tr)
	default:
		op.oauthError(w, http.StatusBadRequest, "unsupported_grant_type", tr)
	}
}

// revoke is RFC 7009 token revocation: the client authenticates as at the token endpoint; a
// known refresh token dies; an unknown token is not an error (200 either way).
func (op *OP) revoke(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	form := r.PostForm
	op.mu.Lock()
	defer op.mu.Unlock()
	tr := TokenRequest{Form: form}
	if user, _, ok := r.BasicAuth(); ok {
		tr.BasicUser, _ = url.QueryUnescape(user)
	}
	switch {
	case op.mis.RevokeDown:
		tr.Status = http.StatusServiceUnavailable
	case !op.clientAuthenticated(r, form):
		tr.Status = http.StatusUnauthorized
	case form.Get("token") == "":
		tr.Status = http.StatusBadRequest
	default:
		tr.Status = http.StatusOK
		delete(op.refresh, form.Get("token"))
	}
	op.revokes = append(op.revokes, tr)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(tr.Status)
}

// clientAuthenticated checks the client by the one method it is registered with.
func (op *OP) clientAuthenticated(r *http.Request, form url.Values) bool {
	user, pass, basic := r.BasicAuth()
	switch op.cfg.ClientAuth {
	case "client_secret_basic":
		user, _ = url.QueryUnescape(user)
		pass, _ = url.QueryUnescape(pass)
		return basic && form.Get("client_secret") == "" && user == op.cfg.ClientID &&
			subtle.ConstantTimeCompare([]byte(pass), []byte(op.cfg.ClientSecret)) == 1
	case "client_secret_post":
		return !basic && form.Get("client_id") == op.cfg.ClientID &&
			subtle.ConstantTimeCompare([]byte(form.Get("client_secret")), []byte(op.cfg.ClientSecret)) == 1
	case "private_key_jwt":
		return !basic && form.Get("client_secret") == "" && form.Get("client_id") == op.cfg.ClientID &&
			form.Get("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" &&
			op.assertionValid(form.Get("client_assertion"))
	}
	return false
}

// assertionValid checks a private_key_jwt client assertion; op.mu must be held.
func (op *OP) assertionValid(raw string) bool {
	tok, err := jwt.ParseSigned(raw, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(tok.Headers) != 1 || tok.Headers[0].KeyID != op.cfg.ClientKeyID {
		return false
	}
	var c jwt.Claims
	if err := tok.Claims(op.cfg.ClientKey, &c); err != nil {
		return false
	}
	if c.Issuer != op.cfg.ClientID || c.Subject != op.cfg.ClientID || c.ID == "" || op.jtis[c.ID] {
		return false
	}
	if err := c.ValidateWithLeeway(jwt.Expected{AnyAudience: jwt.Audience{op.Issuer}, Time: op.cfg.Now()}, 0); err != nil || c.Expiry == nil {
		return false
	}
	op.jtis[c.ID] = true
	return true
}

// codeGrant redeems a code once, with the PKCE verifier that matches its challenge.
func (op *OP) codeGrant(w http.ResponseWriter, form url.Values, tr *TokenRequest) {
	if e := op.mis.CodeError; e != nil {
		op.oauthErrorDescribed(w, e.Status, e.Code, strings.ReplaceAll(e.Description, "{code}", form.Get("code")), tr)
		return
	}
	g, ok := op.codes[form.Get("code")]
	if !ok || g.used {
		op.oauthError(w, http.StatusBadRequest, "invalid_grant", tr)
		return
	}
	g.used = true // used once, even when the rest of this request fails
	v := form.Get("code_verifier")
	if form.Get("redirect_uri") != g.redirect || len(v) < 43 || len(v) > 128 || S256(v) != g.challenge {
		op.oauthError(w, http.StatusBadRequest, "invalid_grant", tr)
		return
	}
	resp := op.tokens()
	if !op.mis.OmitIDToken {
		resp["id_token"] = op.idToken(g)
	}
	tr.Status = http.StatusOK
	op.tokenReqs = append(op.tokenReqs, *tr)
	writeJSON(w, http.StatusOK, resp)
}

// refreshGrant exchanges a refresh token for new tokens; the old refresh token dies (rotation).
func (op *OP) refreshGrant(w http.ResponseWriter, form url.Values, tr *TokenRequest) {
	rt := form.Get("refresh_token")
	if op.mis.RefreshDown {
		op.oauthError(w, http.StatusServiceUnavailable, "temporarily_unavailable", tr)
		return
	}
	if op.mis.RefreshFails || !op.refresh[rt] {
		op.oauthError(w, http.StatusBadRequest, "invalid_grant", tr)
		return
	}
	delete(op.refresh, rt)
	op.refreshes++
	tr.Status = http.StatusOK
	op.tokenReqs = append(op.tokenReqs, *tr)
	writeJSON(w, http.StatusOK, op.tokens())
}

// tokens issues an access and a refresh token; op.mu must be held.
func (op *OP) tokens() map[string]any {
	ttl := op.mis.AccessTTL
	if ttl == 0 {
		ttl = 120
	}
	rt := op.newSecret("rt-")
	op.refresh[rt] = true
	return map[string]any{
		"access_token":  op.newSecret("at-"),
		"token_type":    "Bearer",
		"expires_in":    ttl,
		"refresh_token": rt,
		"scope":         "openid digdir:dialogporten altinn:correspondence.read",
	}
}

// idToken signs the ID token of g, misbehaving as configured; op.mu must be held.
func (op *OP) idToken(g *grant) string {
	now := op.cfg.Now()
	claims := map[string]any{
		"iss":    op.Issuer,
		"aud":    op.cfg.ClientID,
		"sub":    "pairwise-" + g.user.SID,
		"iat":    now.Unix(),
		"exp":    now.Add(120 * time.Second).Unix(),
		"nonce":  g.nonce,
		"acr":    g.acr,
		"amr":    []string{"TestID"},
		"sid":    g.user.SID,
		"locale": "nb",
		"jti":    op.newSecret("jti-"),
	}
	if g.user.PID != "" {
		claims["pid"] = g.user.PID
	}
	m := op.mis
	if m.IDTokenIssuer != "" {
		claims["iss"] = m.IDTokenIssuer
	}
	if m.IDTokenAudience != "" {
		claims["aud"] = m.IDTokenAudience
	}
	if m.Expired {
		claims["iat"] = now.Add(-10 * time.Minute).Unix()
		claims["exp"] = now.Add(-time.Minute).Unix()
	}
	if m.Nonce != "" {
		claims["nonce"] = m.Nonce
	}
	if m.ACR != "" {
		claims["acr"] = m.ACR
	}
	for k, v := range m.IDTokenClaims {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		panic(err)
	}
	var raw string
	switch {
	case m.AlgNone:
		enc := base64.RawURLEncoding.EncodeToString
		raw = enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc(payload) + "."
	case m.UnknownKey:
		raw = sign(op.otherKey, "unknown-key", payload)
	default:
		raw = sign(op.key, "op-key", payload)
	}
	op.issued = append(op.issued, raw)
	return raw
}

func sign(key any, kid string, payload []byte) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	if err != nil {
		panic(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		panic(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		panic(err)
	}
	return s
}
