package serviceowner_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// exchange trades an ID-porten token with scope for a platform token, failing the test otherwise.
func (e *env) exchange(t *testing.T, scope string, mod func(map[string]any)) string {
	t.Helper()
	resp, body := e.do("GET", "/authentication/api/v1/exchange/id-porten", e.idportenToken(scope, mod))
	if resp.StatusCode != 200 {
		t.Fatalf("exchange: got %d (%s)", resp.StatusCode, body)
	}
	return body
}

func TestExchangeClaims(t *testing.T) {
	t.Parallel()
	e := setup(t)
	exp := time.Now().Add(97 * time.Second).Truncate(time.Second)
	in := e.idportenToken("openid digdir:dialogporten altinn:correspondence.read", func(c map[string]any) {
		c["exp"], c["sid"] = exp.Unix(), "idporten-sid"
	})
	resp, body := e.do("GET", "/authentication/api/v1/exchange/id-porten", in)
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200 (%s)", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("Content-Type: got %q, want text/plain", ct)
	}

	// Verify with the keys published through the issuer's discovery document.
	var meta struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	getJSON(t, e.base+"/authentication/api/v1/openid/.well-known/openid-configuration", &meta)
	wantIss := e.base + "/authentication/api/v1/openid/"
	if meta.Issuer != wantIss {
		t.Errorf("issuer: got %q, want %q", meta.Issuer, wantIss)
	}
	var set jose.JSONWebKeySet
	getJSON(t, meta.JWKSURI, &set)
	tok, err := jwt.ParseSigned(body, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(tok.Headers[0].KeyID)
	if len(keys) != 1 {
		t.Fatalf("JWKS has %d keys for kid %q, want 1", len(keys), tok.Headers[0].KeyID)
	}
	var c map[string]any
	if err := tok.Claims(keys[0].Key, &c); err != nil {
		t.Fatalf("signature: %v", err)
	}
	party, _ := e.store.Party(personURN)
	want := map[string]any{
		"iss":                           wantIss,
		"exp":                           float64(exp.Unix()),
		"pid":                           testPID,
		"acr":                           "idporten-loa-substantial",
		"scope":                         "openid digdir:dialogporten altinn:correspondence.read",
		"urn:altinn:partyid":            "50001",
		"urn:altinn:party:uuid":         party.UUID.String(),
		"urn:altinn:authlevel":          "3",
		"urn:altinn:authenticatemethod": "TestID",
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s: got %v, want %v", k, c[k], v)
		}
	}
	for _, k := range []string{"aud", "sub"} {
		if _, ok := c[k]; ok {
			t.Errorf("claim %s was copied, want it dropped", k)
		}
	}
	if c["sid"] == "idporten-sid" || c["sid"] == nil {
		t.Errorf("sid: got %v, want a new value", c["sid"])
	}
	if c["urn:altinn:userid"] == nil || c["urn:altinn:userid"] == "" {
		t.Error("urn:altinn:userid missing")
	}
}

func TestExchangeAuthLevel(t *testing.T) {
	t.Parallel()
	e := setup(t)
	out := e.exchange(t, "altinn:correspondence.read", func(c map[string]any) { c["acr"] = "idporten-loa-high" })
	tok, _ := jwt.ParseSigned(out, []jose.SignatureAlgorithm{jose.RS256})
	var c map[string]any
	_ = tok.UnsafeClaimsWithoutVerification(&c)
	if c["urn:altinn:authlevel"] != "4" {
		t.Errorf("authlevel for loa-high: got %v, want 4", c["urn:altinn:authlevel"])
	}
}

func TestExchangeRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tests := []struct {
		name       string
		token      string
		wantStatus int
	}{
		{"no token", "", 401},
		{"only digdir:dialogporten", e.idportenToken("openid digdir:dialogporten", nil), 403},
		{"expired", e.idportenToken("altinn:correspondence.read", func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }), 401},
		{"unknown issuer", e.idportenToken("altinn:correspondence.read", func(c map[string]any) { c["iss"] = "https://evil.invalid" }), 401},
		{"no pid", e.idportenToken("altinn:correspondence.read", func(c map[string]any) { delete(c, "pid") }), 401},
		{"no acr", e.idportenToken("altinn:correspondence.read", func(c map[string]any) { delete(c, "acr") }), 401},
		{"person unknown to Altinn", e.idportenToken("altinn:correspondence.read", func(c map[string]any) { c["pid"] = "01010112345" }), 401},
		{"tampered", e.idportenToken("altinn:correspondence.read", nil) + "x", 401},
		{"a dialog token", e.dialogToken(e.app, "read", nil), 401},
	}
	for _, tc := range tests {
		resp, body := e.do("GET", "/authentication/api/v1/exchange/id-porten", tc.token)
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("%s: got %d, want %d (%s)", tc.name, resp.StatusCode, tc.wantStatus, body)
		}
		if strings.Count(body, ".") == 2 && resp.StatusCode != 200 {
			t.Errorf("%s: refusal body looks like a token", tc.name)
		}
	}
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d", u, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}
