package devidporten

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDiscovery(t *testing.T) {
	t.Parallel()
	e := setup(t)
	resp, err := e.idp.Client().Get(e.p.Issuer() + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var md map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&md); err != nil {
		t.Fatal(err)
	}
	iss := e.p.Issuer()
	str := map[string]string{
		"issuer":                 iss,
		"authorization_endpoint": iss + "/authorize",
		"token_endpoint":         iss + "/token",
		"end_session_endpoint":   iss + "/endsession",
		"jwks_uri":               iss + "/jwks.json",
	}
	for k, want := range str {
		if got, _ := md[k].(string); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	lists := map[string][]string{
		"code_challenge_methods_supported":      {"S256"},
		"response_types_supported":              {"code"},
		"id_token_signing_alg_values_supported": {"RS256"},
		"grant_types_supported":                 {"authorization_code", "refresh_token"},
		"ui_locales_supported":                  {"en", "nb", "nn", "se"},
	}
	for k, want := range lists {
		if got := strs(md[k]); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", k, got, want)
		}
	}
	contains := map[string][]string{
		"acr_values_supported":                  {"idporten-loa-substantial", "idporten-loa-high"},
		"token_endpoint_auth_methods_supported": {"client_secret_basic", "client_secret_post", "private_key_jwt"},
	}
	for k, want := range contains {
		got := strs(md[k])
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%s = %v, want it to contain %q", k, got, w)
			}
		}
	}
	for _, k := range []string{"frontchannel_logout_supported", "frontchannel_logout_session_supported", "authorization_response_iss_parameter_supported"} {
		if got, _ := md[k].(bool); !got {
			t.Errorf("%s = %v, want true", k, md[k])
		}
	}

	jr, err := e.idp.Client().Get(iss + "/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer jr.Body.Close()
	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.NewDecoder(jr.Body).Decode(&jwks); err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 || jwks.Keys[0]["kty"] != "RSA" || jwks.Keys[0]["alg"] != "RS256" || jwks.Keys[0]["kid"] == "" || jwks.Keys[0]["d"] != nil {
		t.Errorf("jwks = %v, want one public RSA RS256 key with kid", jwks.Keys)
	}
}

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestAuthorizeRequiresPKCES256(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		name  string
		query map[string]string
	}{
		{"no code_challenge", map[string]string{}},
		{"plain method", map[string]string{"code_challenge": strings.Repeat("a", 43), "code_challenge_method": "plain"}},
		{"method missing", map[string]string{"code_challenge": strings.Repeat("a", 43)}},
		{"challenge too short", map[string]string{"code_challenge": "abc", "code_challenge_method": "S256"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			q := url.Values{
				"client_id": {clientBasic}, "response_type": {"code"}, "scope": {"openid"},
				"redirect_uri": {e.rp.URL + "/callback"}, "state": {"st-1"}, "nonce": {"n-1"},
			}
			for k, v := range tc.query {
				q.Set(k, v)
			}
			resp, err := e.browser(t).Get(e.p.Issuer() + "/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusFound || loc.Path != "/callback" {
				t.Fatalf("got %d to %q, want 302 to the callback", resp.StatusCode, loc)
			}
			got := loc.Query()
			if got.Get("error") != "invalid_request" || got.Get("state") != "st-1" || got.Get("iss") != e.p.Issuer() || got.Has("code") {
				t.Errorf("callback query = %v, want error=invalid_request, state=st-1, iss, no code", got)
			}
		})
	}
}

