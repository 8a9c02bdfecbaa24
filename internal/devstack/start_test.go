package devstack

import (
	"context"
	"net"
	"testing"
)

// TestStartFailsCleanly: a Start that fails returns an error and a nil Stack, does not panic
// (it once closed the nil Stack it had just returned), and leaves none of its ports open.
func TestStartFailsCleanly(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		busy string // which address is taken by another listener
		env  map[string]string
	}{
		{name: "cancelled context", ctx: cancelled},
		{name: "emulator port taken", ctx: context.Background(), busy: "emulator"},
		{name: "portal port taken", ctx: context.Background(), busy: "portal"},
		{name: "bad portal config after the doubles serve", ctx: context.Background(),
			env: map[string]string{"SESSION_IDLE_TIMEOUT": "soon"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			addrs := map[string]string{"emulator": freeAddr(t), "idporten": freeAddr(t), "portal": freeAddr(t)}
			if tc.busy != "" {
				ln, err := net.Listen("tcp", addrs[tc.busy])
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
			}
			var st *Stack
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Fatalf("Start panicked: %v", p)
					}
				}()
				st, err = Start(tc.ctx, Options{
					EmulatorAddr: addrs["emulator"], IDPortenAddr: addrs["idporten"], PortalAddr: addrs["portal"],
					Env: tc.env,
				})
			}()
			if err == nil {
				_ = st.Close(context.Background())
				t.Fatal("Start: got nil error, want one")
			}
			if st != nil {
				t.Errorf("Start failed with %v but returned a Stack", err)
			}
			for name, a := range addrs {
				if name == tc.busy {
					continue
				}
				ln, err := net.Listen("tcp", a)
				if err != nil {
					t.Errorf("the %s address %s is still held after the failed Start: %v", name, a, err)
					continue
				}
				ln.Close()
			}
		})
	}
}

// TestCloseNilStack: closing the nil Stack of a failed Start, as a deferred cleanup may, is a
// no-op.
func TestCloseNilStack(t *testing.T) {
	t.Parallel()
	var st *Stack
	if err := st.Close(context.Background()); err != nil {
		t.Fatalf("Close on a nil Stack: got %v, want nil", err)
	}
}

// freeAddr returns a loopback address no one listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
