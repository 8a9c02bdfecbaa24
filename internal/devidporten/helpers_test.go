package devidporten

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
	"github.com/innboks/innboks/internal/testlog"
	"golang.org/x/oauth2"
)

// testKeys are generated once per test binary: RSA generation is slow on a shared machine.
var testKeys = sync.OnceValue(func() [2]*rsa.PrivateKey {
	var ks [2]*rsa.PrivateKey
	for i := range ks {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		ks[i] = k
	}
	return ks
})

// clock is a settable clock for the Provider.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a running double with a relying party server next to it.
type env struct {
	p      *Provider
	idp    *httptest.Server
	rp     *httptest.Server
	logs   *testlog.Buffer
	clock  *clock
	fcHits chan url.Values // front-channel logout calls received by the RP
	rpHits chan *url.URL   // callback and logged-out pages the browser reached
}

const (
	clientBasic = "basic-client"
	clientPost  = "post-client"
	clientJWT   = "jwt-client"
	clientKID   = "jwt-key-1"
)

// setup starts the double on a loopback port with three clients (one per auth method), all
// redirecting to the RP server.
func setup(t testing.TB, mods ...func(*Options)) *env {
	t.Helper()
	e := &env{logs: &testlog.Buffer{}, clock: &clock{t: time.Now()}, fcHits: make(chan url.Values, 10), rpHits: make(chan *url.URL, 10)}
	rpMux := http.NewServeMux()
	rpMux.HandleFunc("GET /frontchannel", func(w http.ResponseWriter, r *http.Request) {
		e.fcHits <- r.URL.Query()
	})
	landing := func(w http.ResponseWriter, r *http.Request) {
		select {
		case e.rpHits <- r.URL:
		default:
		}
		_, _ = w.Write([]byte("<!doctype html><title>RP</title><p id=rp>RP page</p>"))
	}
	rpMux.HandleFunc("GET /callback", landing)
	rpMux.HandleFunc("GET /logged-out", landing)
	e.rp = httptest.NewServer(rpMux)
	t.Cleanup(e.rp.Close)
	e.idp = httptest.NewUnstartedServer(http.NotFoundHandler())
	issuer := "http://" + e.idp.Listener.Addr().String()
	rpURL := e.rp.URL
	opts := Options{
		Issuer:     issuer,
		Logger:     slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Now:        e.clock.Now,
		SigningKey: testKeys()[0],
		Clients: []Client{
			{ID: clientBasic, Secret: "s3cret-basic", RedirectURIs: []string{rpURL + "/callback"}, PostLogoutRedirectURIs: []string{rpURL + "/logged-out"}, Name: "Innboks (test)"},
			{ID: clientPost, Secret: "s3cret-post", AuthMethod: AuthSecretPost, RedirectURIs: []string{rpURL + "/callback"}, PostLogoutRedirectURIs: []string{rpURL + "/logged-out"}, FrontChannelLogoutURI: rpURL + "/frontchannel"},
			{ID: clientJWT, AuthMethod: AuthPrivateKeyJWT, PublicKeys: []PublicKey{{KeyID: clientKID, Key: &testKeys()[1].PublicKey}}, RedirectURIs: []string{rpURL + "/callback"}},
		},
	}
	for _, m := range mods {
		m(&opts)
	}
	p, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.p = p
	e.idp.Config.Handler = p.Handler()
	e.idp.Start()
	t.Cleanup(e.idp.Close)
	return e
}

