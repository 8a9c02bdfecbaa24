// Package app wires the portal together: configuration from the environment, the Dialogporten
// client, the ID-porten relying party with its session store, and the web handlers. cmd/web
// calls it with the real environment; cmd/dev calls it with the emulator's and the ID-porten
// double's URLs.
package app

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/redisstore"
)

// Config is the portal's configuration, read once from environment variables by Load.
type Config struct {
	PublicURL  string // PUBLIC_URL: the portal's external base URL, e.g. https://innboks.example.no
	ListenAddr string // LISTEN_ADDR: default ":8080"
	// MetricsAddr is METRICS_ADDR: where /metrics is served, apart from the public listener
	// (optional; off when empty).
	MetricsAddr string

	IDPortenIssuer         string   // IDPORTEN_ISSUER
	IDPortenClientID       string   // IDPORTEN_CLIENT_ID
	IDPortenClientSecret   string   // IDPORTEN_CLIENT_SECRET (client_secret_basic / _post)
	IDPortenPrivateKeyFile string   // IDPORTEN_PRIVATE_KEY_FILE: PEM RSA key (private_key_jwt)
	IDPortenKeyID          string   // IDPORTEN_KEY_ID: the key's kid, required with a key
	IDPortenClientAuth     string   // IDPORTEN_CLIENT_AUTH: default from which credential is given
	IDPortenACR            string   // IDPORTEN_ACR: default idporten-loa-substantial
	IDPortenScopes         []string // IDPORTEN_SCOPES: space separated

	DialogportenURL   string // DIALOGPORTEN_URL: e.g. https://platform.tt02.altinn.no/dialogporten
	AltinnPlatformURL string // ALTINN_PLATFORM_URL: default derived from DIALOGPORTEN_URL

	RedisURL            string        // REDIS_URL: optional; sessions in Redis for several instances
	EventsWebhookSecret string        // EVENTS_WEBHOOK_SECRET: optional
	LogLevel            slog.Level    // LOG_LEVEL: debug | info | warn | error
	ActionHostAllowlist []string      // ACTION_HOST_ALLOWLIST: optional, comma separated hosts
	SessionIdleTimeout  time.Duration // SESSION_IDLE_TIMEOUT: default 30m
	SessionAbsTimeout   time.Duration // SESSION_ABSOLUTE_TIMEOUT: default 120m

	// DataDir is DATA_DIR: the folder of the embedded store (a SQLite file and, without
	// STORE_KEY, the owner key file), made on first start. Empty: DefaultDataDir, at New.
	DataDir string
	// DatabaseURL is DATABASE_URL: PostgreSQL for the store (several instances); DataDir is
	// then unused.
	DatabaseURL string
	// StoreKey is STORE_KEY: the server key of the store's owner HMAC (base64 of 32 bytes).
	// Required with DATABASE_URL, so every instance computes the same owners; without it the
	// embedded store makes one in DATA_DIR on first start. Prints as [redacted].
	StoreKey []redisstore.Key
	// ProfileAPIURL is PROFILE_API_URL: Altinn's Profile API (…/profile/api/v1), where
	// favourites and party groups are kept (AUTH-AND-NEIGHBOURS.md §G). Empty: Innboks keeps
	// them in its own store.
	ProfileAPIURL string

	// ZipMaxDialogs is ZIP_MAX_DIALOGS: the most dialogs one ZIP of attachments holds (100).
	ZipMaxDialogs int
	// ZipMaxBytes is ZIP_MAX_BYTES: the most bytes of files one ZIP holds (2 GiB).
	ZipMaxBytes int64
	// SavedSearchCountEvery is SAVED_SEARCH_COUNT_EVERY: how long a saved search's count of
	// new dialogs is kept, so at most one upstream search per saved search this often (1m).
	SavedSearchCountEvery time.Duration

	// SessionEncryptionKeys is SESSION_ENCRYPTION_KEYS: comma-separated base64 32-byte keys that
	// seal sessions in Redis and hash their key names; the first encrypts, all decrypt (key
	// rotation). Required with REDIS_URL, unused without. Keys print as [redacted].
	SessionEncryptionKeys []redisstore.Key
}

