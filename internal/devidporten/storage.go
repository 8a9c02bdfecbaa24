package devidporten

import (
	"context"
	"crypto/subtle"
	"errors"
	"regexp"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// storage adapts the Provider to zitadel's op.Storage. zitadel parses and validates
// authorization requests, authenticates clients (including private_key_jwt) and checks PKCE;
// the double mints tokens itself, so the token-creating methods are never reached.
type storage struct{ p *Provider }

var _ op.Storage = (*storage)(nil)

var errUnused = errors.New("devidporten: not supported by the double")

// errNotFound is returned for unknown clients, requests and tokens.
var errNotFound = errors.New("not found")

// pkceChallenge is a base64url SHA-256 digest without padding, as ID-porten demands.
var pkceChallenge = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// CreateAuthRequest stores a validated authorization request after ID-porten's own checks:
// PKCE with S256 is required, and acr_values must name a known level.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if req.CodeChallenge == "" {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "code_challenge is required (PKCE)")
	}
	if req.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "code_challenge_method must be S256")
	}
	if !pkceChallenge.MatchString(req.CodeChallenge) {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "code_challenge must be base64url without padding (43 characters)")
	}
	acr, ok := requestedACR(req.ACRValues)
	if !ok {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "unsupported acr_values")
	}
	if req.ResponseMode != "" && req.ResponseMode != oidc.ResponseModeQuery && req.ResponseMode != oidc.ResponseModeFormPost {
		return nil, oidcErr(oidc.ErrInvalidRequest(), "unsupported response_mode")
	}
	now := s.p.now()
	r := authRequest{
		id:           randomID(24),
		created:      now,
		clientID:     req.ClientID,
		redirectURI:  req.RedirectURI,
		state:        req.State,
		nonce:        req.Nonce,
		scopes:       slices.Clone(req.Scopes),
		responseMode: req.ResponseMode,
		challenge:    &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
		acrRequested: acr,
		locale:       pickLocale(req.UILocales),
		loginHint:    req.LoginHint,
		prompt:       slices.Clone(req.Prompt),
	}
	s.p.store.addRequest(r, now)
	return &r, nil
}

// requestedACR maps acr_values to the level the user must log in at. Low and eIDAS levels are
// met by the matching idporten level, as they are for a Norwegian user of ID-porten.
func requestedACR(values []string) (string, bool) {
	if len(values) == 0 {
		return ACRSubstantial, true
	}
	for _, v := range values {
		switch v {
		case "idporten-loa-low", "eidas-loa-low", ACRSubstantial, "eidas-loa-substantial":
			return ACRSubstantial, true
		case ACRHigh, "eidas-loa-high":
			return ACRHigh, true
		}
	}
	return "", false
}

// acrRank orders the levels: substantial < high.
func acrRank(acr string) int {
	switch acr {
	case ACRSubstantial:
		return 1
	case ACRHigh:
		return 2
	}
	return 0
}

// AuthRequestByID implements op.AuthStorage.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	r, ok := s.p.store.request(id)
	if !ok {
		return nil, errNotFound
	}
	return r, nil
}

// AuthRequestByCode implements op.AuthStorage; codes live 60 s.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	r, ok := s.p.store.requestByCode(code, s.p.now())
	if !ok {
		return nil, errNotFound
	}
	return r, nil
}

// SaveAuthCode implements op.AuthStorage.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	if !s.p.store.saveCode(id, code, s.p.now()) {
		return errNotFound
	}
	return nil
}

// DeleteAuthRequest implements op.AuthStorage.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.p.store.deleteRequest(id)
	return nil
}

// CreateAccessToken implements op.AuthStorage; unused (the double mints tokens itself).
func (s *storage) CreateAccessToken(context.Context, op.TokenRequest) (string, time.Time, error) {
	return "", time.Time{}, errUnused
}

// CreateAccessAndRefreshTokens implements op.AuthStorage; unused.
func (s *storage) CreateAccessAndRefreshTokens(context.Context, op.TokenRequest, string) (string, string, time.Time, error) {
	return "", "", time.Time{}, errUnused
}

// TokenRequestByRefreshToken returns the grant of a live refresh token (idle and
// authorization lifetimes checked against the Provider's clock).
func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	g, ok := s.p.store.refreshGrant(token, s.p.now())
	if !ok {
		return nil, op.ErrInvalidRefreshToken
	}
	return g, nil
}

