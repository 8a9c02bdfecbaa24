package devidporten

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// signAssertion signs a client assertion with claims over a default of iss = sub = the JWT
// client, aud = issuer.
func signAssertion(t *testing.T, e *env, keyIdx int, kid string, override map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: testKeys()[keyIdx], KeyID: kid}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	claims := map[string]any{"iss": clientJWT, "sub": clientJWT, "aud": e.p.Issuer(), "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": randomID(8)}
	for k, v := range override {
		claims[k] = v
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPrivateKeyJWTRejections(t *testing.T) {
	t.Parallel()
	e := setup(t)
	cases := []struct {
		name      string
		assertion func() string
		clientID  string
		want      string
	}{
		{"signed by an unregistered key", func() string { return signAssertion(t, e, 0, clientKID, nil) }, clientJWT, "invalid_client"},
		{"audience is not the issuer", func() string {
			return signAssertion(t, e, 1, clientKID, map[string]any{"aud": e.p.Issuer() + "/token"})
		}, clientJWT, "invalid_client"},
		{"expired", func() string {
			return signAssertion(t, e, 1, clientKID, map[string]any{"exp": time.Now().Add(-time.Minute).Unix()})
		}, clientJWT, "invalid_client"},
		{"sub differs from iss", func() string { return signAssertion(t, e, 1, clientKID, map[string]any{"sub": "someone"}) }, clientJWT, "invalid_client"},
		{"client_id form parameter missing", func() string { return signAssertion(t, e, 1, clientKID, nil) }, "", "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ar, resp := e.login(t, clientJWT)
			code := e.mustCallback(t, ar, resp)
			form := url.Values{
				"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {ar.verifier},
				"redirect_uri":          {e.rp.URL + "/callback"},
				"client_assertion_type": {assertionType}, "client_assertion": {tc.assertion()},
			}
			if tc.clientID != "" {
				form.Set("client_id", tc.clientID)
			}
			r, err := e.idp.Client().PostForm(e.p.Issuer()+"/token", form)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Body.Close()
			var body map[string]string
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if body["error"] != tc.want {
				t.Errorf("got %d %q, want %q", r.StatusCode, body["error"], tc.want)
			}
			if body["access_token"] != "" {
				t.Errorf("tokens issued despite a bad assertion")
			}
		})
	}
}

func TestWrongSecretRejected(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ar, resp := e.login(t, clientBasic)
	code := e.mustCallback(t, ar, resp)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.p.Issuer()+"/token", strings.NewReader(url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {ar.verifier}, "redirect_uri": {e.rp.URL + "/callback"},
	}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(clientBasic, "wrong")
	r, err := e.idp.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong secret: got %d, want 401", r.StatusCode)
	}
}