// Load reads and validates the configuration. Every problem is reported at once, each naming
// its variable.
func Load(getenv func(string) string) (Config, error) {
	get := func(k string) string { return strings.TrimSpace(getenv(k)) }
	var errs []error
	bad := func(k, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", k, fmt.Sprintf(format, args...)))
	}
	c := Config{
		PublicURL:              strings.TrimSuffix(get("PUBLIC_URL"), "/"),
		ListenAddr:             cmp.Or(get("LISTEN_ADDR"), ":8080"),
		MetricsAddr:            get("METRICS_ADDR"),
		IDPortenIssuer:         get("IDPORTEN_ISSUER"),
		IDPortenClientID:       get("IDPORTEN_CLIENT_ID"),
		IDPortenClientSecret:   get("IDPORTEN_CLIENT_SECRET"),
		IDPortenPrivateKeyFile: get("IDPORTEN_PRIVATE_KEY_FILE"),
		IDPortenKeyID:          get("IDPORTEN_KEY_ID"),
		IDPortenClientAuth:     get("IDPORTEN_CLIENT_AUTH"),
		IDPortenACR:            cmp.Or(get("IDPORTEN_ACR"), auth.ACRSubstantial),
		IDPortenScopes:         strings.Fields(get("IDPORTEN_SCOPES")),
		DialogportenURL:        strings.TrimSuffix(get("DIALOGPORTEN_URL"), "/"),
		AltinnPlatformURL:      strings.TrimSuffix(get("ALTINN_PLATFORM_URL"), "/"),
		RedisURL:               get("REDIS_URL"),
		EventsWebhookSecret:    get("EVENTS_WEBHOOK_SECRET"),
		DataDir:                get("DATA_DIR"),
		DatabaseURL:            get("DATABASE_URL"),
		ProfileAPIURL:          strings.TrimSuffix(get("PROFILE_API_URL"), "/"),
	}

	if len(c.IDPortenScopes) == 0 {
		c.IDPortenScopes = auth.DefaultScopes()
	}

	// checkURL validates the URL in *v and, when normalize is set, rewrites it in the one
	// spelling every consumer compares with (see normalizeURL). The issuer is left as given: it
	// must equal the iss of ID-porten's tokens byte for byte.
	checkURL := func(k string, v *string, required, normalize bool) {
		if *v == "" {
			if required {
				bad(k, "required")
			}
			return
		}
		u, err := url.Parse(*v)
		switch {
		case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
			bad(k, "want an absolute http(s) URL, got %q", *v)
		case u.User != nil:
			bad(k, "must not have a user or password")
		case u.Scheme == "http" && !IsLoopback(u.Hostname()):
			bad(k, "must use https (plain http is allowed for localhost only)")
		case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
			bad(k, "must not have a query or fragment")
		case normalize:
			*v = normalizeURL(u)
		}
	}
	checkURL("PUBLIC_URL", &c.PublicURL, true, true)
	checkURL("IDPORTEN_ISSUER", &c.IDPortenIssuer, true, false)
	checkURL("DIALOGPORTEN_URL", &c.DialogportenURL, true, true)
	checkURL("ALTINN_PLATFORM_URL", &c.AltinnPlatformURL, false, true)
	checkURL("PROFILE_API_URL", &c.ProfileAPIURL, false, true)

	if _, _, err := net.SplitHostPort(c.ListenAddr); err != nil {
		bad("LISTEN_ADDR", "want host:port or :port, got %q", c.ListenAddr)
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil {
			bad("METRICS_ADDR", "want host:port or :port, got %q", c.MetricsAddr)
		} else if c.MetricsAddr == c.ListenAddr && port != "0" {
			bad("METRICS_ADDR", "must differ from LISTEN_ADDR: /metrics is never on the public listener")
		}
	}
	if c.IDPortenClientID == "" {
		bad("IDPORTEN_CLIENT_ID", "required")
	}
	switch {
	case c.IDPortenClientSecret == "" && c.IDPortenPrivateKeyFile == "":
		bad("IDPORTEN_CLIENT_SECRET", "set it or IDPORTEN_PRIVATE_KEY_FILE")
	case c.IDPortenClientSecret != "" && c.IDPortenPrivateKeyFile != "":
		bad("IDPORTEN_CLIENT_SECRET", "set only one of it and IDPORTEN_PRIVATE_KEY_FILE")
	}
	if c.IDPortenClientAuth == "" {
		c.IDPortenClientAuth = auth.ClientSecretBasic
		if c.IDPortenPrivateKeyFile != "" {
			c.IDPortenClientAuth = auth.PrivateKeyJWT
		}
	}
	switch c.IDPortenClientAuth {
	case auth.ClientSecretBasic, auth.ClientSecretPost:
		if c.IDPortenClientSecret == "" && c.IDPortenPrivateKeyFile != "" {
			bad("IDPORTEN_CLIENT_AUTH", "%s needs IDPORTEN_CLIENT_SECRET", c.IDPortenClientAuth)
		}
	case auth.PrivateKeyJWT:
		if c.IDPortenPrivateKeyFile == "" {
			bad("IDPORTEN_CLIENT_AUTH", "private_key_jwt needs IDPORTEN_PRIVATE_KEY_FILE")
		}
		if c.IDPortenKeyID == "" {
			bad("IDPORTEN_KEY_ID", "required with IDPORTEN_PRIVATE_KEY_FILE")
		}
	default:
		bad("IDPORTEN_CLIENT_AUTH", "want client_secret_basic, client_secret_post or private_key_jwt, got %q", c.IDPortenClientAuth)
	}
	switch c.IDPortenACR {
	case auth.ACRSubstantial, auth.ACRHigh:
	default:
		bad("IDPORTEN_ACR", "want idporten-loa-substantial or idporten-loa-high, got %q", c.IDPortenACR)
	}
	if !slices.Contains(c.IDPortenScopes, "openid") {
		bad("IDPORTEN_SCOPES", "must include openid")
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			bad("REDIS_URL", "want redis://, rediss:// or unix:// URL")
		}
	}
	if c.DatabaseURL != "" {
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			bad("DATABASE_URL", "want a postgres:// or postgresql:// URL")
		}
	}
	if v := get("STORE_KEY"); v != "" {
		keys, err := redisstore.ParseKeys(v)
		switch {
		case err != nil:
			bad("STORE_KEY", "%v", err)
		case len(keys) != 1:
			bad("STORE_KEY", "want one key (it names rows: it cannot rotate)")
		default:
			c.StoreKey = keys
		}
	} else if c.DatabaseURL != "" {
		bad("STORE_KEY", "required with DATABASE_URL (every instance must compute the same owners): %s", redisstore.HowToMakeKey)
	}
	c.SessionEncryptionKeys = sessionKeys(get("SESSION_ENCRYPTION_KEYS"), c.RedisURL != "", bad)
	if s := c.EventsWebhookSecret; s != "" && len(s) < 32 {
		bad("EVENTS_WEBHOOK_SECRET", "must be at least 32 characters")
	}
	switch lvl := strings.ToLower(cmp.Or(get("LOG_LEVEL"), "info")); lvl {
	case "debug", "info", "warn", "error":
		_ = c.LogLevel.UnmarshalText([]byte(lvl))
	default:
		bad("LOG_LEVEL", "want debug, info, warn or error, got %q", lvl)
	}
	for h := range strings.SplitSeq(get("ACTION_HOST_ALLOWLIST"), ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			if strings.ContainsAny(h, "/:@ ") {
				bad("ACTION_HOST_ALLOWLIST", "want host names, got %q", h)
			}
			c.ActionHostAllowlist = append(c.ActionHostAllowlist, h)
		}
	}
	c.SessionIdleTimeout = duration(get("SESSION_IDLE_TIMEOUT"), 30*time.Minute, "SESSION_IDLE_TIMEOUT", bad)
	c.SessionAbsTimeout = duration(get("SESSION_ABSOLUTE_TIMEOUT"), 120*time.Minute, "SESSION_ABSOLUTE_TIMEOUT", bad)
	c.SavedSearchCountEvery = duration(get("SAVED_SEARCH_COUNT_EVERY"), time.Minute, "SAVED_SEARCH_COUNT_EVERY", bad)
	c.ZipMaxDialogs = int(positive(get("ZIP_MAX_DIALOGS"), 100, 1000, "ZIP_MAX_DIALOGS", bad))
	c.ZipMaxBytes = positive(get("ZIP_MAX_BYTES"), 2<<30, 1<<40, "ZIP_MAX_BYTES", bad)
	if c.SessionIdleTimeout > c.SessionAbsTimeout {
		bad("SESSION_IDLE_TIMEOUT", "must not exceed SESSION_ABSOLUTE_TIMEOUT")
	}
	return c, errors.Join(errs...)
}

