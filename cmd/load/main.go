// Command load drives the portal with synthetic sessions and reports latency, throughput,
// bytes and upstream calls per page view. It starts the local stack in-process (emulator,
// ID-porten double, portal) or targets a running one (`make run`) with -portal. Only loopback
// targets are accepted.
//
//	go run ./cmd/load -scenario default -users 20 -duration 20s
//	go run ./cmd/load -portal http://127.0.0.1:8080 -users 5 -duration 10s
//
// Each session logs in through the double (login_hint), then loops until its iteration cap or
// the duration runs out: inbox, search, "show more", party chooser search and a dialog page,
// alternating plain requests and the htmx variants the pages use.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// config is what the flags say.
type config struct {
	scenario   string
	seed       uint64
	users      int
	duration   time.Duration
	iterations int
	portal     string // empty: start the stack in-process
	metrics    string // the running portal's /metrics URL (with -portal)
	pids       []string
	probe      bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	var pids string
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.scenario, "scenario", "default", "emulator scenario of the in-process stack: "+strings.Join(dpemu.ScenarioNames(), ", "))
	fs.Uint64Var(&c.seed, "seed", 1, "scenario seed of the in-process stack")
	fs.IntVar(&c.users, "users", 10, "concurrent sessions")
	fs.DurationVar(&c.duration, "duration", 20*time.Second, "how long the sessions loop")
	fs.IntVar(&c.iterations, "iterations", 10000, "at most this many loops per session")
	fs.StringVar(&c.portal, "portal", "", "URL of a running portal on loopback (default: start the stack in-process)")
	fs.StringVar(&c.metrics, "metrics", "", "the running portal's metrics URL, e.g. http://127.0.0.1:9090/metrics (with -portal)")
	fs.StringVar(&pids, "pid", "", "comma-separated test users' national identity numbers (default: every user the double offers)")
	fs.BoolVar(&c.probe, "probe", true, "before the load, measure upstream calls per step with one sequential session")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	for p := range strings.SplitSeq(pids, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.pids = append(c.pids, p)
		}
	}
	var errs []error
	if c.users < 1 {
		errs = append(errs, errors.New("-users: want at least 1"))
	}
	if c.duration <= 0 {
		errs = append(errs, errors.New("-duration: want a positive duration"))
	}
	if c.iterations < 1 {
		errs = append(errs, errors.New("-iterations: want at least 1"))
	}
	if c.portal == "" && !slices.Contains(dpemu.ScenarioNames(), c.scenario) {
		errs = append(errs, fmt.Errorf("-scenario %q: want one of %s", c.scenario, strings.Join(dpemu.ScenarioNames(), ", ")))
	}
	if c.metrics != "" && c.portal == "" {
		errs = append(errs, errors.New("-metrics: only with -portal (in-process the registry is read directly)"))
	}
	c.portal = strings.TrimSuffix(c.portal, "/")
	for name, u := range map[string]string{"-portal": c.portal, "-metrics": c.metrics} {
		if u != "" {
			if err := checkLoopbackURL(u); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	return c, errors.Join(errs...)
}

// checkLoopbackURL accepts http(s) URLs on loopback hosts only: the harness never loads
// anything else.
func checkLoopbackURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an absolute http(s) URL, got %q", raw)
	}
	if !isLoopback(u.Hostname()) {
		return fmt.Errorf("%s is not a loopback host", u.Hostname())
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
