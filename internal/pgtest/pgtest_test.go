package pgtest

import (
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestServerStartsAndStops(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	dsn := s.NewDatabase(t)
	c, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c.QueryRow(t.Context(), "SELECT 1 + 1").Scan(&n); err != nil || n != 2 {
		t.Fatalf("got %d, %v; want 2", n, err)
	}
	_ = c.Close(t.Context())
	s.Stop()
	if err := s.cmd.Process.Signal(nil); err == nil {
		t.Fatalf("postgres (pid %d) still runs after Stop", s.cmd.Process.Pid)
	}
	if _, err := pgx.Connect(t.Context(), dsn); err == nil {
		t.Fatal("connected after Stop")
	}
}