func TestCodeFlowPerClientAuthMethod(t *testing.T) {
	t.Parallel()
	for _, clientID := range []string{clientBasic, clientPost, clientJWT} {
		t.Run(clientID, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			user := e.p.Users()[1]
			ar, resp := e.authorize(t, e.browser(t), clientID, map[string]string{
				"login_hint": "testid:" + user.PID, "acr_values": ACRHigh, "ui_locales": "en",
			})
			code := e.mustCallback(t, ar, resp)

			tok, err := e.exchange(t, clientID, code, ar.verifier)
			if err != nil {
				t.Fatalf("exchange: %v", err)
			}
			idToken, _ := tok.Extra("id_token").(string)
			if idToken == "" || tok.RefreshToken == "" || tok.AccessToken == "" {
				t.Fatalf("token response lacks id/refresh/access token")
			}
			if got := tok.Extra("expires_in"); got != float64(120) {
				t.Errorf("expires_in = %v, want 120", got)
			}

			id := e.claims(t, clientID, idToken)
			wantStr := map[string]string{"pid": user.PID, "acr": ACRHigh, "nonce": ar.nonce, "locale": "en", "iss": e.p.Issuer(), "aud": clientID}
			for k, want := range wantStr {
				if got, _ := id[k].(string); got != want {
					t.Errorf("id_token %s = %q, want %q", k, got, want)
				}
			}
			if amr, ok := id["amr"].([]any); !ok || len(amr) != 1 || amr[0] != "TestID" {
				t.Errorf("id_token amr = %#v, want the JSON array [\"TestID\"]", id["amr"])
			}
			for _, k := range []string{"sid", "jti", "sub"} {
				if s, _ := id[k].(string); s == "" {
					t.Errorf("id_token %s is empty", k)
				}
			}
			if sub := id["sub"].(string); sub == user.PID || len(sub) != 43 || sub != pairwiseSub(clientID, user.PID) {
				t.Errorf("id_token sub = %q, want the 43-character pairwise pseudonym", sub)
			}
			if _, ok := id["auth_time"].(float64); !ok {
				t.Errorf("id_token auth_time missing")
			}
			if _, ok := id["at_hash"]; ok {
				t.Errorf("id_token has at_hash; ID-porten removed it")
			}

			// The access token as the Dialogporten emulator sees it: RS256, verified with the
			// keys found through discovery, no audience.
			at := e.claims(t, "", tok.AccessToken)
			scope, _ := at["scope"].(string)
			if !slices.Contains(strings.Fields(scope), "digdir:dialogporten") {
				t.Errorf("access token scope = %q, want it to contain digdir:dialogporten", scope)
			}
			wantAT := map[string]string{"pid": user.PID, "acr": ACRHigh, "client_id": clientID, "client_amr": e.p.clients[clientID].AuthMethod, "sub": id["sub"].(string)}
			for k, want := range wantAT {
				if got, _ := at[k].(string); got != want {
					t.Errorf("access token %s = %q, want %q", k, got, want)
				}
			}
			if c, _ := at["consumer"].(map[string]any); c["ID"] != "0192:999999999" {
				t.Errorf("access token consumer = %v, want ID 0192:999999999", at["consumer"])
			}
			if exp, iat := at["exp"].(float64), at["iat"].(float64); exp-iat != 120 {
				t.Errorf("access token lifetime = %v s, want 120", exp-iat)
			}
			if jti, _ := at["jti"].(string); jti == "" {
				t.Errorf("access token jti empty")
			}

			// The code is single use.
			if _, err := e.exchange(t, clientID, code, ar.verifier); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
				t.Errorf("second exchange error = %v, want invalid_grant", err)
			}
			assertNoSecretsLogged(t, e, user.PID, code, tok.AccessToken, tok.RefreshToken, idToken)
		})
	}
}

// assertNoSecretsLogged checks the double's own log lines for a pid or a token.
func assertNoSecretsLogged(t *testing.T, e *env, secrets ...string) {
	t.Helper()
	logs := e.logs.String()
	if logs == "" {
		t.Fatalf("no log lines captured; the check would be empty")
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("log lines contain a pid or token (%d characters)", len(s))
		}
	}
	for _, u := range e.p.Users() {
		if strings.Contains(logs, u.PID) {
			t.Errorf("log lines contain the pid of %s", u.Name)
		}
	}
}

func TestCodeExchangeRejections(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		name     string
		clientID string
		form     func(code, verifier string) url.Values
		status   int
		errCode  string
	}{
		{"wrong verifier", clientBasic, func(c, _ string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "code_verifier": {strings.Repeat("x", 43)}, "redirect_uri": {e.rp.URL + "/callback"}}
		}, 400, "invalid_grant"},
		{"missing verifier", clientBasic, func(c, _ string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {e.rp.URL + "/callback"}}
		}, 400, "invalid_grant"},
		{"wrong redirect_uri", clientBasic, func(c, v string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "code_verifier": {v}, "redirect_uri": {e.rp.URL + "/other"}}
		}, 400, "invalid_grant"},
		{"registered basic, used post", clientPost, func(c, v string) url.Values {
			return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "code_verifier": {v}, "redirect_uri": {e.rp.URL + "/callback"}}
		}, 401, "invalid_client"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ar, resp := e.authorize(t, e.browser(t), clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
			code := e.mustCallback(t, ar, resp)
			form := tc.form(code, ar.verifier)
			if tc.clientID == clientPost {
				// The post client's credentials for a code of the basic client: the basic client
				// itself sending its secret in the body is the mismatch under test.
				form.Set("client_id", clientBasic)
				form.Set("client_secret", "s3cret-basic")
				tc.clientID = ""
			}
			status, body := e.postToken(t, tc.clientID, form)
			if status != tc.status || body["error"] != tc.errCode {
				t.Errorf("got %d %v, want %d %s", status, body["error"], tc.status, tc.errCode)
			}
		})
	}
}

