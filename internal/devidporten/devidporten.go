package devidporten

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

// Client authentication methods at the token endpoint, as registered for a Client.
const (
	AuthSecretBasic   = "client_secret_basic"
	AuthSecretPost    = "client_secret_post"
	AuthPrivateKeyJWT = "private_key_jwt"
	AuthNone          = "none"
)

// Levels of assurance (acr values) the double issues.
const (
	ACRSubstantial = "idporten-loa-substantial"
	ACRHigh        = "idporten-loa-high"
)

// Options configure a Provider. Issuer and Clients are required; the rest have defaults.
type Options struct {
	// Issuer is the issuer URL, e.g. http://127.0.0.1:9090 (plain http is allowed for the
	// dev stack). Handler serves every endpoint under its path.
	Issuer string
	// Users are the persons the picker offers; DefaultUsers() when empty.
	Users []User
	// Clients are the registered relying parties.
	Clients []Client
	// Logger receives the double's own log lines (never a pid or a token); slog.Default() when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// AccessTokenTTL is the access token lifetime (ID-porten: 120 s).
	AccessTokenTTL time.Duration
	// RefreshTokenTTL is the refresh token idle lifetime (ID-porten: 600 s).
	RefreshTokenTTL time.Duration
	// AuthorizationTTL caps a chain of refreshes from one login (ID-porten: 7200 s).
	AuthorizationTTL time.Duration
	// IDTokenTTL is the id_token lifetime (120 s).
	IDTokenTTL time.Duration
	// SigningKey signs id_tokens and access tokens (RS256); a fresh 2048-bit key when nil.
	SigningKey *rsa.PrivateKey
	// KeyID is the kid of SigningKey; derived from the key when empty.
	KeyID string
	// OnLogout, when set, is called after an SSO session has ended (end-session or Logout),
	// with the front-channel logout URLs the browser is sent to. Tests use it to call them.
	OnLogout func(ctx context.Context, ev LogoutEvent)
}

// Client is a registered relying party.
type Client struct {
	ID     string
	Secret string
	// PublicKeys verify private_key_jwt client assertions (by kid).
	PublicKeys []PublicKey
	// RedirectURIs and PostLogoutRedirectURIs must match exactly; plain-http loopback URIs are fine.
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	// FrontChannelLogoutURI is loaded in an iframe with ?iss=&sid= when the SSO session ends.
	FrontChannelLogoutURI string
	// AuthMethod is one of AuthSecretBasic (default), AuthSecretPost, AuthPrivateKeyJWT, AuthNone.
	AuthMethod string
	// Scopes, when set, are the only scopes the client may get (others are dropped).
	Scopes []string
	// Name is shown in the picker; ID when empty.
	Name string
	// OrgNumber is the client's organisation number, put in the access token's consumer claim
	// (a synthetic 999999999 when empty).
	OrgNumber string
}

// PublicKey is a client's registered public key for private_key_jwt (RSA, RS256/384/512).
type PublicKey struct {
	KeyID string
	Key   crypto.PublicKey
}

// LogoutEvent describes an ended SSO session.
type LogoutEvent struct {
	// SID is the ended session's id (the sid claim).
	SID string
	// ClientID is the client that asked for the logout ("" when ended by Provider.Logout).
	ClientID string
	// FrontChannelURLs are {frontchannel_logout_uri}?iss=…&sid=… of every client of the session
	// that registered one.
	FrontChannelURLs []string
}

// Provider is the ID-porten double. Build it with New and serve Handler.
type Provider struct {
	issuer     string
	base       string // issuer path without trailing slash
	secure     bool
	users      []User
	clients    map[string]*Client
	log        *slog.Logger
	now        func() time.Time
	accessTTL  time.Duration
	refreshTTL time.Duration
	authzTTL   time.Duration
	idTTL      time.Duration
	keys       *signingKeys
	op         *op.Provider
	storage    *storage
	store      *store
	onLogout   func(ctx context.Context, ev LogoutEvent)
	pages      *pages
}

