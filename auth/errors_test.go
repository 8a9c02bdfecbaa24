package auth_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/innboks/innboks/auth"
)

func TestErrorWrapsAndNames(t *testing.T) {
	t.Parallel()
	cause := errors.New("cause")
	var err error = fmt.Errorf("callback: %w", &auth.Error{Kind: auth.KindNonce, Status: 400, Err: cause})
	var e *auth.Error
	if !errors.As(err, &e) || e.Kind != auth.KindNonce || !errors.Is(err, cause) {
		t.Fatalf("errors.As/Is through %v failed", err)
	}
	if got, want := e.Error(), "auth: nonce: cause"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	kinds := map[auth.ErrorKind]string{
		auth.KindState: "state", auth.KindIssuer: "issuer", auth.KindProvider: "provider", auth.KindCode: "code",
		auth.KindIDToken: "id_token", auth.KindNonce: "nonce", auth.KindACR: "acr", auth.KindIdentity: "identity",
		auth.KindSession: "session", auth.KindRequest: "request", auth.KindConfig: "config", auth.ErrorKind(99): "kind(99)",
	}
	for k, want := range kinds {
		if got := k.String(); got != want {
			t.Errorf("ErrorKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
