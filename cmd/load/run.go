package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	dto "github.com/prometheus/client_model/go"
	"golang.org/x/sync/errgroup"

	"github.com/innboks/innboks/internal/devstack"
)

// Report is the outcome of a run.
type Report struct {
	Target        string
	Scenario      string // empty for a running portal
	Users         int
	Elapsed       time.Duration // wall time of the load phase
	Loops         int           // session loops completed
	DialogsServed bool          // /dialogs/{id} answered 200 (else the dialog step is skipped)
	Steps         []StepReport
	Routes        []RouteReport // nil without metrics
	Probe         []ProbeReport // nil without metrics or with -probe=false

	Mode     string          // closed loop (with think time) or open loop at a rate
	Rate     float64         // open loop: the arrival rate of page views per second (0: closed loop)
	PeakBusy int64           // open loop: the most sessions in a request at once
	Capacity *CapacityReport // -find-capacity: the ramp; the figures above are its best phase
}

// run parses args, prepares the target, logs the sessions in, probes, loads and reports.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (*Report, error) {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback only, never through a proxy from the environment
	tr.MaxIdleConnsPerHost = 2*cfg.users + 4
	defer tr.CloseIdleConnections()

	rep := &Report{Target: cfg.portal, Users: cfg.users, Mode: cfg.mode()}
	var gather gatherFunc
	pids := cfg.pids
	if cfg.portal == "" {
		fmt.Fprintf(stderr, "starting the local stack (scenario %s)…\n", cfg.scenario)
		quiet := slog.New(slog.DiscardHandler)
		st, err := devstack.Start(ctx, devstack.Options{
			Scenario: cfg.scenario, Seed: cfg.seed,
			// The portal's warnings and errors (with their causes) explain failed steps.
			Logger:         slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
			EmulatorLogger: quiet, IDPortenLogger: quiet,
		})
		if err != nil {
			return nil, fmt.Errorf("start the stack: %w", err)
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			_ = st.Close(sctx)
		}()
		rep.Target, rep.Scenario = st.PortalURL, cfg.scenario
		gather = func(context.Context) ([]*dto.MetricFamily, error) { return st.App.Metrics.Registry.Gather() }
		if len(pids) == 0 {
			for _, u := range st.Users() {
				pids = append(pids, u.PID)
			}
		}
	} else if cfg.metrics != "" {
		gather = scrape(&http.Client{Transport: tr, Timeout: 10 * time.Second}, cfg.metrics)
	}
	if len(pids) == 0 {
		if pids, err = pickerUsers(ctx, rep.Target, tr); err != nil {
			return nil, err
		}
	}

	fmt.Fprintf(stderr, "logging in %d sessions…\n", cfg.users)
	rec := newRecorder()
	sessions := make([]*session, cfg.users)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i := range sessions {
		g.Go(func() error {
			s, err := newSession(rep.Target, tr, i, cfg.seed+uint64(i))
			if err != nil {
				return err
			}
			start := time.Now()
			_, err = s.login(gctx, pids[i%len(pids)])
			rec.add(stepLogin, time.Since(start), 0, false, 0, err)
			sessions[i] = s
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}

	rep.DialogsServed = dialogsServed(ctx, sessions[0])
	if gather != nil && cfg.probe {
		fmt.Fprintln(stderr, "probing upstream calls per step…")
		if rep.Probe, err = probe(ctx, rep.Target, tr, pids[0], gather, rep.DialogsServed); err != nil {
			return nil, err
		}
	}

	if err := cfg.prof.start(); err != nil {
		return nil, err
	}
	defer func() { _ = cfg.prof.stop() }() // stop is idempotent: an early return still ends the CPU profile
	rep.Steps = rec.report(0)              // the logins; the load's steps follow
	if cfg.findCapacity {
		if rep.Capacity, err = findCapacity(ctx, cfg, sessions, gather, rep, stderr); err != nil {
			return nil, err
		}
	} else {
		fmt.Fprintf(stderr, "loading for %s with %d sessions (%s)…\n", cfg.duration, cfg.users, cfg.mode())
		ph, err := loadPhase(ctx, cfg, sessions, cfg.rate, gather, rep.DialogsServed)
		if err != nil {
			return nil, err
		}
		rep.setPhase(ph)
	}
	if err := cfg.prof.stop(); err != nil {
		return nil, err
	}
	printReport(stdout, rep)
	return rep, nil
}

// dialogsServed asks whether /dialogs/{id} answers 200 for one of the first rows of the
// inbox (the dialog routes may not be mounted yet; a single dialog may refuse to open).
func dialogsServed(ctx context.Context, s *session) bool {
	for _, row := range s.rows[:min(3, len(s.rows))] {
		if p, err := s.get(ctx, row, nil); err == nil && p.status == http.StatusOK {
			return true
		}
	}
	return false
}

// probe runs loops of a lone session step by step, reading the portal's upstream counters
// around each step: the calls one page view makes with cold and with warm caches.
// Nothing else loads the portal meanwhile.
func probe(ctx context.Context, base string, tr http.RoundTripper, pid string, gather gatherFunc, dialogs bool) ([]ProbeReport, error) {
	s, err := newSession(base, tr, 0, 0)
	if err != nil {
		return nil, err
	}
	var errs []error
	read := func() counts {
		fams, err := gather(ctx)
		if err != nil {
			errs = append(errs, err)
		}
		return readCounts(fams)
	}
	byStep := map[string]*ProbeReport{}
	var order []string
	pass := 0
	h := func(step string) func() {
		before := read()
		return func() {
			d := diff(before, read())
			pr := byStep[step]
			if pr == nil {
				pr = &ProbeReport{Step: step}
				byStep[step] = pr
				order = append(order, step)
			}
			if pass == 0 {
				pr.Cold = d
			} else {
				pr.Warm = d
			}
		}
	}
	after := h(stepLogin)
	_, err = s.login(ctx, pid)
	after()
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	rec := newRecorder()
	// Pass 0: the landing party, cold. Pass 1: the same party again, warm. Then a party
	// group ("all organisations") when the chooser offers one: its steps are named apart.
	var groups []string
	for pass = range 2 {
		s.choices = nil
		s.iterate(ctx, ctx, 0, rec, h, dialogs)
		for _, c := range s.choices {
			if strings.HasPrefix(partyOf(c), "all-") {
				groups = append(groups, c)
			}
		}
	}
	if len(groups) > 0 {
		pass = 0
		s.choices = groups[:1]
		s.iterate(ctx, ctx, 0, rec, h, dialogs)
	}
	for _, st := range rec.report(0) {
		if st.Errors > 0 {
			errs = append(errs, fmt.Errorf("probe %s: %s", st.Name, st.ErrorSamples[0]))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	out := make([]ProbeReport, 0, len(order))
	for _, st := range order {
		out = append(out, *byStep[st])
	}
	return out, nil
}

// pickerUsers reads the test users from the ID-porten double's picker, for a running stack
// started without -pid.
func pickerUsers(ctx context.Context, base string, tr http.RoundTripper) ([]string, error) {
	s, err := newSession(base, tr, 0, 0)
	if err != nil {
		return nil, err
	}
	p, err := s.get(ctx, "/login?return_to=%2Finbox", nil)
	if err != nil {
		return nil, fmt.Errorf("read the double's users: %w", err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
	if err != nil {
		return nil, err
	}
	var pids []string
	doc.Find(`[data-testid="user"] .pid`).Each(func(_ int, sel *goquery.Selection) {
		pids = append(pids, sel.Text())
	})
	if len(pids) == 0 {
		return nil, errors.New("the login page lists no test users: pass -pid")
	}
	return pids, nil
}
