package serviceowner_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/events"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// wired is the whole emulator (end-user API + service-owner side + events) on one server, wired
// as cmd/dev does.
type wired struct {
	*env
	emu *dpemu.Emulator
}

func setupWired(t *testing.T, webhook string) *wired { return setupWiredWith(t, webhook, false) }

// setupWiredWith wires the emulator; remoteKeys leaves DialogTokenKeys unset so the side
// fetches the emulator's JWKS over HTTP.
func setupWiredWith(t *testing.T, webhook string, remoteKeys bool) *wired {
	t.Helper()
	rk, _ := newKeys(t)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	emu, err := dpemu.New(dpemu.Options{BaseURL: base, Issuers: []dpemu.Issuer{{URL: idpIssuer,
		Keys: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &rk.PublicKey, KeyID: "ik1", Algorithm: "RS256", Use: "sig"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	side, err := serviceowner.New(serviceowner.Options{
		Store:           emu.Store(),
		BaseURL:         base,
		DialogTokenKeys: serviceowner.Ed25519Keys(emu.DialogTokens().PublicKeys()),
		PlatformSigner:  emu.Platform(),
		IDPorten:        []serviceowner.Issuer{{URL: idpIssuer, Keys: serviceowner.StaticKeys(jose.JSONWebKey{Key: &rk.PublicKey, KeyID: "ik1"})}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if remoteKeys {
		side, err = serviceowner.New(serviceowner.Options{Store: emu.Store(), BaseURL: base, PlatformSigner: emu.Platform()})
		if err != nil {
			t.Fatal(err)
		}
	}
	side.Register(emu)
	if webhook != "" {
		pub, err := events.New(events.Options{Store: emu.Store(), DialogportenBase: emu.DialogportenURL(), Webhooks: []string{webhook}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pub.Close)
	}
	srv.Config.Handler = emu.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, side: side, store: emu.Store(), idpKey: rk, base: base}
	return &wired{env: e, emu: emu}
}

// token is an ID-porten token for the scenario's first user.
func (w *wired) token(scope string) string {
	pid := w.emu.Users()[0].PID
	return w.idportenToken(scope, func(c map[string]any) { c["pid"], c["acr"] = pid, "idporten-loa-high" })
}

func (w *wired) getJSON(path, tok string, v any) {
	w.t.Helper()
	resp, body := w.do("GET", path, tok)
	if resp.StatusCode != 200 {
		w.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		w.t.Fatal(err)
	}
}

type wireDialog struct {
	ID          string `json:"id"`
	DialogToken string `json:"dialogToken"`
	Content     struct {
		MainContentReference *struct {
			MediaType string `json:"mediaType"`
			Value     []struct {
				Value        string `json:"value"`
				LanguageCode string `json:"languageCode"`
			} `json:"value"`
		} `json:"mainContentReference"`
	} `json:"content"`
	Attachments []struct {
		ID   string `json:"id"`
		URLs []struct {
			URL string `json:"url"`
		} `json:"urls"`
	} `json:"attachments"`
	GuiActions []struct {
		URL          string `json:"url"`
		HTTPMethod   string `json:"httpMethod"`
		IsAuthorized bool   `json:"isAuthorized"`
	} `json:"guiActions"`
	Activities []struct {
		Type string `json:"type"`
	} `json:"activities"`
}

// dialogs returns the details of up to n dialogs of every party of the user.
func (w *wired) dialogs(tok string, n int) []wireDialog {
	var parties struct {
		AuthorizedParties []struct {
			Party string `json:"party"`
		} `json:"authorizedParties"`
	}
	w.getJSON("/dialogporten/api/v1/enduser/parties", tok, &parties)
	var out []wireDialog
	for _, p := range parties.AuthorizedParties {
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		w.getJSON("/dialogporten/api/v1/enduser/dialogs?limit=1000&party="+url.QueryEscape(p.Party), tok, &page)
		for _, it := range page.Items {
			if len(out) >= n {
				return out
			}
			var d wireDialog
			resp, body := w.do("GET", "/dialogporten/api/v1/enduser/dialogs/"+it.ID, tok)
			if resp.StatusCode != 200 {
				continue // e.g. a resource that needs a higher level
			}
			if err := json.Unmarshal([]byte(body), &d); err != nil {
				w.t.Fatal(err)
			}
			out = append(out, d)
		}
	}
	return out
}

func TestAgainstSeededEmulator(t *testing.T) {
	hook := newHookServer(t)
	w := setupWired(t, hook.srv.URL)
	tok := w.token("openid digdir:dialogporten altinn:correspondence.read")
	ds := w.dialogs(tok, 400)
	if len(ds) < 50 {
		t.Fatalf("only %d dialogs in the default scenario", len(ds))
	}
	var contents, attachments, confirms, submits int
	for _, d := range ds {
		if ref := d.Content.MainContentReference; ref != nil && contents < 20 {
			resp, body := w.do("GET", ref.Value[0].Value, d.DialogToken)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, "#") && !strings.HasPrefix(body, "<h1>") {
				t.Errorf("content of %s: got %d %.80q", d.ID, resp.StatusCode, body)
			}
			contents++
		}
		for _, a := range d.Attachments {
			if attachments >= 10 || len(a.URLs) == 0 || strings.HasPrefix(a.URLs[0].URL, "urn:") {
				continue
			}
			stored, _ := w.store.Dialog(uuid.MustParse(d.ID))
			var want *dpemu.Attachment
			for i := range stored.Attachments {
				if stored.Attachments[i].ID.String() == a.ID {
					want = &stored.Attachments[i]
				}
			}
			if want == nil || want.Size > 8<<20 {
				continue
			}
			resp, body := w.do("GET", a.URLs[0].URL, d.DialogToken)
			if resp.StatusCode != 200 || !bytes.Equal([]byte(body), blobBytes(t, want.ContentSeed, want.Size)) {
				t.Errorf("attachment %s: got %d, %d bytes, want the generated %d bytes", a.ID, resp.StatusCode, len(body), want.Size)
			}
			attachments++
		}
		for _, g := range d.GuiActions {
			if !g.IsAuthorized || g.HTTPMethod != "POST" {
				continue
			}
			switch {
			case strings.HasSuffix(g.URL, "/confirm") && confirms < 2:
				if resp, body := w.do("POST", g.URL, d.DialogToken); resp.StatusCode != 200 {
					t.Errorf("confirm %s: got %d %s", d.ID, resp.StatusCode, body)
				}
				var after wireDialog
				w.getJSON("/dialogporten/api/v1/enduser/dialogs/"+d.ID, tok, &after)
				if !hasActivity(after, "CorrespondenceConfirmed") {
					t.Errorf("dialog %s after confirm lacks a CorrespondenceConfirmed activity", d.ID)
				}
				confirms++
			case strings.HasSuffix(g.URL, "/submit") && submits < 2:
				if resp, body := w.do("POST", g.URL, d.DialogToken); resp.StatusCode != 204 {
					t.Errorf("submit %s: got %d %s", d.ID, resp.StatusCode, body)
				}
				submits++
			}
		}
	}
	t.Logf("dialogs %d: %d contents, %d attachments, %d confirms, %d submits", len(ds), contents, attachments, confirms, submits)
	if contents == 0 || attachments == 0 || confirms == 0 || submits == 0 {
		t.Errorf("exercised %d contents, %d attachments, %d confirms, %d submits; want some of each", contents, attachments, confirms, submits)
	}

	// The exchanged platform token is accepted by the end-user API too.
	platform := w.exchange(t, "openid digdir:dialogporten altinn:correspondence.read", func(c map[string]any) { c["pid"] = w.emu.Users()[0].PID })
	if resp, body := w.do("GET", "/dialogporten/api/v1/enduser/parties", platform); resp.StatusCode != 200 {
		t.Errorf("end-user API with an exchanged token: got %d %s", resp.StatusCode, body)
	}

	// The confirmations reached the webhook as activity events.
	hook.waitFor(t, "dialogporten.dialog.activity.correspondence-confirmed.v1")
}

func hasActivity(d wireDialog, typ string) bool {
	for _, a := range d.Activities {
		if a.Type == typ {
			return true
		}
	}
	return false
}

// hookServer records the CloudEvents posted to it.
type hookServer struct {
	srv *httptest.Server
	mu  sync.Mutex
	got []events.CloudEvent
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev events.CloudEvent
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &ev); err != nil {
			w.WriteHeader(400)
			return
		}
		h.mu.Lock()
		h.got = append(h.got, ev)
		h.mu.Unlock()
	}))
	t.Cleanup(h.srv.Close)
	return h
}

// waitFor waits (bounded) until an event of type typ arrives; delivery is asynchronous.
func (h *hookServer) waitFor(t *testing.T, typ string) {
	t.Helper()
	waitUntil(t, "a "+typ+" event at the webhook", func() bool {
		h.mu.Lock()
		defer h.mu.Unlock()
		return slices.ContainsFunc(h.got, func(ev events.CloudEvent) bool { return ev.Type == typ })
	})
}

func sleepBriefly() { time.Sleep(10 * time.Millisecond) }
