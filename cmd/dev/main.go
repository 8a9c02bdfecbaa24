// Command dev runs the local stack on loopback: the Dialogporten emulator with a seeded
// scenario, the ID-porten double and the portal, wired together. It prints the portal's URL,
// the scenario and the test users, and stops on SIGINT/SIGTERM. `make run` runs it.
//
// It must never be reachable from cmd/web: it wires a fake identity provider and fake upstreams.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

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
	if err := fs.Parse(args); err != nil {
		return c, err
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

	start := time.Now()
	st, err := devstack.Start(ctx, devstack.Options{
		Scenario:       cfg.scenario,
		Seed:           cfg.seed,
		PortalAddr:     cfg.addr,
		EmulatorAddr:   cfg.emuAddr,
		IDPortenAddr:   cfg.idpAddr,
		Logger:         logger.With("srv", "portal"),
		EmulatorLogger: logger.With("srv", "emulator"),
		IDPortenLogger: logger.With("srv", "idporten"),
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
	fmt.Fprintf(w, "  Scenario: %s (seed %d, %d dialogs, started in %s)\n\n", cfg.scenario, cfg.seed,
		st.Emulator.Store().DialogCount(), took.Round(time.Millisecond))
	fmt.Fprintln(w, "Test users (pick one at the ID-porten double; synthetic national identity numbers):")
	for _, u := range st.Users() {
		fmt.Fprintf(w, "  %-22s %s  %s\n", u.Name, u.PID, u.Description)
	}
	fmt.Fprintln(w, "\nStop with Ctrl-C.")
}
