// Package devstack starts the whole local stack on loopback: the Dialogporten emulator, the
// ID-porten double and the portal, wired to each other the way production wires the portal to
// ID-porten and Dialogporten. `make run` (cmd/dev), the router tests and the browser tests use it.
//
// It is the only place that joins the doubles to the portal; cmd/web never imports it.
package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/innboks/innboks/auth"
	"github.com/innboks/innboks/internal/app"
	"github.com/innboks/innboks/internal/devidporten"
	"github.com/innboks/innboks/internal/devprofile"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
	"github.com/innboks/innboks/internal/live"
)

// ClientID is the portal's client id at the ID-porten double.
const ClientID = "innboks-dev"

// Options configure Start. Zero values give a working stack on free loopback ports.
type Options struct {
	Scenario string // emulator scenario: default, accountant, extreme
	Seed     uint64 // emulator seed (0: the scenario's default)

	// PortalAddr, EmulatorAddr and IDPortenAddr are listen addresses; 127.0.0.1:0 when empty.
	PortalAddr, EmulatorAddr, IDPortenAddr string

	// Logger receives the portal's logs; EmulatorLogger and IDPortenLogger those of the doubles.
	// Nil discards.
	Logger, EmulatorLogger, IDPortenLogger *slog.Logger

	// Store replaces the portal's session store (memory by default).
	Store auth.Store
	// Webhooks receive the emulator's CloudEvents, as Altinn Events would deliver them.
	Webhooks []string
	// Env adds portal configuration variables (as cmd/web reads them) over the stack's own,
	// e.g. SESSION_IDLE_TIMEOUT, REDIS_URL or DATABASE_URL. PROFILE_API_URL set to "" keeps
	// favourites and groups in the portal's own store instead of the Profile API double.
	Env map[string]string
	// DataDir is the portal's DATA_DIR (its embedded store). Empty: a temporary folder that
	// Close removes, so tests never share one.
	DataDir string

	// ClientSecret is the portal client's secret at the double. Empty: a random one that
	// nothing prints. Set it to point a separately started cmd/web at the double as well.
	ClientSecret string
	// RedirectURIs and PostLogoutRedirectURIs are registered for the client at the double
	// besides the stack's own portal's: those of a separately started cmd/web
	// ({PUBLIC_URL}/auth/callback and {PUBLIC_URL}/logged-out).
	RedirectURIs, PostLogoutRedirectURIs []string

	// DialogTokenLifetime shortens the emulator's dialog tokens (0: 600 s, as Dialogporten);
	// with DialogWatch.RenewBefore (how long before expiry the portal renews a dialog page's
	// subscription) a harness covers many renewals in little time. DialogWatch adjusts the
	// portal's subscriptions (app.Options.DialogWatch: caps, renewal, backoff).
	DialogTokenLifetime time.Duration
	DialogWatch         live.DialogWatchOptions
}

// Stack is a running local stack.
type Stack struct {
	PortalURL   string
	EmulatorURL string
	IDPortenURL string

	Emulator     *dpemu.Emulator
	ServiceOwner *serviceowner.Side  // front-channel content, Correspondence, GUI actions, token exchange
	Events       *events.Publisher   // CloudEvents for every change in the emulator
	Profile      *devprofile.Profile // Altinn's Profile API: favourites and party groups
	IDPorten     *devidporten.Provider
	App          *app.App

	servers      []*http.Server
	listeners    []net.Listener // closed by Close, served or not
	clientSecret string
	tmpDir       string // the temporary DATA_DIR, removed by Close
}

// Start listens on the three addresses, builds the emulator, the double and the portal, and
// serves them until Close. ctx bounds the start (the portal reads the double's discovery under
// it); building a large scenario is not interrupted, but a ctx that ended meanwhile fails Start.
// When Start fails it has closed whatever it had opened.
func Start(ctx context.Context, o Options) (*Stack, error) {
	st := &Stack{}
	if err := st.start(ctx, o); err != nil {
		_ = st.Close(context.Background())
		return nil, err
	}
	return st, nil
}

