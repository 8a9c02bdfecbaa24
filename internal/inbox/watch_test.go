package inbox

import (
	"context"
	"encoding/base64"
	"errors"
	"strconv"
	"testing"
	"time"
)

func jwtWithExp(exp int64) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(`{"alg":"EdDSA"}`)) + "." + enc.EncodeToString([]byte(`{"i":"x","exp":`+strconv.FormatInt(exp, 10)+`}`)) + ".sig"
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		name string
		tok  string
		want time.Time
	}{
		{"exp claim", jwtWithExp(now.Unix() + 600), now.Add(600 * time.Second)},
		{"not a JWT", "opaque", now.Add(dialogTokenFallback)},
		{"payload not base64", "a.%%%.c", now.Add(dialogTokenFallback)},
		{"no exp", "e30." + base64.RawURLEncoding.EncodeToString([]byte(`{}`)) + ".s", now.Add(dialogTokenFallback)},
	} {
		if got := tokenExpiry(tc.tok, now); !got.Equal(tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestWatchTokens: the ownership check happens before any watch; the first token is the one
// just loaded (no second fetch), later ones are fetched afresh with the watch's own context,
// which outlives the request that started it.
func TestWatchTokens(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	if _, err := h.svc.WatchTokens(t.Context(), h.user, h.ix, svForeign); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a dialog of a party not in the index: %v, want ErrNotFound", err)
	}
	req, cancel := context.WithCancel(context.Background())
	src, err := h.svc.WatchTokens(req, h.user, h.ix, svDialog)
	if err != nil {
		t.Fatal(err)
	}
	cancel() // the request is over; the watch goes on
	loads := len(h.dp.calls("/api/v1/enduser/dialogs/" + svDialog))
	tok, exp, err := src(context.Background())
	if err != nil || tok != svDialogToken || exp.IsZero() {
		t.Fatalf("first token: %q %v %v, want the loaded one", tok, exp, err)
	}
	if n := len(h.dp.calls("/api/v1/enduser/dialogs/" + svDialog)); n != loads {
		t.Errorf("the first token cost %d more fetches, want none", n-loads)
	}
	if tok, _, err = src(context.Background()); err != nil || tok != svDialogToken {
		t.Fatalf("renewal: %q %v", tok, err)
	}
	if n := len(h.dp.calls("/api/v1/enduser/dialogs/" + svDialog)); n != loads+1 {
		t.Errorf("a renewal made %d fetches, want 1", n-loads)
	}
}
