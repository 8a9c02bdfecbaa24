package devprofile

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestStatuses: the double answers as AUTH-AND-NEIGHBOURS §G says Altinn does.
func TestStatuses(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	const iss = "https://platform.test/authentication/api/v1/openid/"
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k1"}}, nil)
	token := func(claims map[string]any) string {
		s, err := jwt.Signed(signer).Claims(claims).Serialize()
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := token(map[string]any{"iss": iss, "exp": time.Now().Add(time.Minute).Unix(), "urn:altinn:userid": "20001"})
	mux := http.NewServeMux()
	New(Options{Issuer: iss, Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256"}}}}).Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	const base = Prefix + "/users/current/party-groups"
	const party = "0b4c6a2e-1f7e-4d7b-9a51-3e2f0c9d8a10"
	call := func(tok, method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		tok, method, path, body string
		status                  int
		has                     string
	}{
		{"nonsense", "GET", base + "/favorites", "", 401, ""},
		{token(map[string]any{"iss": "https://other/", "exp": time.Now().Add(time.Minute).Unix(), "urn:altinn:userid": "1"}), "GET", base, "", 401, ""},
		{good, "GET", base + "/favorites", "", 200, `"isFavorite":true`},
		{good, "PUT", base + "/favorites/" + party, "", 201, ""},
		{good, "PUT", base + "/favorites/" + party, "", 204, ""},
		{good, "PUT", base + "/favorites/not-a-uuid", "", 400, ""},
		{good, "GET", base + "/favorites", "", 200, party},
		{good, "DELETE", base + "/favorites/" + party, "", 204, ""},
		{good, "DELETE", base + "/favorites/" + party, "", 404, ""},
		{good, "POST", base, `{"name":"Bergen"}`, 201, `"name":"Bergen"`},
		{good, "PUT", base + "/2/associations/" + party, "", 200, party},
		{good, "PATCH", base + "/2", `{"name":"Bergen kontor"}`, 200, "Bergen kontor"},
		{good, "PATCH", base + "/1", `{"name":"x"}`, 422, ""},
		{good, "DELETE", base + "/1", "", 422, ""},
		{good, "GET", base, "", 200, "Bergen kontor"},
		{good, "DELETE", base + "/2", "", 204, ""},
		{good, "GET", base + "/2", "", 404, ""},
	} {
		status, body := call(tc.tok, tc.method, tc.path, tc.body)
		if status != tc.status || !strings.Contains(body, tc.has) {
			t.Errorf("%s %s: got %d %s, want %d with %q", tc.method, tc.path, status, body, tc.status, tc.has)
		}
	}
}