func TestRefreshRotatesAndExpires(t *testing.T) {
	t.Parallel()
	for _, clientID := range []string{clientBasic, clientJWT} {
		t.Run(clientID, func(t *testing.T) {
			t.Parallel()
			e := setup(t)
			ar, resp := e.authorize(t, e.browser(t), clientID, map[string]string{"login_hint": e.p.Users()[0].PID})
			tok, err := e.exchange(t, clientID, e.mustCallback(t, ar, resp), ar.verifier)
			if err != nil {
				t.Fatal(err)
			}
			first := tok.RefreshToken

			e.clock.Add(500 * time.Second) // within the 600 s idle window
			status, body := e.postToken(t, clientID, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}})
			if status != http.StatusOK {
				t.Fatalf("refresh: got %d %v, want 200", status, body)
			}
			second, _ := body["refresh_token"].(string)
			if second == "" || second == first {
				t.Fatalf("refresh did not rotate the refresh token")
			}
			at, _ := body["access_token"].(string)
			if c := unverifiedClaims(t, at); c["pid"] != e.p.Users()[0].PID || int64(c["iat"].(float64)) != e.clock.Now().Unix() {
				t.Errorf("refreshed access token pid/iat = %v/%v, want the user and the injected clock", c["pid"], c["iat"])
			}
			if id, _ := body["id_token"].(string); id == "" || unverifiedClaims(t, id)["nonce"] != nil {
				t.Errorf("refresh id_token missing or carrying a nonce")
			}

			status, body = e.postToken(t, clientID, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first}})
			if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
				t.Errorf("reused refresh token: got %d %v, want 400 invalid_grant", status, body["error"])
			}

			e.clock.Add(601 * time.Second) // past the idle lifetime of the second token
			status, body = e.postToken(t, clientID, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {second}})
			if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
				t.Errorf("expired refresh token: got %d %v, want 400 invalid_grant", status, body["error"])
			}
		})
	}
}

func TestRefreshOfAnotherClientRejected(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.authorize(t, e.browser(t), clientBasic, map[string]string{"login_hint": e.p.Users()[0].PID})
	tok, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, resp), ar.verifier)
	if err != nil {
		t.Fatal(err)
	}
	status, body := e.postToken(t, clientPost, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}})
	if status != http.StatusBadRequest || body["error"] != "invalid_grant" {
		t.Errorf("got %d %v, want 400 invalid_grant", status, body["error"])
	}
}

func TestLoginHintShortcut(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for i, hint := range []string{e.p.Users()[2].PID, "testid:" + e.p.Users()[2].PID} {
		ar, resp := e.authorize(t, e.browser(t), clientBasic, map[string]string{"login_hint": hint})
		tok, err := e.exchange(t, clientBasic, e.mustCallback(t, ar, resp), ar.verifier)
		if err != nil {
			t.Fatalf("hint %d: %v", i, err)
		}
		id := e.claims(t, clientBasic, tok.Extra("id_token").(string))
		if id["pid"] != e.p.Users()[2].PID || id["acr"] != ACRSubstantial || id["locale"] != "nb" {
			t.Errorf("hint %d: pid/acr/locale = %v/%v/%v, want user 2, substantial (default), nb", i, id["pid"] == e.p.Users()[2].PID, id["acr"], id["locale"])
		}
	}
	// An unknown hint falls back to the picker.
	_, resp := e.authorize(t, e.browser(t), clientBasic, map[string]string{"login_hint": "00000000000"})
	if resp.StatusCode != http.StatusOK || page(t, resp).Find(`[data-testid="devidporten-picker"]`).Length() != 1 {
		t.Errorf("unknown login_hint: got %d, want the picker", resp.StatusCode)
	}
}

func TestAuthorizeRejectsUnsupportedParameters(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		name     string
		extra    map[string]string
		redirect bool // whether the error goes back to the client
	}{
		{"old Level3 acr", map[string]string{"acr_values": "Level3"}, true},
		{"fragment response_mode", map[string]string{"response_mode": "fragment"}, true},
		// zitadel refuses implicit to a plain-http redirect_uri without redirecting.
		{"implicit response_type", map[string]string{"response_type": "id_token"}, false},
	}
	for _, tc := range cases {
		_, resp := e.authorize(t, e.browser(t), clientBasic, tc.extra)
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		params := loc.Query()
		if frag, err := url.ParseQuery(loc.EscapedFragment()); err == nil && frag.Has("error") {
			params = frag
		}
		switch {
		case params.Has("code"):
			t.Errorf("%s: a code was issued", tc.name)
		case tc.redirect && (resp.StatusCode != http.StatusFound || params.Get("error") == "" || params.Get("iss") != e.p.Issuer()):
			t.Errorf("%s: got %d %v, want an error redirect with iss", tc.name, resp.StatusCode, params)
		case !tc.redirect && resp.StatusCode != http.StatusBadRequest:
			t.Errorf("%s: got %d, want 400", tc.name, resp.StatusCode)
		}
	}
	// An unregistered redirect_uri is never redirected to.
	q := url.Values{"client_id": {clientBasic}, "response_type": {"code"}, "scope": {"openid"}, "redirect_uri": {"http://127.0.0.1:1/evil"},
		"code_challenge": {strings.Repeat("a", 43)}, "code_challenge_method": {"S256"}}
	resp, err := e.browser(t).Get(e.p.Issuer() + "/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("unregistered redirect_uri: got %d Location %q, want 400 without redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
}