// New validates the options and builds a Provider.
func New(opts Options) (*Provider, error) {
	u, err := url.Parse(opts.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("devidporten: issuer %q must be an absolute http(s) URL without query", opts.Issuer)
	}
	p := &Provider{
		issuer:     strings.TrimSuffix(opts.Issuer, "/"),
		base:       strings.TrimSuffix(u.Path, "/"),
		secure:     u.Scheme == "https",
		users:      opts.Users,
		clients:    make(map[string]*Client, len(opts.Clients)),
		log:        opts.Logger,
		now:        opts.Now,
		accessTTL:  orDefault(opts.AccessTokenTTL, 120*time.Second),
		refreshTTL: orDefault(opts.RefreshTokenTTL, 600*time.Second),
		authzTTL:   orDefault(opts.AuthorizationTTL, 7200*time.Second),
		idTTL:      orDefault(opts.IDTokenTTL, 120*time.Second),
		onLogout:   opts.OnLogout,
		store:      newStore(),
	}
	if len(p.users) == 0 {
		p.users = DefaultUsers()
	}
	for i, usr := range p.users {
		if !ident.ValidPID(usr.PID) {
			return nil, fmt.Errorf("devidporten: user %d (%s) has no valid 11-digit mod-11 pid", i, usr.Name)
		}
	}
	if p.log == nil {
		p.log = slog.Default()
	}
	if p.now == nil {
		p.now = time.Now
	}
	if len(opts.Clients) == 0 {
		return nil, errors.New("devidporten: at least one client is required")
	}
	for i := range opts.Clients {
		c := opts.Clients[i]
		if err := normalizeClient(&c); err != nil {
			return nil, err
		}
		if _, dup := p.clients[c.ID]; dup {
			return nil, fmt.Errorf("devidporten: client %q registered twice", c.ID)
		}
		p.clients[c.ID] = &c
	}
	if p.keys, err = newSigningKeys(opts.SigningKey, opts.KeyID); err != nil {
		return nil, err
	}
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, fmt.Errorf("devidporten: code key: %w", err)
	}
	cfg := &op.Config{
		CryptoKey:               cryptoKey,
		CodeMethodS256:          true,
		AuthMethodPost:          true,
		AuthMethodPrivateKeyJWT: true,
		GrantTypeRefreshToken:   true,
	}
	var popts []op.Option
	if !p.secure {
		popts = append(popts, op.WithAllowInsecure())
	}
	p.storage = &storage{p: p}
	if p.op, err = op.NewProvider(cfg, p.storage, op.StaticIssuer(p.issuer), popts...); err != nil {
		return nil, fmt.Errorf("devidporten: zitadel provider: %w", err)
	}
	if p.pages, err = newPages(); err != nil {
		return nil, err
	}
	return p, nil
}

func normalizeClient(c *Client) error {
	if c.ID == "" {
		return errors.New("devidporten: client without ID")
	}
	if c.AuthMethod == "" {
		c.AuthMethod = AuthSecretBasic
	}
	switch c.AuthMethod {
	case AuthSecretBasic, AuthSecretPost:
		if c.Secret == "" {
			return fmt.Errorf("devidporten: client %q: %s needs a Secret", c.ID, c.AuthMethod)
		}
	case AuthPrivateKeyJWT:
		if len(c.PublicKeys) == 0 {
			return fmt.Errorf("devidporten: client %q: private_key_jwt needs PublicKeys", c.ID)
		}
	case AuthNone:
	default:
		return fmt.Errorf("devidporten: client %q: unknown AuthMethod %q", c.ID, c.AuthMethod)
	}
	if len(c.RedirectURIs) == 0 {
		return fmt.Errorf("devidporten: client %q has no RedirectURIs", c.ID)
	}
	if c.Name == "" {
		c.Name = c.ID
	}
	if c.OrgNumber == "" {
		c.OrgNumber = "999999999"
	}
	return nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// Issuer returns the issuer URL (without a trailing slash).
func (p *Provider) Issuer() string { return p.issuer }

// Users returns the persons the picker offers.
func (p *Provider) Users() []User { return append([]User(nil), p.users...) }

// Handler returns the HTTP handler with every endpoint of the double, under the issuer's path:
// /.well-known/openid-configuration, /jwks.json, /authorize, /login, /token, /revoke,
// /endsession and /assets/.
func (p *Provider) Handler() http.Handler {
	mux := http.NewServeMux()
	b := p.base
	mux.HandleFunc("GET "+b+"/.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET "+b+"/jwks.json", p.jwks)
	mux.HandleFunc(b+"/authorize", p.authorize)
	mux.HandleFunc("GET "+b+"/login", p.loginPage)
	mux.HandleFunc("POST "+b+"/login", p.loginSubmit)
	mux.HandleFunc("POST "+b+"/token", p.token)
	mux.HandleFunc("POST "+b+"/revoke", p.revoke)
	mux.HandleFunc(b+"/endsession", p.endSession)
	mux.HandleFunc("GET "+b+"/assets/devidporten.css", p.stylesheet)
	return withIssuer(p.issuer, mux)
}

// withIssuer puts the issuer into the request context, where zitadel's helpers read it.
func withIssuer(issuer string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(op.ContextWithIssuer(r.Context(), issuer)))
	})
}

func (p *Provider) endpoint(path string) string { return p.issuer + path }

// oidcErr is a shorthand for an OAuth error with a description.
func oidcErr(base *oidc.Error, desc string) *oidc.Error { return base.WithDescription("%s", desc) }
