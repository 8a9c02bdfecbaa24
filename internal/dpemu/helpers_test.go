package dpemu

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// testIssuer is the ID-porten stand-in of the tests: an RSA key the emulator trusts.
const testIssuer = "https://idporten.test/"

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

func rsaKey(t testing.TB) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

func testIssuers(t testing.TB) []Issuer {
	k := rsaKey(t)
	set := &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.PublicKey, KeyID: "test-1", Algorithm: "RS256", Use: "sig"}}}
	return []Issuer{{URL: testIssuer, Keys: set}}
}

// fixedNow is the clock of every test scenario.
var fixedNow = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// signToken signs claims with the test issuer's key; defaults are merged in.
func signToken(t testing.TB, claims map[string]any) string {
	t.Helper()
	c := map[string]any{
		"iss": testIssuer, "scope": "openid digdir:dialogporten", "acr": "idporten-loa-substantial",
		"iat": fixedNow.Unix(), "exp": fixedNow.Add(2 * time.Minute).Unix(),
	}
	for k, v := range claims {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey(t), KeyID: "test-1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jwt.Signed(sig).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// fixture is a running emulator for one scenario.
type fixture struct {
	e   *Emulator
	srv *httptest.Server
}

var (
	fixMu    sync.Mutex
	fixCache = map[string]*Emulator{}
)

// newFixture starts an emulator; mutate=false shares one read-mostly emulator per scenario.
func newFixture(t testing.TB, scenario string, shared bool) *fixture {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	build := func() *Emulator {
		e, err := New(Options{Scenario: scenario, Seed: 42, BaseURL: base, Issuers: testIssuers(t), Now: func() time.Time { return fixedNow }})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	var e *Emulator
	if shared {
		fixMu.Lock()
		e = fixCache[scenario]
		if e == nil {
			e = build()
			fixCache[scenario] = e
		}
		fixMu.Unlock()
	} else {
		e = build()
	}
	srv.Config.Handler = e.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &fixture{e: e, srv: srv}
}

// userToken returns a token for the scenario's i-th user.
func (f *fixture) userToken(t testing.TB, i int, extra map[string]any) string {
	u := f.e.Users()[i]
	c := map[string]any{"pid": u.PID}
	for k, v := range extra {
		c[k] = v
	}
	return signToken(t, c)
}

// do sends a request and returns status, headers and body.
func (f *fixture) do(t testing.TB, client *http.Client, method, path, token string, body string, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, f.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	if client == nil {
		client = f.srv.Client()
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %s: %v", truncate(b), err)
	}
	return v
}

func truncate(b []byte) string {
	if len(b) > 400 {
		return string(b[:400]) + "…"
	}
	return string(b)
}

// searchPage is the part of a search response the tests read.
type searchPage struct {
	Items []struct {
		ID                 string `json:"id"`
		Party              string `json:"party"`
		Org                string `json:"org"`
		ContentUpdatedAt   string `json:"contentUpdatedAt"`
		CreatedAt          string `json:"createdAt"`
		DueAt              string `json:"dueAt"`
		Status             string `json:"status"`
		IsContentSeen      bool   `json:"isContentSeen"`
		HasUnopenedContent bool   `json:"hasUnopenedContent"`
		ServiceResource    string `json:"serviceResource"`
		Content            struct {
			Title struct {
				Value []struct{ Value, LanguageCode string } `json:"value"`
			} `json:"title"`
		} `json:"content"`
		EndUserContext struct {
			Revision     string   `json:"revision"`
			SystemLabels []string `json:"systemLabels"`
		} `json:"endUserContext"`
	} `json:"items"`
	HasNextPage       bool    `json:"hasNextPage"`
	ContinuationToken *string `json:"continuationToken"`
	OrderBy           string  `json:"orderBy"`
}