// start does Start's work on st; on error, st.Close releases what it holds.
func (st *Stack) start(ctx context.Context, o Options) error {
	emuLn, err := st.listen(o.EmulatorAddr)
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	idpLn, err := st.listen(o.IDPortenAddr)
	if err != nil {
		return fmt.Errorf("ID-porten double: %w", err)
	}
	webLn, err := st.listen(o.PortalAddr)
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	st.EmulatorURL = "http://" + emuLn.Addr().String()
	st.IDPortenURL = "http://" + idpLn.Addr().String()
	st.PortalURL = "http://" + webLn.Addr().String()

	if err := ctx.Err(); err != nil {
		return fmt.Errorf("start: %w", context.Cause(ctx))
	}
	st.Emulator, err = dpemu.New(dpemu.Options{
		Scenario: o.Scenario,
		Seed:     o.Seed,
		BaseURL:  st.EmulatorURL,
		Issuers:  []dpemu.Issuer{{URL: st.IDPortenURL}},
		Logger:   o.EmulatorLogger,

		DialogTokenLifetime: o.DialogTokenLifetime,
	})
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("emulator: scenario %q built after the start budget: %w", o.Scenario, context.Cause(ctx))
	}
	// The portal's own webhook (live updates), as Altinn Events would call it: a random secret
	// in the URL unless o.Env sets EVENTS_WEBHOOK_SECRET ("" turns it off: the inbox polls).
	hookSecret, set := o.Env["EVENTS_WEBHOOK_SECRET"]
	if !set {
		if hookSecret, err = randomSecret(); err != nil {
			return err
		}
	}
	webhooks := slices.Clone(o.Webhooks)
	if hookSecret != "" {
		webhooks = append(webhooks, st.PortalURL+"/events?secret="+url.QueryEscape(hookSecret))
	}
	st.Events, err = events.New(events.Options{
		Store:            st.Emulator.Store(),
		DialogportenBase: st.Emulator.DialogportenURL(),
		Webhooks:         webhooks,
		Logger:           o.EmulatorLogger,
	})
	if err != nil {
		return fmt.Errorf("emulator events: %w", err)
	}
	st.ServiceOwner, err = serviceowner.New(serviceowner.Options{
		Store:           st.Emulator.Store(),
		BaseURL:         st.EmulatorURL,
		DialogTokenKeys: serviceowner.Ed25519Keys(st.Emulator.DialogTokens().PublicKeys()),
		PlatformSigner:  st.Emulator.Platform(),
		IDPorten:        []serviceowner.Issuer{{URL: st.IDPortenURL}},
		Events:          st.Events,
		Logger:          o.EmulatorLogger,
	})
	if err != nil {
		return fmt.Errorf("emulator service-owner side: %w", err)
	}
	st.ServiceOwner.Register(st.Emulator)
	// Altinn's Profile API (favourites and party groups) beside the platform's other APIs.
	st.Profile = devprofile.New(devprofile.Options{
		Issuer: st.ServiceOwner.PlatformIssuer(),
		Keys:   st.Emulator.PlatformJWKS(),
		Logger: o.EmulatorLogger,
	})
	st.Profile.Register(st.Emulator)
	st.serve(emuLn, st.Emulator.Handler())

	st.clientSecret = o.ClientSecret
	if st.clientSecret == "" {
		if st.clientSecret, err = randomSecret(); err != nil {
			return err
		}
	}
	var users []devidporten.User
	for _, u := range st.Emulator.Users() {
		users = append(users, devidporten.User{PID: u.PID, Name: u.Name, Description: u.Description})
	}
	st.IDPorten, err = devidporten.New(devidporten.Options{
		Issuer: st.IDPortenURL,
		Users:  users,
		Logger: o.IDPortenLogger,
		Clients: []devidporten.Client{{
			ID:                     ClientID,
			Secret:                 st.clientSecret,
			Name:                   "Innboks (lokal)",
			RedirectURIs:           append([]string{st.PortalURL + "/auth/callback"}, o.RedirectURIs...),
			PostLogoutRedirectURIs: append([]string{st.PortalURL + "/logged-out"}, o.PostLogoutRedirectURIs...),
			FrontChannelLogoutURI:  st.PortalURL + "/auth/frontchannel-logout",
		}},
	})
	if err != nil {
		return fmt.Errorf("ID-porten double: %w", err)
	}
	st.serve(idpLn, st.IDPorten.Handler())

	env := map[string]string{
		"PUBLIC_URL":             st.PortalURL,
		"LISTEN_ADDR":            webLn.Addr().String(),
		"IDPORTEN_ISSUER":        st.IDPortenURL,
		"IDPORTEN_CLIENT_ID":     ClientID,
		"IDPORTEN_CLIENT_SECRET": st.clientSecret,
		"DIALOGPORTEN_URL":       st.Emulator.DialogportenURL(),
		"ALTINN_PLATFORM_URL":    st.EmulatorURL,
		"EVENTS_WEBHOOK_SECRET":  hookSecret,
		"DATA_DIR":               o.DataDir,
		"PROFILE_API_URL":        st.EmulatorURL + devprofile.Prefix,
	}
	if o.DataDir == "" {
		if st.tmpDir, err = os.MkdirTemp("", "innboks-devstack-"); err != nil {
			return fmt.Errorf("portal data folder: %w", err)
		}
		env["DATA_DIR"] = st.tmpDir
	}
	for k, v := range o.Env {
		env[k] = v
	}
	cfg, err := app.Load(func(k string) string { return env[k] })
	if err != nil {
		return fmt.Errorf("portal config: %w", err)
	}
	logger := o.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	st.App, err = app.New(ctx, cfg, logger, app.Options{Store: o.Store, LocalUpstreams: true,
		DialogWatch: o.DialogWatch})
	if err != nil {
		return fmt.Errorf("portal: %w", err)
	}
	st.serve(webLn, st.App.Handler)
	return nil
}

