package live

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/dpemu"
)

// The client (dpclient) and the emulator (internal/dpemu) read the subscription's spec
// independently; here they meet, under a DialogWatch.
func TestDialogWatchAgainstTheEmulator(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(nil)
	emu, err := dpemu.New(dpemu.Options{BaseURL: "http://" + srv.Listener.Addr().String()})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = emu.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	client, err := dpclient.New(emu.DialogportenURL(), dpclient.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	newDialog := func() uuid.UUID {
		id, err := emu.Store().CreateDialog(&dpemu.Dialog{ServiceResource: "urn:altinn:resource:live-test", Party: "urn:altinn:organization:identifier-no:912345678"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	sign := func(id uuid.UUID, at time.Time) string {
		tok, err := emu.DialogTokens().Sign(dpemu.DialogTokenClaims{DialogID: id.String(), Actions: "read"}, at)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	id, other := newDialog(), newDialog()

	t.Run("events reach the watcher", func(t *testing.T) {
		w, err := NewDialogWatch(DialogWatchOptions{Upstream: client})
		if err != nil {
			t.Fatal(err)
		}
		dw, err := w.Watch("user-1", id.String(), func(context.Context) (string, time.Time, error) {
			return sign(id, time.Now()), time.Now().Add(dpemu.DialogTokenLifetime), nil
		})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, dw, DialogWatchUp)
		eventually(t, "the emulator to hold the stream", func() bool { return emu.OpenDialogEventStreams() == 1 })
		if err := emu.Store().SetStatus(id, dpemu.StatusCompleted, ""); err != nil {
			t.Fatal(err)
		}
		expect(t, dw, string(dpclient.DialogEventUpdated))
		if err := emu.Store().DeleteDialog(id); err != nil {
			t.Fatal(err)
		}
		expect(t, dw, string(dpclient.DialogEventDeleted))
		dw.Close()
		eventually(t, "the emulator to see the stream close", func() bool { return emu.OpenDialogEventStreams() == 0 })
	})

	t.Run("the emulator refuses another dialog's token", func(t *testing.T) {
		_, err := client.SubscribeDialogEvents(context.Background(), id.String(), sign(other, time.Now()))
		var de *dpclient.Error
		if !errors.As(err, &de) || de.StatusCode != 403 || !errors.Is(err, dpclient.ErrForbidden) {
			t.Fatalf("got %v, want a 403 *dpclient.Error", err)
		}
	})

	t.Run("the emulator refuses an expired token", func(t *testing.T) {
		_, err := client.SubscribeDialogEvents(context.Background(), id.String(), sign(id, time.Now().Add(-dpemu.DialogTokenLifetime-time.Minute)))
		if !errors.Is(err, dpclient.ErrUnauthorized) {
			t.Fatalf("got %v, want ErrUnauthorized", err)
		}
	})
}
