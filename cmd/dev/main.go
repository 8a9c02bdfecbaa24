// Command dev runs the local stack on loopback: the Dialogporten emulator with a seeded
// scenario, the ID-porten double and the portal, wired together. It prints the portal's URL,
// the scenario and the test users, and stops on SIGINT/SIGTERM. `make run` runs it.
//
// With -client-secret and -redirect-uri the double also serves a separately started cmd/web
// (production wiring, configured from the environment); cmd/dev then prints that environment.
//
// It must never be reachable from cmd/web: it wires a fake identity provider and fake upstreams.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/innboks/innboks/internal/app"
	"github.com/innboks/innboks/internal/devprofile"
	"github.com/innboks/innboks/internal/devstack"
	"github.com/innboks/innboks/internal/dpemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	scenario               string
	seed                   uint64
	addr, emuAddr, idpAddr string
	metricsAddr            string
	logLevel               string
	dataDir                string

	// clientSecret, redirectURIs and postLogoutURIs register a separately started cmd/web at
	// the double (the dev portal's own client, with a secret the user chose).
	clientSecret                 string
	redirectURIs, postLogoutURIs []string
}

// callbackPath and loggedOutPath are where cmd/web takes the login and the logout back
// (PUBLIC_URL + path), as registered at ID-porten.
const (
	callbackPath  = "/auth/callback"
	loggedOutPath = "/logged-out"
)

// uriList is a repeatable flag of absolute http(s) URLs.
type uriList []string

func (l *uriList) String() string { return strings.Join(*l, " ") }

func (l *uriList) Set(v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") || u.Fragment != "" {
		return fmt.Errorf("want an absolute http(s) URL without a fragment, got %q", v)
	}
	*l = append(*l, v)
	return nil
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.scenario, "scenario", "default", "emulator scenario: "+strings.Join(dpemu.ScenarioNames(), ", "))
	fs.Uint64Var(&c.seed, "seed", 1, "scenario seed")
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "loopback address of the portal (port 0 picks a free one)")
	fs.StringVar(&c.emuAddr, "emulator-addr", "127.0.0.1:8081", "loopback address of the Dialogporten emulator")
	fs.StringVar(&c.idpAddr, "idporten-addr", "127.0.0.1:8082", "loopback address of the ID-porten double")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "127.0.0.1:8083", "loopback address of the portal's Prometheus metrics (empty: off)")
	fs.StringVar(&c.logLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&c.dataDir, "data-dir", "", "the portal's DATA_DIR: preferences and saved searches (default: the innboks/dev folder under the user's state folder, so they survive a restart; favourites and groups live in the emulator's Profile API)")
	fs.StringVar(&c.clientSecret, "client-secret", "", "the portal client's secret at the ID-porten double, for a separately started cmd/web (default: random, never printed)")
	fs.Var((*uriList)(&c.redirectURIs), "redirect-uri", "an extra redirect URI for the portal client, e.g. http://127.0.0.1:8090"+callbackPath+
		" for a cmd/web with that PUBLIC_URL; one ending in "+callbackPath+" also registers the "+loggedOutPath+" beside it (repeatable; needs -client-secret)")
	fs.Var((*uriList)(&c.postLogoutURIs), "post-logout-redirect-uri", "an extra post-logout redirect URI for the portal client (repeatable)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if len(c.redirectURIs) > 0 && c.clientSecret == "" {
		// The random secret is never printed, so a portal sent back to another URI could not
		// redeem its code.
		return c, errors.New("-redirect-uri needs -client-secret: a separately started portal must know the client's secret")
	}
	for _, r := range c.redirectURIs {
		if base, ok := strings.CutSuffix(r, callbackPath); ok && !slices.Contains(c.postLogoutURIs, base+loggedOutPath) {
			c.postLogoutURIs = append(c.postLogoutURIs, base+loggedOutPath)
		}
	}
	addrs := map[string]string{"-addr": c.addr, "-emulator-addr": c.emuAddr, "-idporten-addr": c.idpAddr}
	if c.metricsAddr != "" {
		addrs["-metrics-addr"] = c.metricsAddr
	}
	for name, a := range addrs {
		host, _, err := net.SplitHostPort(a)
		if err != nil {
			return c, fmt.Errorf("%s: %w", name, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return c, fmt.Errorf("%s %s: the dev stack listens on loopback only", name, a)
		}
	}
	if !slices.Contains(dpemu.ScenarioNames(), c.scenario) {
		return c, fmt.Errorf("-scenario %q: want one of %s", c.scenario, strings.Join(dpemu.ScenarioNames(), ", "))
	}
	return c, nil
}