// Deadliner is what StartContext needs of a test: *testing.T.
type Deadliner interface {
	Context() context.Context
	Deadline() (time.Time, bool)
}

// StartContext returns the context a test starts a stack under: the test's context, ending a
// minute before its deadline (go test -timeout) so that a start that runs out fails with its
// own message rather than the test binary's panic. No fixed figure fits both an idle
// workstation and a busy two-core machine building the accountant scenario under -race.
func StartContext(t Deadliner) (context.Context, context.CancelFunc) {
	d, ok := t.Deadline()
	if !ok {
		return context.WithCancel(t.Context())
	}
	margin := min(time.Minute, time.Until(d)/2)
	return context.WithDeadline(t.Context(), d.Add(-margin))
}

// Users returns the test users the double offers (the emulator's persons).
func (st *Stack) Users() []devidporten.User { return st.IDPorten.Users() }

func (st *Stack) serve(ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	st.servers = append(st.servers, srv)
	go func() { _ = srv.Serve(ln) }()
}

// Close shuts the three servers down: gracefully until ctx ends (at most two seconds), then
// by closing what is left. A connection a client dialled but never used counts as busy for
// five seconds in http.Server.Shutdown; a dev stack need not wait for those. Closing a nil
// Stack does nothing.
func (st *Stack) Close(ctx context.Context) error {
	if st == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if st.App != nil && st.App.EndStreams != nil {
		st.App.EndStreams() // open live-update streams would hold the graceful shutdown
	}
	var wg sync.WaitGroup
	errs := make([]error, len(st.servers))
	for i, s := range st.servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				if ctx.Err() != nil {
					err = s.Close()
				}
				errs[i] = err
			}
		}()
	}
	wg.Wait()
	st.servers = nil
	for _, ln := range st.listeners {
		_ = ln.Close() // a listener Start opened but never served; the served ones are closed already
	}
	st.listeners = nil
	if st.Events != nil {
		st.Events.Close()
	}
	if st.App != nil {
		errs = append(errs, st.App.Close())
		st.App = nil
	}
	if st.tmpDir != "" {
		errs = append(errs, os.RemoveAll(st.tmpDir))
		st.tmpDir = ""
	}
	return errors.Join(errs...)
}

// listen opens a listener on addr (127.0.0.1:0 when empty) that Close will close.
func (st *Stack) listen(addr string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	st.listeners = append(st.listeners, ln)
	return ln, nil
}

func randomSecret() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// AccessToken logs pid in at the double with a scripted code flow (PKCE, the login_hint
// shortcut) as the portal's client and returns the ID-porten access token, for tests that call
// the emulator directly.
func (st *Stack) AccessToken(ctx context.Context, pid string) (string, error) {
	conf := &oauth2.Config{
		ClientID:     ClientID,
		ClientSecret: st.clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:  st.IDPortenURL + "/authorize",
			TokenURL: st.IDPortenURL + "/token",
		},
		RedirectURL: st.PortalURL + "/auth/callback",
		Scopes:      []string{"openid", "digdir:dialogporten", "altinn:correspondence.read"},
	}
	verifier := oauth2.GenerateVerifier()
	state, err := randomSecret()
	if err != nil {
		return "", err
	}
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("nonce", state),
		oauth2.SetAuthURLParam("acr_values", "idporten-loa-substantial"),
		oauth2.SetAuthURLParam("login_hint", pid))
	hc := &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	for range 10 {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, authURL, nil)
		if err != nil {
			return "", err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("login at the double: %d without a redirect", resp.StatusCode)
		}
		if code := loc.Query().Get("code"); code != "" && strings.HasPrefix(loc.String(), conf.RedirectURL) {
			tok, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
			if err != nil {
				return "", fmt.Errorf("token: %w", err)
			}
			return tok.AccessToken, nil
		}
		authURL = loc.String()
	}
	return "", errors.New("login at the double: too many redirects")
}
