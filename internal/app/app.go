package app

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/redis/go-redis/v9"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/auth/redisstore"
	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/handlers"
	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/live"
	"github.com/innboks/innboks/internal/metrics"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/profileapi"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/savedsearch"
	"github.com/innboks/innboks/internal/store"
	"github.com/innboks/innboks/internal/workspace"
)

// App is the wired portal.
type App struct {
	// Handler serves every route; it is Echo.
	Handler http.Handler
	Echo    *echo.Echo
	Config  Config
	// Metrics is this portal's registry (requests and upstream calls); cmd/web serves it on
	// METRICS_ADDR, the load harness reads it in-process.
	Metrics *metrics.Metrics
	// EndStreams ends the open live-update (SSE) streams; register it with
	// http.Server.RegisterOnShutdown so a graceful shutdown does not wait for them.
	EndStreams func()
	// Store is what Innboks remembers for a person (SQLite in DATA_DIR, or PostgreSQL with
	// DATABASE_URL), migrated at New; Close releases it.
	Store store.Store
}

// Close releases what New opened that outlives the server: the store.
func (a *App) Close() error { return a.Store.Close() }

// Options adjust New for tests and cmd/dev.
type Options struct {
	// HTTPClient is used for ID-porten and Dialogporten (default: 30 s timeout clients).
	HTTPClient *http.Client
	// Store replaces the session store chosen from the config (memory, or Redis with REDIS_URL).
	Store auth.Store
	// LocalUpstreams lets the action proxy call plain-http loopback and private addresses: the
	// dev stack's emulator. cmd/web never sets it, so in production a service owner's URL can
	// reach neither plain http nor Innboks' own network.
	LocalUpstreams bool
	// DialogWatch adjusts the open dialog pages' dialogEvents subscriptions (a harness with the
	// emulator's short-lived dialog tokens renews them sooner); New sets Upstream and Logger.
	DialogWatch live.DialogWatchOptions
}