// sessionKeys parses SESSION_ENCRYPTION_KEYS: malformed is an error with or without Redis (a
// mistake is better found before REDIS_URL is added), missing is one only with Redis. No
// message quotes a key.
func sessionKeys(v string, redis bool, bad func(string, string, ...any)) []redisstore.Key {
	const k = "SESSION_ENCRYPTION_KEYS"
	if v == "" {
		if redis {
			bad(k, "required with REDIS_URL (sessions in Redis are encrypted): %s; several, comma-separated, rotate keys (the first encrypts, all decrypt)", redisstore.HowToMakeKey)
		}
		return nil
	}
	keys, err := redisstore.ParseKeys(v)
	if err != nil {
		bad(k, "%v", err)
		return nil
	}
	return keys
}

// positive is v as a whole number from 1 to most, def when v is empty.
func positive(v string, def, most int64, k string, bad func(string, string, ...any)) int64 {
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > most {
		bad(k, "want a whole number from 1 to %d, got %q", most, v)
		return def
	}
	return n
}

func duration(v string, def time.Duration, k string, bad func(string, string, ...any)) time.Duration {
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		bad(k, "want a positive duration like 30m, got %q", v)
		return def
	}
	return d
}

// normalizeURL spells a validated http(s) URL the one way the rest of the portal compares
// with: scheme and host in lower case (both are case-insensitive, and url.Parse lowers only the
// scheme), no default port, no trailing slash. "HTTPS://Innboks.Example.NO:443/" becomes
// "https://innboks.example.no", so SecureCookies, the CSRF origin check and the redirect URL
// all see https.
func normalizeURL(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	if p := u.Port(); p != "" && !(u.Scheme == "https" && p == "443") && !(u.Scheme == "http" && p == "80") {
		host += ":" + p
	}
	return strings.TrimSuffix(strings.ToLower(u.Scheme)+"://"+host+u.EscapedPath(), "/")
}

// SecureCookies reports whether the portal is served over https (cookies Secure, __Host-
// prefix, HSTS). Plain http is accepted for loopback only. Load has normalised the scheme.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	host = strings.ToLower(host) // host names are case-insensitive
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
