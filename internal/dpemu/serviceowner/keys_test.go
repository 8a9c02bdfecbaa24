package serviceowner_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"
	"github.com/innboks/innboks/internal/dpemu"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

// TestExchangeDiscoversIssuerKeys runs the exchange against an issuer known only by URL: the
// keys come from its discovery document, and a rotated key is found by refetching.
func TestExchangeDiscoversIssuerKeys(t *testing.T) {
	t.Parallel()
	e := setup(t)
	k2, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int32
	var rotated atomic.Bool
	mux := http.NewServeMux()
	idp := httptest.NewServer(mux)
	defer idp.Close()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": idp.URL, "jwks_uri": idp.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		fetches.Add(1)
		keys := []jose.JSONWebKey{{Key: &e.idpKey.PublicKey, KeyID: "ik1", Algorithm: "RS256", Use: "sig"}}
		if rotated.Load() {
			keys = append(keys, jose.JSONWebKey{Key: &k2.PublicKey, KeyID: "ik2", Algorithm: "RS256", Use: "sig"})
		}
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: keys})
	})
	side, err := serviceowner.New(serviceowner.Options{Store: e.store, BaseURL: e.base, IDPorten: []serviceowner.Issuer{{URL: idp.URL}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(side.Handler())
	defer srv.Close()
	exchange := func(tok string) int {
		resp, _ := e.do("GET", srv.URL+"/authentication/api/v1/exchange/id-porten", tok)
		return resp.StatusCode
	}
	tok := e.idportenToken("altinn:correspondence.read", func(c map[string]any) { c["iss"] = idp.URL })
	for i := 0; i < 3; i++ {
		if got := exchange(tok); got != 200 {
			t.Fatalf("exchange %d: got %d, want 200", i, got)
		}
	}
	if got := fetches.Load(); got != 1 {
		t.Errorf("JWKS fetched %d times for 3 exchanges, want 1 (cached)", got)
	}
	rotated.Store(true)
	tok2 := e.sign(jose.RS256, k2, "ik2", map[string]any{"iss": idp.URL, "pid": testPID, "acr": "idporten-loa-high",
		"scope": "altinn:correspondence.read", "exp": 4102444800, "jti": uuid.NewString()})
	// The new kid is unknown to the cache; a refetch is allowed once a second has passed.
	for i := 0; i < 300 && exchange(tok2) != 200; i++ {
		sleepBriefly()
	}
	if got := exchange(tok2); got != 200 {
		t.Errorf("exchange with a rotated key: got %d, want 200", got)
	}
}

func TestDefaultDialogKeysComeFromTheEmulatorJWKS(t *testing.T) {
	t.Parallel()
	w := setupWiredWith(t, "", true)
	tok := w.token("openid digdir:dialogporten")
	ds := w.dialogs(tok, 5)
	for _, d := range ds {
		if ref := d.Content.MainContentReference; ref != nil {
			if resp, body := w.do("GET", ref.Value[0].Value, d.DialogToken); resp.StatusCode != 200 {
				t.Errorf("content with JWKS-discovered keys: got %d %s", resp.StatusCode, body)
			}
			return
		}
	}
	t.Fatal("no dialog with content")
}

func TestSampledFaults(t *testing.T) {
	t.Parallel()
	rule := serviceowner.Sampled(12)
	counts := map[serviceowner.Fault]int{}
	for i := 0; i < 1200; i++ {
		d := &dpemu.Dialog{ID: uuid.New()}
		f := rule(d)
		if again := rule(d); again != f {
			t.Fatalf("rule is not deterministic: %q then %q", f, again)
		}
		counts[f]++
	}
	for _, f := range []serviceowner.Fault{serviceowner.FaultHostile, serviceowner.FaultDown, serviceowner.FaultTimeout,
		serviceowner.FaultForbidden, serviceowner.FaultRedirectOffHost, serviceowner.FaultRedirectSameHost} {
		if counts[f] < 40 || counts[f] > 170 {
			t.Errorf("%q: %d of 1200, want about 100", f, counts[f])
		}
	}
	if counts[serviceowner.FaultNone] < 450 {
		t.Errorf("healthy dialogs: %d of 1200, want about 600", counts[serviceowner.FaultNone])
	}
	// Set wins over labels and rules; labels win over rules.
	fs := serviceowner.NewFaults()
	fs.SetRule(func(*dpemu.Dialog) serviceowner.Fault { return serviceowner.FaultDown })
	d := &dpemu.Dialog{ID: uuid.New(), ServiceOwnerLabels: []string{serviceowner.FaultLabelPrefix + "forbidden"}}
	if got := fs.For(d); got != serviceowner.FaultForbidden {
		t.Errorf("label vs rule: got %q, want forbidden", got)
	}
	fs.Set(d.ID, serviceowner.FaultNone)
	if got := fs.For(d); got != serviceowner.FaultNone {
		t.Errorf("Set(None) vs label: got %q, want none", got)
	}
	if got := fs.For(&dpemu.Dialog{ID: uuid.New()}); got != serviceowner.FaultDown {
		t.Errorf("rule: got %q, want down", got)
	}
}
