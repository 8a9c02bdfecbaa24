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
//
// By default the loop is closed: each session requests again as soon as an answer is in (-think
// adds a pause), so latency rises with the sessions until the stack is saturated. -rate makes
// it open: page views arrive at that rate whatever the portal does, and latency counts from
// each arrival. -find-capacity ramps the rate and reports the highest at which every step's
// p99 stays within -p99 with no errors:
//
//	go run ./cmd/load -users 200 -duration 15s -find-capacity -rate 100
//
// -cpuprofile, -mutexprofile and -blockprofile profile the load phase (in-process, the
// emulator, the double, the portal and the harness share the process).
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
	prof       profiles

	rate         float64       // open loop: page views per second (0: closed loop)
	think        time.Duration // closed loop: mean pause before each request
	findCapacity bool
	p99          time.Duration // -find-capacity: the p99 every step must hold
	growth       float64       // -find-capacity: rate factor per phase while it holds
	maxPhases    int
}

// mode is the load's shape in words.
func (c config) mode() string {
	switch {
	case c.findCapacity:
		return fmt.Sprintf("open loop, finding the capacity at p99 ≤ %s", ms(c.p99))
	case c.rate > 0:
		return fmt.Sprintf("open loop, %.0f page views/s", c.rate)
	case c.think > 0:
		return fmt.Sprintf("closed loop, think time %s", c.think)
	}
	return "closed loop, no think time"
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
	fs.Float64Var(&c.rate, "rate", 0, "open loop: page views per second arriving at random (Poisson), shared by the sessions; latency counts from each arrival (default: closed loop)")
	fs.DurationVar(&c.think, "think", 0, "closed loop: mean think time before each request (exponentially distributed)")
	fs.BoolVar(&c.findCapacity, "find-capacity", false, "ramp the open-loop rate (from -rate, each phase -duration long) and report the highest with every step's p99 within -p99 and no errors")
	fs.DurationVar(&c.p99, "p99", 150*time.Millisecond, "with -find-capacity: the p99 latency every step must hold")
	fs.Float64Var(&c.growth, "growth", 1.5, "with -find-capacity: the rate's factor from one phase to the next while it holds")
	fs.IntVar(&c.maxPhases, "max-phases", 14, "with -find-capacity: at most this many phases")
	fs.StringVar(&c.prof.cpu, "cpuprofile", "", "write a CPU profile of the load phase to this file")
	fs.StringVar(&c.prof.mutex, "mutexprofile", "", "write a mutex contention profile of the load phase to this file")
	fs.StringVar(&c.prof.block, "blockprofile", "", "write a blocking profile of the load phase to this file")
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
	if c.rate < 0 {
		errs = append(errs, errors.New("-rate: want a positive rate, or 0 for a closed loop"))
	}
	if c.think < 0 {
		errs = append(errs, errors.New("-think: want a duration of 0 or more"))
	}
	if c.rate > 0 && c.think > 0 {
		errs = append(errs, errors.New("-think: only in a closed loop (with -rate the arrivals set the pace)"))
	}
	if c.findCapacity {
		if c.rate == 0 {
			c.rate = 50
		}
		if c.think > 0 {
			errs = append(errs, errors.New("-find-capacity: runs open loop, without -think"))
		}
		if c.p99 <= 0 || c.growth <= 1 || c.maxPhases < 1 {
			errs = append(errs, errors.New("-find-capacity: want -p99 > 0, -growth > 1 and -max-phases ≥ 1"))
		}
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