// run starts the stack and blocks until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	if cfg.dataDir == "" {
		d, err := app.DefaultDataDir()
		if err != nil {
			return fmt.Errorf("-data-dir: %w", err)
		}
		cfg.dataDir = filepath.Join(d, "dev")
	}

	start := time.Now()
	st, err := devstack.Start(ctx, devstack.Options{
		DataDir:                cfg.dataDir,
		Scenario:               cfg.scenario,
		Seed:                   cfg.seed,
		PortalAddr:             cfg.addr,
		EmulatorAddr:           cfg.emuAddr,
		IDPortenAddr:           cfg.idpAddr,
		Logger:                 logger.With("srv", "portal"),
		EmulatorLogger:         logger.With("srv", "emulator"),
		IDPortenLogger:         logger.With("srv", "idporten"),
		ClientSecret:           cfg.clientSecret,
		RedirectURIs:           cfg.redirectURIs,
		PostLogoutRedirectURIs: cfg.postLogoutURIs,
	})
	if err != nil {
		return err
	}
	metricsURL := ""
	if cfg.metricsAddr != "" {
		ln, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			_ = st.Close(context.Background())
			return fmt.Errorf("-metrics-addr: %w", err)
		}
		msrv := st.App.Metrics.Server()
		go func() { _ = msrv.Serve(ln) }()
		defer msrv.Close()
		metricsURL = "http://" + ln.Addr().String() + "/metrics"
	}
	printBanner(stdout, st, cfg, metricsURL, time.Since(start))

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return st.Close(shutdownCtx)
}

// printBanner tells a newcomer where things are. The numbers printed are synthetic test data.
func printBanner(w io.Writer, st *devstack.Stack, cfg config, metricsURL string, took time.Duration) {
	fmt.Fprintf(w, "Innboks is running: open %s/\n\n", st.PortalURL)
	fmt.Fprintf(w, "  ID-porten double:       %s\n", st.IDPortenURL)
	fmt.Fprintf(w, "  Dialogporten emulator:  %s (base URL for clients)\n", st.Emulator.DialogportenURL())
	if metricsURL != "" {
		fmt.Fprintf(w, "  Portal metrics:         %s\n", metricsURL)
	}
	fmt.Fprintf(w, "  Scenario: %s (seed %d, %d dialogs, started in %s)\n", cfg.scenario, cfg.seed,
		st.Emulator.Store().DialogCount(), took.Round(time.Millisecond))
	fmt.Fprintf(w, "  Workspace store:        %s (preferences, saved searches)\n", cfg.dataDir)
	fmt.Fprintf(w, "  Altinn Profile API:     %s%s (favourites and party groups, in memory)\n\n", st.EmulatorURL, devprofile.Prefix)
	fmt.Fprintln(w, "Test users (pick one at the ID-porten double; synthetic national identity numbers):")
	for _, u := range st.Users() {
		fmt.Fprintf(w, "  %-22s %s  %s\n", u.Name, u.PID, u.Description)
	}
	if len(cfg.redirectURIs) > 0 {
		printWebEnv(w, st, cfg)
	}
	fmt.Fprintln(w, "\nStop with Ctrl-C.")
}

// printWebEnv tells how to start cmd/web against the double and the emulator. The client
// secret shown is the one the user gave on the command line; a random one is never printed.
func printWebEnv(w io.Writer, st *devstack.Stack, cfg config) {
	fmt.Fprintln(w, "\nTo try cmd/web (production wiring) against these doubles, start it with:")
	for _, kv := range webEnv(st, cfg) {
		fmt.Fprintf(w, "  %s=%s \\\n", kv[0], shellQuote(kv[1]))
	}
	fmt.Fprintln(w, "  go run ./cmd/web")
	fmt.Fprintln(w, `Logging in and out, the inbox, search, party switching and the dialog pages work there.
cmd/web's outbound fence refuses plain-http and loopback service-owner URLs, as in production,
so the emulator's front-channel content, attachment downloads and write/API actions are refused
(only the dev portal above may call them). Without EVENTS_WEBHOOK_SECRET it polls for changes;
front-channel logout reaches only the dev portal.`)
}

// webEnv is the environment for a separately started cmd/web: PUBLIC_URL from the first
// -redirect-uri that ends in /auth/callback.
func webEnv(st *devstack.Stack, cfg config) [][2]string {
	public := "<your portal's URL: its " + callbackPath + " must be a -redirect-uri>"
	listen := "<host:port of that URL>"
	for _, r := range cfg.redirectURIs {
		if base, ok := strings.CutSuffix(r, callbackPath); ok {
			public = base
			if u, err := url.Parse(base); err == nil {
				listen = u.Host
				if u.Port() == "" {
					listen = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
				}
			}
			break
		}
	}
	return [][2]string{
		{"PUBLIC_URL", public},
		{"LISTEN_ADDR", listen},
		{"IDPORTEN_ISSUER", st.IDPortenURL},
		{"IDPORTEN_CLIENT_ID", devstack.ClientID},
		{"IDPORTEN_CLIENT_SECRET", cfg.clientSecret},
		{"DIALOGPORTEN_URL", st.Emulator.DialogportenURL()},
		{"ALTINN_PLATFORM_URL", st.EmulatorURL},
		{"PROFILE_API_URL", st.EmulatorURL + devprofile.Prefix},
	}
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/@%+=,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