// browser is an HTTP client with a cookie jar that stops at the RP's callback and logged-out
// pages, as a browser would hand them to the RP.
func (e *env) browser(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rpHost := strings.TrimPrefix(e.rp.URL, "http://")
	return &http.Client{
		Jar: jar,
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if req.URL.Host == rpHost {
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
}

// oauthConfig is the x/oauth2 configuration of one of the test clients.
func (e *env) oauthConfig(clientID string) *oauth2.Config {
	c := &oauth2.Config{
		ClientID:    clientID,
		RedirectURL: e.rp.URL + "/callback",
		Scopes:      []string{"openid", "digdir:dialogporten", "altinn:correspondence.read"},
		Endpoint: oauth2.Endpoint{
			AuthURL:   e.p.Issuer() + "/authorize",
			TokenURL:  e.p.Issuer() + "/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
	switch clientID {
	case clientBasic:
		c.ClientSecret = "s3cret-basic"
	case clientPost:
		c.ClientSecret = "s3cret-post"
		c.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	case clientJWT:
		c.Endpoint.AuthStyle = oauth2.AuthStyleInParams
	}
	return c
}

// assertion is a fresh private_key_jwt client assertion for the JWT client.
func (e *env) assertion(t testing.TB) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: testKeys()[1], KeyID: clientKID}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	payload, err := json.Marshal(map[string]any{
		"iss": clientJWT, "sub": clientJWT, "aud": e.p.Issuer(),
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": randomID(12),
	})
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// clientAuthOpts are the extra token-request parameters of a client (a fresh assertion for
// private_key_jwt).
func (e *env) clientAuthOpts(t testing.TB, clientID string) []oauth2.AuthCodeOption {
	t.Helper()
	if clientID != clientJWT {
		return nil
	}
	return []oauth2.AuthCodeOption{
		oauth2.SetAuthURLParam("client_assertion_type", assertionType),
		oauth2.SetAuthURLParam("client_assertion", e.assertion(t)),
	}
}

const assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// authResult is what the browser brought back to the RP's callback.
type authResult struct {
	verifier string
	nonce    string
	state    string
	query    url.Values
}

// authorize runs /authorize in browser with PKCE, state and nonce plus extra parameters and
// follows redirects until the RP's callback or a page of the double. It returns the final
// response (the picker or the callback redirect).
func (e *env) authorize(t testing.TB, browser *http.Client, clientID string, extra map[string]string) (*authResult, *http.Response) {
	t.Helper()
	ar := &authResult{verifier: oauth2.GenerateVerifier(), nonce: randomID(12), state: randomID(12)}
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(ar.verifier), oauth2.SetAuthURLParam("nonce", ar.nonce)}
	for k, v := range extra {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	resp, err := browser.Get(e.oauthConfig(clientID).AuthCodeURL(ar.state, opts...))
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := url.Parse(loc)
		if err != nil {
			t.Fatal(err)
		}
		ar.query = u.Query()
	}
	return ar, resp
}

// mustCallback asserts that resp is the redirect to the RP's callback with a code, the state
// and iss, and returns the code.
func (e *env) mustCallback(t testing.TB, ar *authResult, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), e.rp.URL+"/callback?") {
		t.Fatalf("got status %d Location %q, want 302 to the RP callback", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := ar.query.Get("state"); got != ar.state {
		t.Errorf("callback state = %q, want %q", got, ar.state)
	}
	if got := ar.query.Get("iss"); got != e.p.Issuer() {
		t.Errorf("callback iss = %q, want %q", got, e.p.Issuer())
	}
	code := ar.query.Get("code")
	if code == "" {
		t.Fatalf("callback without code: %v", ar.query)
	}
	return code
}

// exchange redeems code as clientID.
func (e *env) exchange(t testing.TB, clientID, code, verifier string) (*oauth2.Token, error) {
	t.Helper()
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, e.idp.Client())
	opts := append([]oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}, e.clientAuthOpts(t, clientID)...)
	return e.oauthConfig(clientID).Exchange(ctx, code, opts...)
}

// postToken posts a raw form to /token as clientID and decodes the JSON answer.
func (e *env) postToken(t testing.TB, clientID string, form url.Values) (int, map[string]any) {
	t.Helper()
	switch clientID {
	case clientPost:
		form.Set("client_id", clientPost)
		form.Set("client_secret", "s3cret-post")
	case clientJWT:
		form.Set("client_id", clientJWT)
		form.Set("client_assertion_type", assertionType)
		form.Set("client_assertion", e.assertion(t))
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.p.Issuer()+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	if clientID == clientBasic {
		req.SetBasicAuth(clientBasic, "s3cret-basic")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := e.idp.Client().Do(req)
	if err != nil {
		t.Fatalf("token: %v", err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("token response: %v", err)
	}
	return resp.StatusCode, body
}

// verifier discovers the double with go-oidc, as a relying party and the emulator would.
func (e *env) verifier(t testing.TB, clientID string) *oidc.IDTokenVerifier {
	t.Helper()
	ctx := oidc.ClientContext(t.Context(), e.idp.Client())
	prov, err := oidc.NewProvider(ctx, e.p.Issuer())
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	cfg := &oidc.Config{ClientID: clientID, Now: e.clock.Now}
	if clientID == "" {
		cfg.SkipClientIDCheck = true
	}
	return prov.Verifier(cfg)
}

// claims verifies a JWT from the double and returns its claims.
func (e *env) claims(t testing.TB, clientID, token string) map[string]any {
	t.Helper()
	ctx := oidc.ClientContext(t.Context(), e.idp.Client())
	tok, err := e.verifier(t, clientID).Verify(ctx, token)
	if err != nil {
		t.Fatalf("verify token: %v", err)
	}
	var m map[string]any
	if err := tok.Claims(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// unverifiedClaims decodes a JWT payload without checking it (for expired tokens).
func unverifiedClaims(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %d parts", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// page parses an HTML response.
func page(t testing.TB, resp *http.Response) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}
