package serviceowner_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

type subBody struct {
	ID             int    `json:"id"`
	EndPoint       string `json:"endPoint"`
	ResourceFilter string `json:"resourceFilter"`
	SubjectFilter  string `json:"subjectFilter"`
	Consumer       string `json:"consumer"`
	Validated      bool   `json:"validated"`
}

func TestEventsSubscriptionAPI(t *testing.T) {
	t.Parallel()
	e := setup(t)
	pub, err := events.New(events.Options{Store: e.store, DialogportenBase: e.base + "/dialogporten", Retries: []time.Duration{time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	side, err := serviceowner.New(serviceowner.Options{Store: e.store, BaseURL: e.base, PlatformSigner: e.side.Signer(), Events: pub})
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(side.Handler())
	defer api.Close()

	var mu sync.Mutex
	var got []events.CloudEvent
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev events.CloudEvent
		_ = json.NewDecoder(r.Body).Decode(&ev)
		mu.Lock()
		got = append(got, ev)
		mu.Unlock()
	}))
	defer hook.Close()
	received := func() []events.CloudEvent {
		mu.Lock()
		defer mu.Unlock()
		return append([]events.CloudEvent(nil), got...)
	}

	tok := e.exchange(t, "altinn:events.subscribe", nil)
	post := func(tok string, body map[string]any) (*http.Response, string) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", api.URL+"/events/api/v1/subscriptions", bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		rb, _ := io.ReadAll(resp.Body)
		return resp, string(rb)
	}
	good := map[string]any{"endPoint": hook.URL + "/events?secret=x", "resourceFilter": appRes, "subjectFilter": personURN}
	refusals := []struct {
		name  string
		tok   string
		body  map[string]any
		wantS int
	}{
		{"no token", "", good, 401},
		{"missing scope", e.exchange(t, "altinn:correspondence.read", nil), good, 403},
		{"no resource filter", tok, map[string]any{"endPoint": hook.URL, "subjectFilter": personURN}, 400},
		{"relative endpoint", tok, map[string]any{"endPoint": "/hook", "resourceFilter": appRes, "subjectFilter": personURN}, 400},
		{"source filter", tok, map[string]any{"endPoint": hook.URL, "resourceFilter": appRes, "subjectFilter": personURN, "sourceFilter": "x"}, 400},
		{"no subject filter", tok, map[string]any{"endPoint": hook.URL, "resourceFilter": appRes}, 400},
		{"subject without rights", tok, map[string]any{"endPoint": hook.URL, "resourceFilter": corrRes, "subjectFilter": orgURN}, 403},
	}
	for _, tc := range refusals {
		if resp, body := post(tc.tok, tc.body); resp.StatusCode != tc.wantS {
			t.Errorf("%s: got %d, want %d (%s)", tc.name, resp.StatusCode, tc.wantS, body)
		}
	}

	resp, body := post(tok, good)
	if resp.StatusCode != 201 {
		t.Fatalf("create: got %d (%s)", resp.StatusCode, body)
	}
	var sb subBody
	_ = json.Unmarshal([]byte(body), &sb)
	if sb.ID != 1 || sb.ResourceFilter != appRes || sb.SubjectFilter != personURN || sb.Validated || sb.Consumer == "" {
		t.Errorf("created subscription: %+v", sb)
	}
	if loc := resp.Header.Get("Location"); loc != "/events/api/v1/subscriptions/1" {
		t.Errorf("Location: got %q", loc)
	}
	waitUntil(t, "the handshake", func() bool { return len(received()) >= 1 })
	if ev := received()[0]; ev.Type != events.TypeValidateSubscription {
		t.Errorf("first event: got %s, want the handshake", ev.Type)
	}
	waitUntil(t, "validated", func() bool {
		_, b := e.do("GET", api.URL+"/events/api/v1/subscriptions/1", tok)
		return json.Unmarshal([]byte(b), &sb) == nil && sb.Validated
	})

	// Matching events arrive; other resources and parties do not.
	if err := e.store.SetStatus(e.corr.ID, dpemu.StatusCompleted, ""); err != nil { // corrRes: filtered out
		t.Fatal(err)
	}
	if err := e.store.SetStatus(e.app.ID, dpemu.StatusCompleted, ""); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the app dialog's event", func() bool { return len(received()) >= 2 })
	if evs := received(); len(evs) != 2 || evs[1].ResourceInstance != e.app.ID.String() {
		t.Errorf("events after the handshake: %+v", evs[1:])
	}

	var list struct {
		Count int `json:"count"`
	}
	_, lb := e.do("GET", api.URL+"/events/api/v1/subscriptions", tok)
	if _ = json.Unmarshal([]byte(lb), &list); list.Count != 1 {
		t.Errorf("list: got %s", lb)
	}
	stranger := e.exchange(t, "altinn:events.subscribe", func(c map[string]any) { c["pid"] = otherPID })
	if resp, _ := e.do("GET", api.URL+"/events/api/v1/subscriptions/1", stranger); resp.StatusCode != 403 {
		t.Errorf("another user's subscription: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := e.do("DELETE", api.URL+"/events/api/v1/subscriptions/1", stranger); resp.StatusCode != 403 {
		t.Errorf("another user deletes: got %d, want 403", resp.StatusCode)
	}
	if resp, _ := e.do("DELETE", api.URL+"/events/api/v1/subscriptions/1", tok); resp.StatusCode != 200 {
		t.Errorf("delete: got %d, want 200", resp.StatusCode)
	}
	if resp, _ := e.do("GET", api.URL+"/events/api/v1/subscriptions/1", tok); resp.StatusCode != 404 {
		t.Errorf("after delete: got %d, want 404", resp.StatusCode)
	}
	_ = e.store.DeleteDialog(e.app.ID)
	if n := len(received()); n != 2 {
		t.Errorf("events after unsubscribing: got %d in total, want 2", n)
	}
}

// waitUntil polls cond for up to 10 s (delivery is asynchronous); no timing is asserted.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}
