package dpemu

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/innboks/innboks/internal/dpemu/ident"
)

func TestTokenChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	pid := f.e.Users()[0].PID
	platform, err := f.e.Platform().Sign(map[string]any{"pid": pid, "scope": "digdir:dialogporten", "urn:altinn:authlevel": 3,
		"exp": fixedNow.Add(time.Minute).Unix()})
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: otherKey, KeyID: "test-1"}}, nil)
	forged, _ := jwt.Signed(sig).Claims(map[string]any{"iss": testIssuer, "pid": pid, "scope": "digdir:dialogporten", "exp": fixedNow.Add(time.Minute).Unix()}).Serialize()

	tests := []struct {
		name       string
		token      string
		wantStatus int
	}{
		{"valid", signToken(t, map[string]any{"pid": pid}), 200},
		{"noconsent scope", signToken(t, map[string]any{"pid": pid, "scope": "digdir:dialogporten.noconsent"}), 200},
		{"platform token", platform, 200},
		{"expired within skew", signToken(t, map[string]any{"pid": pid, "exp": fixedNow.Add(-time.Second).Unix()}), 200},
		{"missing", "", 401},
		{"garbage", "not-a-jwt", 401},
		{"forged signature", forged, 401},
		{"expired", signToken(t, map[string]any{"pid": pid, "exp": fixedNow.Add(-time.Minute).Unix()}), 401},
		{"no exp", signToken(t, map[string]any{"pid": pid, "exp": nil}), 401},
		{"unknown issuer", signToken(t, map[string]any{"pid": pid, "iss": "https://evil.example/"}), 401},
		{"missing scope", signToken(t, map[string]any{"pid": pid, "scope": "openid profile"}), 403},
		{"bad pid checksum", signToken(t, map[string]any{"pid": pid[:10] + string('0'+(pid[10]-'0'+1)%10)}), 403},
		{"no pid", signToken(t, map[string]any{"pid": nil}), 403},
		{"service owner acting for person", signToken(t, map[string]any{"pid": pid, "scope": "digdir:dialogporten digdir:dialogporten.serviceprovider"}), 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, h, body := f.do(t, nil, http.MethodGet, eu+"/parties", tt.token, "", nil)
			if st != tt.wantStatus {
				t.Fatalf("got %d, want %d (%s)", st, tt.wantStatus, truncate(body))
			}
			if st == 401 {
				if h.Get("WWW-Authenticate") == "" || len(body) != 0 {
					t.Errorf("401: got WWW-Authenticate %q and %d body bytes, want Bearer challenge and empty body", h.Get("WWW-Authenticate"), len(body))
				}
			}
			if st == 403 && h.Get("Content-Type") != "application/problem+json" {
				t.Errorf("403: got Content-Type %q, want application/problem+json", h.Get("Content-Type"))
			}
		})
	}
}

func TestAuthLevelFromToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		claims tokenClaims
		want   int
	}{
		{tokenClaims{ACR: "idporten-loa-substantial"}, 3},
		{tokenClaims{ACR: "idporten-loa-high"}, 4},
		{tokenClaims{ACR: "idporten-loa-low"}, 0},
		{tokenClaims{ACR: "selfregistered-email"}, 0},
		{tokenClaims{ACR: "idporten-loa-substantial", AuthLevel: json.RawMessage(`4`)}, 4},
		{tokenClaims{AuthLevel: json.RawMessage(`"3"`)}, 3},
	}
	for _, tt := range tests {
		if got := authLevel(tt.claims); got != tt.want {
			t.Errorf("authLevel(acr=%q, level=%s): got %d, want %d", tt.claims.ACR, tt.claims.AuthLevel, got, tt.want)
		}
	}
}

// TestDiscoveredIssuer checks that keys are found through {issuer}/.well-known/openid-configuration.
func TestDiscoveredIssuer(t *testing.T) {
	t.Parallel()
	k := rsaKey(t)
	mux := http.NewServeMux()
	idp := httptest.NewServer(mux)
	defer idp.Close()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": idp.URL, "jwks_uri": idp.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.PublicKey, KeyID: "test-1", Algorithm: "RS256", Use: "sig"}}})
	})
	kr := newKeyResolver([]Issuer{{URL: idp.URL, HTTPClient: idp.Client()}})
	pid := syntheticPID(time.Date(1990, 1, 2, 0, 0, 0, 0, time.UTC), 1)
	tok := signToken(t, map[string]any{"iss": idp.URL, "pid": pid, "acr": "idporten-loa-high"})
	p, err := kr.authenticate(t.Context(), tok, fixedNow)
	if err != nil {
		t.Fatalf("authenticate: %v", err)
	}
	if p.PID != pid || p.AuthLevel != 4 {
		t.Errorf("got pid %s level %d, want %s level 4", p.PID, p.AuthLevel, pid)
	}
}

