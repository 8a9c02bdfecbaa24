package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/live"
)

const testHookSecret = "0123456789abcdef0123456789abcdef-hook"

// newLiveHarness is the web layer over fakes with live updates on (secret and hub), or off.
func newLiveHarness(t *testing.T, secret string, hub live.Hub) *harness {
	t.Helper()
	return newLiveHarnessWith(t, LiveConfig{Secret: secret, Hub: hub})
}

// newLiveHarnessWith is newLiveHarness with the whole LiveConfig (a short heartbeat and a
// session check against the fake sessions are added).
func newLiveHarnessWith(t *testing.T, lc LiveConfig) *harness {
	t.Helper()
	a := newFakeAuth()
	dp := &fakeDP{parties: testParties()}
	lc.Heartbeat = 20 * time.Millisecond
	lc.SessionAlive = func(_ context.Context, id string) bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		_, ok := a.sessions[id]
		return ok
	}
	cfg := Config{
		PublicURL:     "https://innboks.test",
		SecureCookies: true,
		Security:      SecurityConfig{IdPOrigins: []string{"https://idp.test"}, HSTS: true},
		Live:          lc,
	}
	return &harness{t: t, srv: newTestServer(cfg, a, dp), auth: a, dp: dp, cfg: cfg}
}

func postEvent(h *harness, query, contentType, body string) *httptest.ResponseRecorder {
	h.t.Helper()
	r := httptest.NewRequest(http.MethodPost, "https://innboks.test/events"+query, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	// A server-to-server call: no cookies, no CSRF token, no Origin or Sec-Fetch-Site.
	rec := httptest.NewRecorder()
	h.srv.Echo.ServeHTTP(rec, r)
	return rec
}

const (
	kariURN     = "urn:altinn:person:identifier-no:01017012345"
	testDialog1 = "0190fbd7-0000-7000-8000-000000000001"
)

func dialogEvent(id, typ string) string {
	return `{"specversion":"1.0","id":"` + id + `","type":"` + typ + `","time":"2026-03-10T12:00:00Z",` +
		`"source":"https://dp.test/dialogporten/api/v1/enduser/dialogs/` + testDialog1 + `",` +
		`"subject":"` + kariURN + `","resource":"urn:altinn:resource:skattemelding","resourceinstance":"` + testDialog1 + `"}`
}

func TestEventsWebhook(t *testing.T) {
	t.Parallel()
	hub := live.NewMemoryHub(0)
	h := newLiveHarness(t, testHookSecret, hub)
	sub := hub.Subscribe([]string{kariURN})
	defer sub.Close()
	ok := "?secret=" + testHookSecret
	handshake := `{"specversion":"1.0","id":"h1","type":"platform.events.validatesubscription","source":"https://platform.test/events/api/v1/subscriptions/1"}`

	for _, tc := range []struct {
		name, query, ctype, body string
		want                     int
		published                bool
	}{
		{"handshake", ok, "application/json", handshake, http.StatusOK, false},
		{"no secret", "", "application/json", handshake, http.StatusUnauthorized, false},
		{"wrong secret", "?secret=" + strings.Repeat("x", len(testHookSecret)), "application/json", handshake, http.StatusUnauthorized, false},
		{"secret prefix", "?secret=" + testHookSecret[:10], "application/json", handshake, http.StatusUnauthorized, false},
		{"form body", ok, "application/x-www-form-urlencoded", "a=b", http.StatusUnsupportedMediaType, false},
		{"not json", ok, "application/json", "{", http.StatusBadRequest, false},
		{"no id", ok, "application/json", `{"specversion":"1.0","type":"dialogporten.dialog.updated.v1","subject":"x"}`, http.StatusBadRequest, false},
		{"oversized", ok, "application/json", `{"specversion":"1.0","id":"big","type":"t","data":"` + strings.Repeat("a", 70<<10) + `"}`, http.StatusRequestEntityTooLarge, false},
		{"other type ignored", ok, "application/json", `{"specversion":"1.0","id":"o1","type":"app.instance.created","subject":"` + kariURN + `"}`, http.StatusOK, false},
		{"dialog event", ok, "application/cloudevents+json; charset=utf-8", dialogEvent("e1", "dialogporten.dialog.updated.v1"), http.StatusOK, true},
		{"duplicate ignored", ok, "application/json", dialogEvent("e1", "dialogporten.dialog.updated.v1"), http.StatusOK, false},
		{"next event", ok, "application/json", dialogEvent("e2", "dialogporten.dialog.activity.closed.v1"), http.StatusOK, true},
	} {
		rec := postEvent(h, tc.query, tc.ctype, tc.body)
		if rec.Code != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, rec.Code, tc.want)
		}
		// Round trip through the hub with a marker, so "nothing published" is checked for real.
		_ = hub.Publish(context.Background(), live.Event{ID: "marker", Subject: kariURN})
		got := <-sub.C()
		if tc.published {
			if got.ID == "marker" {
				t.Errorf("%s: nothing published, want the event", tc.name)
				continue
			}
			if got.DialogID != testDialog1 || got.Subject != kariURN {
				t.Errorf("%s: published %+v, want dialog %s of %s", tc.name, got, testDialog1, kariURN)
			}
			got = <-sub.C()
		}
		if got.ID != "marker" {
			t.Errorf("%s: published %+v, want nothing", tc.name, got)
		}
	}
}

func TestEventsWebhookOffWithoutSecret(t *testing.T) {
	t.Parallel()
	h := newLiveHarness(t, "", live.NewMemoryHub(0))
	for _, q := range []string{"", "?secret=", "?secret=anything"} {
		if rec := postEvent(h, q, "application/json", dialogEvent("e1", "dialogporten.dialog.updated.v1")); rec.Code != http.StatusNotFound {
			t.Errorf("POST /events%s without a configured secret: %d, want 404", q, rec.Code)
		}
	}
}
