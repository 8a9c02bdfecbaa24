// Package testop is a small OpenID Provider for auth's tests: discovery, JWKS, authorize,
// token (authorization code with PKCE, refresh with rotation) and end-session, with strict
// checks of what the relying party sends and misbehaviour on demand, so that every negative
// case of the relying party can be produced. It logs in a configured user without a form.
package testop

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// Misbehave makes the provider break the protocol in one way; the zero value behaves.
type Misbehave struct {
	IDTokenIssuer   string        // iss of the ID token instead of the issuer
	IDTokenAudience string        // aud of the ID token instead of the client id
	Expired         bool          // the ID token expired a minute ago
	AlgNone         bool          // the ID token is unsigned (alg "none")
	UnknownKey      bool          // the ID token is signed by a key not in the JWKS
	Nonce           string        // nonce of the ID token instead of the one asked for
	ACR             string        // acr of the ID token instead of the one asked for
	OmitIDToken     bool          // no id_token in the token response
	IssParam        string        // iss in the authorization response instead of the issuer
	OmitIssParam    bool          // no iss in the authorization response
	RefreshFails    bool          // every refresh is refused with invalid_grant
	RefreshDelay    time.Duration // each refresh takes this long (to make concurrency real)
	RefreshDown     bool          // the token endpoint answers refreshes with 503 (unavailable)
	AccessTTL       int           // expires_in of access tokens; default 120
	NoRevocation    bool          // discovery names no revocation_endpoint
	RevokeDown      bool          // the revocation endpoint answers 503
	// IDTokenClaims replace claims of the ID token (a nil value removes one): an acr given as
	// an array, a pid given as a number.
	IDTokenClaims map[string]any
	// CodeError, when set, is the token endpoint's answer to the authorization code grant.
	CodeError *OAuthError
}

// OAuthError is an RFC 6749 error answer. "{code}" in Description is replaced by the code the
// client sent, as a provider that echoes it would.
type OAuthError struct {
	Status      int
	Code        string
	Description string
}

// User is who the provider logs in.
type User struct {
	PID string // "" omits the claim
	SID string // ID-porten session id
}

// TokenRequest is one request to the token endpoint as received.
type TokenRequest struct {
	Form      url.Values
	BasicUser string // client id from HTTP Basic, "" when none
	Status    int    // what the provider answered
}

// Config says which client the provider knows.
type Config struct {
	ClientID     string
	ClientSecret string
	ClientAuth   string         // client_secret_basic | client_secret_post | private_key_jwt
	ClientKey    *rsa.PublicKey // for private_key_jwt
	ClientKeyID  string
	RedirectURL  string
	Now          func() time.Time
	// Discovery replaces fields of the discovery document (a nil value removes one).
	Discovery map[string]any
}

// OP is the provider. Its URL is the issuer.
type OP struct {
	*httptest.Server
	Issuer string

	cfg      Config
	key      *rsa.PrivateKey
	otherKey *rsa.PrivateKey

	mu         sync.Mutex
	mis        Misbehave
	user       User
	codes      map[string]*grant
	refresh    map[string]bool
	jtis       map[string]bool
	authorize  []url.Values
	tokenReqs  []TokenRequest
	endSession []url.Values
	revokes    []TokenRequest
	refreshes  int
	issued     []string
}

type grant struct {
	challenge, nonce, acr, redirect string
	user                            User
	used                            bool
}

// New starts a provider for the client in cfg. Close it when done.
func New(cfg Config) *OP {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	op := &OP{
		cfg:      cfg,
		key:      mustKey(),
		otherKey: mustKey(),
		user:     User{PID: "24079409630", SID: "sid-1"},
		codes:    map[string]*grant{},
		refresh:  map[string]bool{},
		jtis:     map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /authorize", op.authorizeEndpoint)
	mux.HandleFunc("POST /token", op.token)
	mux.HandleFunc("GET /logout", op.logout)
	mux.HandleFunc("POST /revoke", op.revoke)
	op.Server = httptest.NewServer(mux)
	op.Issuer = op.URL
	return op
}

func mustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// Misbehave sets how the provider misbehaves from now on.
func (op *OP) Misbehave(m Misbehave) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.mis = m
}

// SetUser sets who the next logins log in.
func (op *OP) SetUser(u User) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.user = u
}

// AuthorizeRequests returns the query of every authorization request so far.
func (op *OP) AuthorizeRequests() []url.Values {
	op.mu.Lock()
	defer op.mu.Unlock()
	return slices.Clone(op.authorize)
}

