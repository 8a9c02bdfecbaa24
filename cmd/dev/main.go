// Command dev runs the local stack on loopback: for now the Dialogporten emulator with a seeded
// scenario. It prints the URL, the scenario and the test users, and stops on SIGINT/SIGTERM.
//
// It must never be reachable from cmd/web: it wires fake identity and fake upstreams.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "dev:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	scenario string
	addr     string
	seed     uint64
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.scenario, "scenario", "default", "emulator scenario: "+strings.Join(dpemu.ScenarioNames(), ", "))
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8081", "loopback address of the emulator (port 0 picks a free one)")
	fs.Uint64Var(&c.seed, "seed", 1, "scenario seed")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return c, fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return c, fmt.Errorf("-addr %s: the dev stack listens on loopback only", c.addr)
	}
	return c, nil
}

// run starts the stack and blocks until ctx is done.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseFlags(args, stdout)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()
	base := "http://" + ln.Addr().String()

	start := time.Now()
	emu, err := dpemu.New(dpemu.Options{Scenario: cfg.scenario, Seed: cfg.seed, BaseURL: base, Logger: logger})
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu.Handler(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	printBanner(stdout, emu, cfg, time.Since(start))

	select {
	case <-ctx.Done():
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve: %w", err)
		}
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// printBanner tells a newcomer where things are. The pids printed are synthetic test data.
func printBanner(w io.Writer, emu *dpemu.Emulator, cfg config, took time.Duration) {
	fmt.Fprintf(w, "Dialogporten emulator: %s (base URL for clients)\n", emu.DialogportenURL())
	fmt.Fprintf(w, "Scenario: %s (seed %d, %d dialogs, built in %s)\n", cfg.scenario, cfg.seed, emu.Store().DialogCount(), took.Round(time.Millisecond))
	fmt.Fprintf(w, "Trusted platform issuer: %s\n", emu.Platform().Issuer())
	fmt.Fprintln(w, "Test users (synthetic national identity numbers):")
	for _, u := range emu.Users() {
		fmt.Fprintf(w, "  %-22s %s  %s\n", u.Name, u.PID, u.Description)
	}
}