// New builds the portal: discovery at ID-porten, the Dialogporten client, the session store
// and the handlers.
func New(ctx context.Context, cfg Config, logger *slog.Logger, opts ...Options) (*App, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	hc := o.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second, Transport: upstreamTransport()}
	}
	m := metrics.New()
	hc = m.InstrumentClient(hc, metrics.Classifier{Upstreams: []metrics.Upstream{
		{Name: metrics.Dialogporten, Prefix: cfg.DialogportenURL},
		{Name: metrics.IDPorten, Prefix: cfg.IDPortenIssuer},
	}})

	dpOpts := []dpclient.Option{dpclient.WithHTTPClient(hc), dpclient.WithUserAgent("innboks")}
	if cfg.AltinnPlatformURL != "" {
		dpOpts = append(dpOpts, dpclient.WithPlatformURL(cfg.AltinnPlatformURL))
	}
	dp, err := dpclient.New(cfg.DialogportenURL, dpOpts...)
	if err != nil {
		return nil, fmt.Errorf("dialogporten client: %w", err)
	}

	var rdb *redis.Client
	if cfg.RedisURL != "" {
		ropts, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		rdb = redis.NewClient(ropts)
	}
	sessStore := o.Store
	if sessStore == nil {
		if rdb != nil {
			sessStore, err = redisstore.NewRedisStore(rdb, cfg.SessionEncryptionKeys,
				redisstore.WithLogger(logger.With("component", "sessions")))
			if err != nil {
				return nil, fmt.Errorf("SESSION_ENCRYPTION_KEYS: %w", err)
			}
		} else {
			sessStore = auth.NewMemoryStore()
		}
	}
	watch := o.DialogWatch
	watch.Upstream = dp
	liveCfg, err := liveConfig(ctx, cfg, rdb, sessStore, watch, logger)
	if err != nil {
		return nil, err
	}

	db, ownerKey, err := openStore(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	built := false
	defer func() {
		if !built {
			_ = db.Close()
		}
	}()

	var key crypto.Signer
	if cfg.IDPortenPrivateKeyFile != "" {
		if key, err = loadPrivateKey(cfg.IDPortenPrivateKeyFile); err != nil {
			return nil, fmt.Errorf("IDPORTEN_PRIVATE_KEY_FILE: %w", err)
		}
	}
	rp, err := auth.New(ctx, auth.Config{
		Issuer:          cfg.IDPortenIssuer,
		ClientID:        cfg.IDPortenClientID,
		ClientSecret:    cfg.IDPortenClientSecret,
		ClientAuth:      cfg.IDPortenClientAuth,
		PrivateKey:      key,
		KeyID:           cfg.IDPortenKeyID,
		RedirectURL:     cfg.PublicURL + "/auth/callback",
		PostLogoutURL:   cfg.PublicURL + "/logged-out",
		ACR:             cfg.IDPortenACR,
		Scopes:          cfg.IDPortenScopes,
		IdleTimeout:     cfg.SessionIdleTimeout,
		AbsoluteTimeout: cfg.SessionAbsTimeout,
		SecureCookies:   cfg.SecureCookies(),
		HTTPClient:      hc,
		Logger:          logger.With("component", "auth"),
		Locale:          handlers.Locale,
		// ID-porten accepts client_id in place of id_token_hint for the post-logout redirect.
		// The ID token carries the national identity number; sending it through the browser
		// would put it in a URL (README: "Deviations").
		DisableIDTokenHint: true,
		OnError:            loginFailed,
	}, sessStore)
	if err != nil {
		return nil, fmt.Errorf("ID-porten relying party: %w", err)
	}

	// The service layer: one limiter of expensive work per session for searches, bulk changes
	// and downloads, over the one Dialogporten client.
	limit := inbox.NewLimiter(4)
	out := outbound.New(outbound.Config{
		AllowedHosts:         cfg.ActionHostAllowlist,
		AllowHTTPLoopback:    o.LocalUpstreams,
		AllowPrivateNetworks: o.LocalUpstreams,
		UserAgent:            "Innboks",
		WrapTransport: func(rt http.RoundTripper) http.RoundTripper {
			return m.Transport(rt, metrics.Classifier{}) // every call here is a service owner's
		},
	})
	search := inbox.NewSearch(dp, limit)
	// What the person keeps: preferences in the store; favourites and groups in Altinn's
	// Profile API when configured (with a token exchanged at the platform), else the store.
	var keeper workspace.Keeper
	if cfg.ProfileAPIURL != "" {
		api, err := profileapi.New(cfg.ProfileAPIURL, hc)
		if err != nil {
			return nil, fmt.Errorf("PROFILE_API_URL: %w", err)
		}
		keeper = workspace.NewProfileKeeper(api, dp)
	}
	ws := workspace.New(db, keeper)
	text := richtext.New() // one bound on concurrent renders for the page and the content
	dialogs := inbox.NewDialogs(inbox.DialogsConfig{
		DP: dp, Out: out, Exchanger: dp, PlatformURL: dp.PlatformURL(), Limit: limit, Renderer: text,
		Logger: logger.With("component", "dialogs"),
	})
	srv := handlers.New(handlers.Deps{
		Config: handlers.Config{
			PublicURL:     cfg.PublicURL,
			SecureCookies: cfg.SecureCookies(),
			Security:      handlers.SecurityConfig{IdPOrigins: origins(rp.BrowserURLs()), HSTS: cfg.SecureCookies()},
			Live:          liveCfg,
		},
		Login:     loginRoutes(rp),
		Sessions:  sessions{rp: rp, ownerKey: ownerKey},
		Parties:   inbox.NewParties(dp, 0),
		Search:    search,
		Results:   export.NewResults(search, cfg.PublicURL),
		Zip:       export.NewAttachments(dialogs, search, limit, export.ZipConfig{MaxDialogs: cfg.ZipMaxDialogs, MaxBytes: cfg.ZipMaxBytes}),
		Saved:     savedsearch.New(db, search, cfg.SavedSearchCountEvery),
		Dialogs:   dialogs,
		Workspace: ws,
		Text:      text,
		Logger:    logger,
	})
	m.Instrument(srv.Echo)
	built = true
	return &App{Handler: srv.Echo, Echo: srv.Echo, Config: cfg, Metrics: m, EndStreams: srv.EndStreams, Store: db}, nil
}

// loginFailed is auth's OnError: the failure goes back to the route as its error, to the one
// error handler.
func loginFailed(w http.ResponseWriter, r *http.Request, e *auth.Error) {
	handlers.ReportLoginFailure(w, r, handlers.LoginFailure{
		Status: e.Status, ACR: e.Kind == auth.KindACR, Kind: e.Kind.String(), Err: e.Err, Retryable: !e.Permanent(),
	})
}

// origins are the distinct scheme://host of urls, in order: the identity provider's origins the
// CSP must allow (the logout redirect goes there, and it frames the front-channel-logout page).
func origins(urls []string) []string {
	var out []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		if o := u.Scheme + "://" + u.Host; !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// loadPrivateKey reads a PEM RSA private key (PKCS#1 or PKCS#8) for private_key_jwt.
func loadPrivateKey(path string) (crypto.Signer, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(raw)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("not an RSA private key in PKCS#1 or PKCS#8 form")
	}
	s, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("key cannot sign")
	}
	return s, nil
}

// upstreamTransport is the transport of the calls to Dialogporten and ID-porten. The default
// keeps two idle connections per host, so under load most calls would open (and handshake) a
// new one; every page view makes one to three calls to the same host.
func upstreamTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 128
	return t
}