func TestIdentifiers(t *testing.T) {
	t.Parallel()
	pids := []struct {
		s    string
		want bool
	}{
		{"08844397713", true}, {"08844397714", false}, {"0884439771", false}, {"0884439771a", false},
		{syntheticPID(time.Date(2001, 12, 31, 0, 0, 0, 0, time.UTC), 5), true},
	}
	for _, tt := range pids {
		if got := ident.ValidPID(tt.s); got != tt.want {
			t.Errorf("ValidPID(%q): got %v, want %v", tt.s, got, tt.want)
		}
	}
	orgs := []struct {
		s    string
		want bool
	}{
		{"974761076", true}, {"991825827", true}, {"974761077", false}, {"97476107", false},
		{syntheticOrgNumber(1234), true},
	}
	for _, tt := range orgs {
		if got := ident.ValidOrgNumber(tt.s); got != tt.want {
			t.Errorf("ValidOrgNumber(%q): got %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestDialogTokenAndJWKS(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.ServiceResourceType == ResourceTypeApp && visibleAt(d, fixedNow) && d.Party == personPrefix+f.e.Users()[0].PID
	})
	st, h, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
	if st != 200 {
		t.Fatalf("details: got %d, want 200", st)
	}
	body := decode[struct {
		Revision    string `json:"revision"`
		DialogToken string `json:"dialogToken"`
	}](t, b)
	if h.Get("ETag") != body.Revision || body.Revision == "" {
		t.Errorf("ETag: got %q, want revision %q", h.Get("ETag"), body.Revision)
	}
	c, err := f.e.VerifyDialogToken(body.DialogToken)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if c.DialogID != d.ID.String() || c.Party != d.Party || c.Resource != d.ServiceResource || c.Caller != personPrefix+f.e.Users()[0].PID || c.Level != 3 {
		t.Errorf("claims: got %+v", c)
	}
	if c.Expires-c.IssuedAt != 600 || c.NotBefore != c.IssuedAt || c.Issuer != f.e.DialogportenURL()+"/api/v1" {
		t.Errorf("lifetime/issuer: got iat %d nbf %d exp %d iss %s", c.IssuedAt, c.NotBefore, c.Expires, c.Issuer)
	}
	if !c.Allows("read", "") || !c.Allows("sign", attrSigning) {
		t.Errorf("a claim %q: want read and sign,%s", c.Actions, attrSigning)
	}
	if _, err := VerifyDialogToken(body.DialogToken, f.e.DialogTokens().PublicKeys(), "", fixedNow.Add(11*time.Minute)); err == nil {
		t.Error("verify after exp: got nil error, want expiry")
	}
	tampered := body.DialogToken[:len(body.DialogToken)-4] + "AAAA"
	if _, err := f.e.VerifyDialogToken(tampered); err == nil {
		t.Error("verify tampered: got nil error")
	}

	st, h, b = f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/.well-known/jwks.json", "", "", nil)
	jwks := decode[struct {
		Keys []wJWK `json:"keys"`
	}](t, b)
	if st != 200 || len(jwks.Keys) != 2 || jwks.Keys[0].Kty != "OKP" || jwks.Keys[0].Crv != "Ed25519" || jwks.Keys[0].Alg != "EdDSA" {
		t.Errorf("jwks: got %d %+v", st, jwks)
	}
	if got := h.Get("Cache-Control"); got != "public, max-age=86400" {
		t.Errorf("jwks Cache-Control: got %q", got)
	}
	_, _, b = f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/.well-known/oauth-authorization-server", "", "", nil)
	meta := decode[map[string]string](t, b)
	if meta["issuer"] != f.e.DialogportenURL()+"/api/v1" || meta["jwks_uri"] != f.e.DialogportenURL()+"/api/v1/.well-known/jwks.json" {
		t.Errorf("oauth metadata: got %v", meta)
	}
}

// firstDialog returns the first stored dialog (in id order of insertion) matching ok.
func firstDialog(t testing.TB, f *fixture, ok func(*Dialog) bool) *Dialog {
	t.Helper()
	f.e.store.mu.RLock()
	defer f.e.store.mu.RUnlock()
	for _, p := range f.e.store.parties.list {
		for _, d := range f.e.store.byParty[p.URN] {
			if ok(d) {
				return d.Clone()
			}
		}
	}
	t.Fatal("no dialog matches")
	return nil
}
