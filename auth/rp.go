package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/gorilla/sessions"
	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// RP is the OpenID Connect relying party: its methods are the login, callback and logout
// handlers and the middleware that loads the session. Build it with New.
type RP struct {
	cfg      Config
	store    Store
	cookies  *cookieStore
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
	client   *http.Client // cfg.HTTPClient, with the client assertion for private_key_jwt
	meta     providerMeta
	logins   *loginSealer       // seals pending logins into the login cookie
	flight   singleflight.Group // one refresh per session id in this process

	absurdExpiry sync.Once // the warning about a provider's expires_in beyond a day
}

// providerMeta is what the relying party reads from discovery beyond go-oidc's Provider.
type providerMeta struct {
	EndSession        string   `json:"end_session_endpoint"`
	Revocation        string   `json:"revocation_endpoint"`
	IssParamSupported bool     `json:"authorization_response_iss_parameter_supported"`
	CodeChallenge     []string `json:"code_challenge_methods_supported"`
	TokenAuthMethods  []string `json:"token_endpoint_auth_methods_supported"`
}

// New validates cfg, reads the provider's discovery document and returns the relying party.
// Sessions and short locks are kept in store; a Store that is a LoginKeyer also gives the keys
// of the login cookie (see LoginKeyer).
func New(ctx context.Context, cfg Config, store Store) (*RP, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if store == nil {
		return nil, fmt.Errorf("auth: a Store is required")
	}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, cfg.HTTPClient), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("auth: discovery at %s: %w", cfg.Issuer, err)
	}
	var meta providerMeta
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("auth: discovery at %s: %w", cfg.Issuer, err)
	}
	if err := meta.check(ctx, cfg); err != nil {
		return nil, fmt.Errorf("auth: discovery at %s: %w", cfg.Issuer, err)
	}
	var loginKeys [][]byte
	if lk, ok := store.(LoginKeyer); ok {
		if loginKeys = lk.LoginCookieKeys(); len(loginKeys) == 0 {
			return nil, errors.New("auth: the Store gave no login cookie key")
		}
	}
	logins, err := newLoginSealer(loginKeys)
	if err != nil {
		return nil, err
	}
	client := cfg.HTTPClient
	endpoint := provider.Endpoint()
	switch cfg.ClientAuth {
	case ClientSecretBasic:
		endpoint.AuthStyle = oauth2.AuthStyleInHeader
	case ClientSecretPost:
		endpoint.AuthStyle = oauth2.AuthStyleInParams
	case PrivateKeyJWT:
		endpoint.AuthStyle = oauth2.AuthStyleInParams // sends client_id as a form parameter
		client, err = withClientAssertion(cfg, endpoint.TokenURL, meta.Revocation)
		if err != nil {
			return nil, err
		}
	}
	secret := cfg.ClientSecret
	if cfg.ClientAuth == PrivateKeyJWT {
		secret = ""
	}
	rp := &RP{
		cfg:   cfg,
		store: store,
		oauth: &oauth2.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: secret,
			Endpoint:     endpoint,
			RedirectURL:  cfg.RedirectURL,
			Scopes:       cfg.Scopes,
		},
		// The JWKS is fetched with the configured client; keys are cached and refetched when an
		// unknown kid shows up (key rotation).
		verifier: provider.VerifierContext(oidc.ClientContext(context.WithoutCancel(ctx), cfg.HTTPClient), &oidc.Config{
			ClientID:             cfg.ClientID,
			SupportedSigningAlgs: []string{oidc.RS256},
			Now:                  cfg.Now,
		}),
		client: client,
		meta:   meta,
		logins: logins,
	}
	rp.cookies = &cookieStore{rp: rp}
	return rp, nil
}

// check refuses a provider whose discovery says it cannot do what the relying party does: PKCE
// with S256, and the configured client authentication at the token endpoint. A list the
// document leaves out is only warned about for PKCE (many providers do not publish it), and
// for the client authentication read as OpenID Connect Discovery's default,
// client_secret_basic.
func (m providerMeta) check(ctx context.Context, cfg Config) error {
	var errs []error
	switch {
	case m.CodeChallenge == nil:
		cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "the provider's discovery has no code_challenge_methods_supported; logins use PKCE with S256 and fail if it does not support it")
	case !slices.Contains(m.CodeChallenge, "S256"):
		errs = append(errs, fmt.Errorf("code_challenge_methods_supported is %q, without S256: the relying party requires PKCE with S256", m.CodeChallenge))
	}
	methods := m.TokenAuthMethods
	if methods == nil {
		methods = []string{ClientSecretBasic}
	}
	if !slices.Contains(methods, cfg.ClientAuth) {
		if m.TokenAuthMethods == nil {
			cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "the provider's discovery has no token_endpoint_auth_methods_supported, which means client_secret_basic only; the configured client authentication may be refused",
				slog.String("client_auth", cfg.ClientAuth))
		} else {
			errs = append(errs, fmt.Errorf("token_endpoint_auth_methods_supported is %q, without ClientAuth %s: the provider would refuse every token request; use one it supports", m.TokenAuthMethods, cfg.ClientAuth))
		}
	}
	return errors.Join(errs...)
}

// BrowserURLs are the provider's URLs the browser is sent to or framed from, as discovery
// named them: the issuer, the authorization endpoint and, when there is one, the end-session
// endpoint. The web layer builds its Content-Security-Policy from their origins.
func (rp *RP) BrowserURLs() []string {
	urls := []string{rp.cfg.Issuer, rp.oauth.Endpoint.AuthURL}
	if rp.meta.EndSession != "" {
		urls = append(urls, rp.meta.EndSession)
	}
	return urls
}

// ctx returns ctx carrying the HTTP client for x/oauth2 and go-oidc.
func (rp *RP) ctx(ctx context.Context) context.Context {
	return oidc.ClientContext(ctx, rp.client)
}

// sameIssuer compares issuers loosely on a trailing slash, as ID-porten's front-channel
// logout sends "https://idporten.no/" for the issuer "https://idporten.no".
func sameIssuer(a, b string) bool {
	return a != "" && strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

// logError logs a failure once, with its kind and cause, never a token.
func (rp *RP) logError(ctx context.Context, msg string, err error) {
	rp.cfg.Logger.LogAttrs(ctx, levelFor(err), msg, errAttrs(err)...)
}

// fail logs e and hands it to OnError.
func (rp *RP) fail(w http.ResponseWriter, r *http.Request, e *Error) {
	w.Header().Set("Cache-Control", "no-store")
	rp.logError(r.Context(), "login failed", e)
	rp.cfg.OnError(w, r, e)
}

var _ sessions.Store = (*cookieStore)(nil)