// TerminateSession implements op.AuthStorage; end-session is handled by the double.
func (s *storage) TerminateSession(context.Context, string, string) error { return nil }

// RevokeToken implements op.AuthStorage; /revoke is handled by the double.
func (s *storage) RevokeToken(context.Context, string, string, string) *oidc.Error {
	return oidc.ErrInvalidRequest().WithDescription("revocation is served by the double")
}

// GetRefreshTokenInfo implements op.AuthStorage.
func (s *storage) GetRefreshTokenInfo(_ context.Context, _ string, token string) (string, string, error) {
	g, ok := s.p.store.refreshGrant(token, s.p.now())
	if !ok {
		return "", "", op.ErrInvalidRefreshToken
	}
	return g.sub, token, nil
}

// SigningKey implements op.AuthStorage.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.p.keys, nil }

// SignatureAlgorithms implements op.AuthStorage.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet implements op.AuthStorage (used to verify id_token_hint).
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{pubKey{s.p.keys}}, nil
}

// GetClientByClientID implements op.OPStorage.
func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	c, ok := s.p.clients[id]
	if !ok {
		return nil, errNotFound
	}
	return &opClient{c: c, loginURL: s.p.endpoint("/login")}, nil
}

// AuthorizeClientIDSecret implements op.OPStorage with a constant-time comparison.
func (s *storage) AuthorizeClientIDSecret(_ context.Context, id, secret string) error {
	c, ok := s.p.clients[id]
	if !ok || c.Secret == "" || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return errors.New("invalid client credentials")
	}
	return nil
}

// SetUserinfoFromScopes implements op.OPStorage; unused.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromToken implements op.OPStorage; unused.
func (s *storage) SetUserinfoFromToken(context.Context, *oidc.UserInfo, string, string, string) error {
	return errUnused
}

// SetIntrospectionFromToken implements op.OPStorage; unused.
func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errUnused
}

// GetPrivateClaimsFromScopes implements op.OPStorage; unused.
func (s *storage) GetPrivateClaimsFromScopes(context.Context, string, string, []string) (map[string]any, error) {
	return nil, nil
}

// GetKeyByIDAndClientID returns a client's registered public key for private_key_jwt. With a
// single registered key an assertion without kid is accepted, as ID-porten does with x5c.
func (s *storage) GetKeyByIDAndClientID(_ context.Context, keyID, clientID string) (*jose.JSONWebKey, error) {
	c, ok := s.p.clients[clientID]
	if !ok {
		return nil, errNotFound
	}
	for _, k := range c.PublicKeys {
		if k.KeyID == keyID || (keyID == "" && len(c.PublicKeys) == 1) {
			return &jose.JSONWebKey{Key: k.Key, KeyID: k.KeyID, Use: "sig"}, nil
		}
	}
	return nil, errNotFound
}

// ValidateJWTProfileScopes implements op.OPStorage; the JWT bearer grant is not offered.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errUnused
}

// Health implements op.Storage.
func (s *storage) Health(context.Context) error { return nil }

// opClient adapts a Client to zitadel's op.Client.
type opClient struct {
	c        *Client
	loginURL string
}

func (o *opClient) GetID() string                       { return o.c.ID }
func (o *opClient) RedirectURIs() []string              { return o.c.RedirectURIs }
func (o *opClient) PostLogoutRedirectURIs() []string    { return o.c.PostLogoutRedirectURIs }
func (o *opClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (o *opClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethod(o.c.AuthMethod) }
func (o *opClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (o *opClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (o *opClient) LoginURL(id string) string            { return o.loginURL + "?id=" + id }
func (o *opClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (o *opClient) IDTokenLifetime() time.Duration       { return 0 }
func (o *opClient) DevMode() bool                        { return false }
func (o *opClient) ClockSkew() time.Duration             { return 0 }
func (o *opClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (o *opClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (o *opClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed reports whether the client may get scope: any scope unless Client.Scopes is set.
func (o *opClient) IsScopeAllowed(scope string) bool {
	return len(o.c.Scopes) == 0 || slices.Contains(o.c.Scopes, scope)
}

// pickLocale is pickLocaleStrings for zitadel's parsed ui_locales.
func pickLocale(tags []language.Tag) string {
	values := make([]string, len(tags))
	for i, t := range tags {
		values[i] = t.String()
	}
	return pickLocaleStrings(values)
}
