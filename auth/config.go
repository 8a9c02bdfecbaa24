package auth

import (
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"
)

// The levels of assurance ID-porten speaks of.
const (
	ACRSubstantial = "idporten-loa-substantial"
	ACRHigh        = "idporten-loa-high"
)

// Client authentication methods at the token endpoint.
const (
	ClientSecretBasic = "client_secret_basic"
	ClientSecretPost  = "client_secret_post"
	PrivateKeyJWT     = "private_key_jwt"
)

// Config configures the relying party. Zero values take the defaults noted on each field.
type Config struct {
	Issuer          string        // ID-porten issuer, discovery at {Issuer}/.well-known/openid-configuration
	ClientID        string        // the registered client id
	ClientSecret    string        // for client_secret_basic and client_secret_post
	ClientAuth      string        // "client_secret_basic" (default) | "client_secret_post" | "private_key_jwt"
	PrivateKey      crypto.Signer // for private_key_jwt (RSA; RS256), with KeyID
	KeyID           string        // the kid of PrivateKey as registered at ID-porten
	RedirectURL     string        // {public}/auth/callback
	PostLogoutURL   string        // {public}/logged-out (where ID-porten sends the browser after end-session)
	ACR             string        // default "idporten-loa-substantial"
	Scopes          []string      // default openid digdir:dialogporten altinn:correspondence.read
	IdleTimeout     time.Duration // default 30m
	AbsoluteTimeout time.Duration // default 120m
	SecureCookies   bool          // false only for plain-http localhost
	HTTPClient      *http.Client  // for discovery, JWKS and the token endpoint; default a 10 s client
	Logger          *slog.Logger  // default discards
	// Locale gives ui_locales for the login (nb|nn|en); nil or "" sends none.
	Locale func(*http.Request) string
	// OnError renders the "login could not be completed" page. Default: a plain status code.
	OnError func(w http.ResponseWriter, r *http.Request, err *Error)
	Now     func() time.Time // default time.Now

	// RefreshAhead is how long before expiry the access token is renewed; default 30 s.
	RefreshAhead time.Duration
	// DisableIDTokenHint keeps the ID token out of the end-session URL; client_id is always sent,
	// which ID-porten accepts for post_logout_redirect_uri. The ID token carries the pid, so a
	// GET URL holding it reaches browser history and ID-porten's access logs.
	DisableIDTokenHint bool
}

// Defaults.
const (
	defaultIdle      = 30 * time.Minute
	defaultAbsolute  = 120 * time.Minute
	defaultAhead     = 30 * time.Second
	pendingLoginTTL  = 10 * time.Minute
	refreshLockTTL   = 15 * time.Second
	defaultAccessTTL = 60 * time.Second // when the token response has no expires_in
)

// DefaultScopes are the scopes asked for when Config.Scopes is empty.
func DefaultScopes() []string {
	return []string{"openid", "digdir:dialogporten", "altinn:correspondence.read"}
}

// acrRank orders the levels of assurance: substantial < high; unknown values rank 0.
func acrRank(acr string) int {
	switch acr {
	case "idporten-loa-low", "eidas-loa-low":
		return 1
	case ACRSubstantial, "eidas-loa-substantial":
		return 2
	case ACRHigh, "eidas-loa-high":
		return 3
	}
	return 0
}

// withDefaults returns a copy of c with defaults filled in, or an error naming what is wrong.
func (c Config) withDefaults() (Config, error) {
	if c.ClientAuth == "" {
		c.ClientAuth = ClientSecretBasic
	}
	if c.ACR == "" {
		c.ACR = ACRSubstantial
	}
	if len(c.Scopes) == 0 {
		c.Scopes = DefaultScopes()
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = defaultIdle
	}
	if c.AbsoluteTimeout <= 0 {
		c.AbsoluteTimeout = defaultAbsolute
	}
	if c.RefreshAhead <= 0 {
		c.RefreshAhead = defaultAhead
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.OnError == nil {
		c.OnError = func(w http.ResponseWriter, _ *http.Request, err *Error) {
			http.Error(w, http.StatusText(err.Status), err.Status)
		}
	}
	var errs []error
	if c.Issuer == "" {
		errs = append(errs, errors.New("Issuer is required"))
	}
	if c.ClientID == "" {
		errs = append(errs, errors.New("ClientID is required"))
	}
	if u, err := url.Parse(c.RedirectURL); err != nil || !u.IsAbs() {
		errs = append(errs, errors.New("RedirectURL must be an absolute URL"))
	}
	if c.PostLogoutURL != "" {
		if u, err := url.Parse(c.PostLogoutURL); err != nil || !u.IsAbs() {
			errs = append(errs, errors.New("PostLogoutURL must be an absolute URL"))
		}
	}
	if acrRank(c.ACR) == 0 {
		errs = append(errs, fmt.Errorf("ACR %q is not a known level", c.ACR))
	}
	switch c.ClientAuth {
	case ClientSecretBasic, ClientSecretPost:
		if c.ClientSecret == "" {
			errs = append(errs, fmt.Errorf("ClientSecret is required for %s", c.ClientAuth))
		}
	case PrivateKeyJWT:
		if c.PrivateKey == nil || c.KeyID == "" {
			errs = append(errs, errors.New("PrivateKey and KeyID are required for private_key_jwt"))
		} else if _, ok := c.PrivateKey.Public().(*rsa.PublicKey); !ok {
			errs = append(errs, errors.New("PrivateKey must be an RSA key (RS256)"))
		}
	default:
		errs = append(errs, fmt.Errorf("ClientAuth %q is not one of %s, %s, %s", c.ClientAuth, ClientSecretBasic, ClientSecretPost, PrivateKeyJWT))
	}
	if err := errors.Join(errs...); err != nil {
		return c, fmt.Errorf("auth: config: %w", err)
	}
	return c, nil
}

// cookieName is the session cookie's name: the __Host- prefix makes the browser refuse it
// unless it is Secure, Path=/ and host-only, so it cannot be planted by a sibling domain.
func (c Config) cookieName() string {
	if c.SecureCookies {
		return "__Host-innboks"
	}
	return "innboks"
}

// loginCookieName is the prefix of the login cookies' names (see loginCookieFor): the
// __Host- prefix on the same terms as the session cookie.
func (c Config) loginCookieName() string {
	if c.SecureCookies {
		return "__Host-innboks-login"
	}
	return "innboks-login"
}
