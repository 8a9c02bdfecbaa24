// Command web is the Innboks portal, configured from environment variables (see internal/app).
// It never contains the Dialogporten emulator or the ID-porten double.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Oslo in the distroless image, which has no zoneinfo

	"github.com/innboks/innboks/internal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "innboks:", err)
		os.Exit(1)
	}
}

// run loads the configuration, builds the portal, serves until ctx ends and shuts down
// gracefully. ready, when given, receives the listening address.
func run(ctx context.Context, getenv func(string) string, stdout io.Writer, ready ...chan<- string) error {
	cfg, err := app.Load(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{Level: cfg.LogLevel}))

	a, err := app.New(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.Close()

	ln, err := net.Listen("tcp", cfg.ListenAddr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	// Open live-update (SSE) streams end when shutdown starts, so it need not wait for them.
	srv.RegisterOnShutdown(a.EndStreams)
	errc := make(chan error, 2)
	if cfg.MetricsAddr != "" {
		// /metrics has its own listener, never the public router (METRICS_ADDR).
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			_ = ln.Close()
			return fmt.Errorf("metrics listen: %w", err)
		}
		msrv := a.Metrics.Server()
		msrv.ErrorLog = srv.ErrorLog
		go func() { errc <- msrv.Serve(mln) }()
		defer msrv.Close()
		logger.Info("metrics listening", "addr", mln.Addr().String())
	}
	logger.Info("listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL)
	for _, ch := range ready {
		ch <- ln.Addr().String()
	}

	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