// TokenRequests returns every token request so far.
func (op *OP) TokenRequests() []TokenRequest {
	op.mu.Lock()
	defer op.mu.Unlock()
	return slices.Clone(op.tokenReqs)
}

// EndSessionRequests returns the query of every end-session request so far.
func (op *OP) EndSessionRequests() []url.Values {
	op.mu.Lock()
	defer op.mu.Unlock()
	return slices.Clone(op.endSession)
}

// RevokeRequests returns every request to the revocation endpoint so far.
func (op *OP) RevokeRequests() []TokenRequest {
	op.mu.Lock()
	defer op.mu.Unlock()
	return slices.Clone(op.revokes)
}

// RefreshTokenValid says whether rt would still be accepted by a refresh grant.
func (op *OP) RefreshTokenValid(rt string) bool {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.refresh[rt]
}

// Refreshes says how many refresh grants the provider has answered.
func (op *OP) Refreshes() int {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.refreshes
}

// Issued returns every code, access token, refresh token and ID token issued so far.
func (op *OP) Issued() []string {
	op.mu.Lock()
	defer op.mu.Unlock()
	return slices.Clone(op.issued)
}

func (op *OP) discovery(w http.ResponseWriter, _ *http.Request) {
	op.mu.Lock()
	noRevocation := op.mis.NoRevocation
	op.mu.Unlock()
	doc := map[string]any{
		"issuer":                                         op.Issuer,
		"authorization_endpoint":                         op.Issuer + "/authorize",
		"token_endpoint":                                 op.Issuer + "/token",
		"jwks_uri":                                       op.Issuer + "/jwks",
		"end_session_endpoint":                           op.Issuer + "/logout",
		"response_types_supported":                       []string{"code"},
		"subject_types_supported":                        []string{"pairwise"},
		"id_token_signing_alg_values_supported":          []string{"RS256"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "private_key_jwt"},
		"acr_values_supported":                           []string{"idporten-loa-substantial", "idporten-loa-high"},
		"authorization_response_iss_parameter_supported": true,
		"frontchannel_logout_supported":                  true,
		"frontchannel_logout_session_supported":          true,
	}
	if !noRevocation {
		doc["revocation_endpoint"] = op.Issuer + "/revoke"
	}
	for k, v := range op.cfg.Discovery {
		if v == nil {
			delete(doc, k)
		} else {
			doc[k] = v
		}
	}
	writeJSON(w, http.StatusOK, doc)
}

func (op *OP) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &op.key.PublicKey, KeyID: "op-key", Algorithm: "RS256", Use: "sig",
	}}})
}

// authorizeEndpoint checks the request strictly and "logs in" the configured user at once.
func (op *OP) authorizeEndpoint(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op.mu.Lock()
	defer op.mu.Unlock()
	op.authorize = append(op.authorize, q)
	switch {
	case q.Get("response_type") != "code",
		q.Get("client_id") != op.cfg.ClientID,
		q.Get("redirect_uri") != op.cfg.RedirectURL,
		q.Get("code_challenge_method") != "S256",
		len(q.Get("code_challenge")) != 43,
		q.Get("state") == "", q.Get("nonce") == "":
		http.Error(w, "invalid authorization request", http.StatusBadRequest)
		return
	}
	code := op.newSecret("code-")
	op.codes[code] = &grant{
		challenge: q.Get("code_challenge"),
		nonce:     q.Get("nonce"),
		acr:       q.Get("acr_values"),
		redirect:  q.Get("redirect_uri"),
		user:      op.user,
	}
	back := url.Values{"code": {code}, "state": {q.Get("state")}}
	switch {
	case op.mis.OmitIssParam:
	case op.mis.IssParam != "":
		back.Set("iss", op.mis.IssParam)
	default:
		back.Set("iss", op.Issuer)
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+back.Encode(), http.StatusFound)
}

func (op *OP) logout(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op.mu.Lock()
	op.endSession = append(op.endSession, q)
	op.mu.Unlock()
	target := q.Get("post_logout_redirect_uri")
	if target == "" {
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, target+"?"+url.Values{"state": {q.Get("state")}}.Encode(), http.StatusFound)
}

// newSecret returns a fresh random value and remembers it as issued; op.mu must be held.
func (op *OP) newSecret(prefix string) string {
	v := prefix + rand.Text() + rand.Text()
	op.issued = append(op.issued, v)
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// S256 is the PKCE S256 challenge of verifier.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
