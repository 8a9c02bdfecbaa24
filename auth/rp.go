package auth

import (
	"context"
	"fmt"
	"net/http"
	"strings"

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
	flight   singleflight.Group // one refresh per session id in this process
}

// providerMeta is what the relying party reads from discovery beyond go-oidc's Provider.
type providerMeta struct {
	EndSession        string `json:"end_session_endpoint"`
	Revocation        string `json:"revocation_endpoint"`
	IssParamSupported bool   `json:"authorization_response_iss_parameter_supported"`
}

// New validates cfg, reads the provider's discovery document and returns the relying party.
// Sessions, pending logins and refresh locks are kept in store.
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
	}
	rp.cookies = &cookieStore{rp: rp}
	return rp, nil
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
