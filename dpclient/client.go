// Package dpclient is a typed client for the Dialogporten end-user API (every end-user
// endpoint of https://platform.altinn.no/dialogporten/api/v1), the Altinn 3 Correspondence
// recipient endpoints and the Altinn token exchange.
//
// One Client serves many users: give it a TokenSource per client (WithTokenSource) or per call
// (WithCallToken). Answers outside 2xx come back as *Error, which matches the sentinel errors
// (ErrNotFound, ErrUnauthorized, …) through errors.Is.
//
//	c, err := dpclient.New("https://platform.tt02.altinn.no/dialogporten")
//	...
//	tok := dpclient.WithCallToken(dpclient.StaticToken(idportenAccessToken))
//	for page, err := range c.SearchAll(ctx, dpclient.SearchParams{Party: parties}, tok, dpclient.WithLanguage("nb")) {
//		...
//	}
//	d, err := c.GetDialog(ctx, id, tok)
//	switch {
//	case errors.Is(err, dpclient.ErrAuthLevelTooLow): // step up to idporten-loa-high
//	case errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone):
//	}
//
// Error messages name the method and path only, never the query (party URNs hold national
// identity numbers) or a token.
package dpclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	defaultTimeout   = 30 * time.Second
	defaultUserAgent = "innboks-dpclient"
	// defaultMaxBody bounds a success body that is decoded into memory.
	defaultMaxBody = 32 << 20
)

// TokenSource yields the bearer token for a request.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// TokenFunc adapts a function to TokenSource.
type TokenFunc func(ctx context.Context) (string, error)

// Token implements TokenSource.
func (f TokenFunc) Token(ctx context.Context) (string, error) { return f(ctx) }

// StaticToken is a fixed bearer token.
type StaticToken string

// Token implements TokenSource.
func (s StaticToken) Token(context.Context) (string, error) { return string(s), nil }

// Client talks to Dialogporten and the Altinn platform. It is safe for concurrent use.
type Client struct {
	baseURL        *url.URL // Dialogporten base, without trailing slash
	platformURL    *url.URL // Altinn platform base, without trailing slash
	httpClient     *http.Client
	token          TokenSource
	userAgent      string
	maxBody        int64
	maxPartiesBody int64 // GetParties' bound (the party list is not paged)
	now            func() time.Time
}

// Option configures a Client in New.
type Option func(*settings)

type settings struct {
	httpClient  *http.Client
	token       TokenSource
	platformURL string
	userAgent   string
}

// WithHTTPClient sets the HTTP client (timeouts, transport). The default is a client with a
// 30 s timeout; http.DefaultClient is never used.
func WithHTTPClient(hc *http.Client) Option { return func(s *settings) { s.httpClient = hc } }

// WithTokenSource sets the client's bearer token; WithCallToken overrides it per call.
func WithTokenSource(ts TokenSource) Option { return func(s *settings) { s.token = ts } }

// WithPlatformURL sets the Altinn platform base (token exchange, Correspondence), e.g.
// https://platform.tt02.altinn.no. The default is the Dialogporten base without a trailing
// "/dialogporten".
func WithPlatformURL(u string) Option { return func(s *settings) { s.platformURL = u } }

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option { return func(s *settings) { s.userAgent = ua } }

// New returns a client for the Dialogporten base URL, e.g.
// https://platform.tt02.altinn.no/dialogporten (routes are {base}/api/v1/...).
func New(baseURL string, opts ...Option) (*Client, error) {
	s := settings{userAgent: defaultUserAgent}
	for _, o := range opts {
		o(&s)
	}
	base, err := parseBase(baseURL)
	if err != nil {
		return nil, fmt.Errorf("dpclient: base URL: %w", err)
	}
	if s.platformURL == "" {
		s.platformURL = strings.TrimSuffix(base.String(), "/dialogporten")
	}
	platform, err := parseBase(s.platformURL)
	if err != nil {
		return nil, fmt.Errorf("dpclient: platform URL: %w", err)
	}
	hc := s.httpClient
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimeout}
	}
	return &Client{
		baseURL:        base,
		platformURL:    platform,
		httpClient:     hc,
		token:          s.token,
		userAgent:      s.userAgent,
		maxBody:        defaultMaxBody,
		maxPartiesBody: defaultMaxPartiesBody,
		now:            time.Now,
	}, nil
}

func parseBase(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
}

// BaseURL returns the Dialogporten base URL the client was built with.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// PlatformURL returns the Altinn platform base URL.
func (c *Client) PlatformURL() string { return c.platformURL.String() }

// CallOption adjusts one call.
type CallOption func(*callOptions)

type callOptions struct {
	token    TokenSource
	language string
	accept   string
}

// WithCallToken sets the bearer token for this call, overriding the client's.
func WithCallToken(ts TokenSource) CallOption { return func(o *callOptions) { o.token = ts } }

// WithLanguage sets Accept-Language for this call (e.g. "nb,en;q=0.8"); Dialogporten then
// prunes every localized list to the best single language.
func WithLanguage(acceptLanguage string) CallOption {
	return func(o *callOptions) { o.language = acceptLanguage }
}

// apiURL resolves path (starting with "/") against the Dialogporten base.
func (c *Client) apiURL(path string, q url.Values) string {
	return joinURL(c.baseURL, path, q)
}

// platURL resolves path (starting with "/") against the platform base.
func (c *Client) platURL(path string, q url.Values) string {
	return joinURL(c.platformURL, path, q)
}

func joinURL(base *url.URL, path string, q url.Values) string {
	s := base.String() + path
	if len(q) > 0 {
		s += "?" + q.Encode()
	}
	return s
}

// NewRequest builds a request for urlStr with body encoded as JSON (nil for none), the
// Accept, Accept-Language and User-Agent headers, and the bearer token from the call options
// or the client.
func (c *Client) NewRequest(ctx context.Context, method, urlStr string, body any, opts ...CallOption) (*http.Request, error) {
	var o callOptions
	for _, opt := range opts {
		opt(&o)
	}
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("dpclient: encode body: %w", err)
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, urlStr, rdr)
	if err != nil {
		return nil, fmt.Errorf("dpclient: build request: %w", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	accept := o.accept
	if accept == "" {
		accept = "application/json"
	}
	req.Header.Set("Accept", accept)
	if o.language != "" {
		req.Header.Set("Accept-Language", o.language)
	}
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	ts := o.token
	if ts == nil {
		ts = c.token
	}
	if ts != nil {
		tok, err := ts.Token(ctx)
		if err != nil {
			return nil, fmt.Errorf("dpclient: token: %w", err)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
	}
	return req, nil
}

// Do sends req and, on a 2xx answer, decodes the JSON body into v (unless v is nil or the
// answer has no body). Answers outside 2xx return an *Error. The response body is closed.
func (c *Client) Do(req *http.Request, v any) (*http.Response, error) {
	resp, err := c.send(req)
	if err != nil {
		return nil, err
	}
	defer drainClose(resp.Body)
	if v == nil || resp.StatusCode == http.StatusNoContent {
		return resp, nil
	}
	lr := &io.LimitedReader{R: resp.Body, N: c.maxBody + 1}
	if err := json.NewDecoder(lr).Decode(v); err != nil {
		if lr.N <= 0 {
			return resp, fmt.Errorf("dpclient: %s %s: %w", req.Method, req.URL.EscapedPath(), ErrResponseTooLarge)
		}
		if errors.Is(err, io.EOF) {
			return resp, nil // empty body
		}
		return resp, fmt.Errorf("dpclient: %s %s: decode: %w", req.Method, req.URL.EscapedPath(), err)
	}
	return resp, nil
}

// send performs req and turns a non-2xx answer into an *Error. On success the caller owns
// the body. Transport errors are stripped of the URL (its query may hold a national
// identity number) but keep their cause for errors.Is (context.Canceled and the like).
func (c *Client) send(req *http.Request) (*http.Response, error) {
	resp, err := c.httpClient.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil {
			err = ctxErr
		} else if ue := (*url.Error)(nil); errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("dpclient: %s %s: %w", req.Method, req.URL.EscapedPath(), err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	defer drainClose(resp.Body)
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return nil, newError(resp, body, c.now())
}

// readLimited reads r to the end, failing with ErrResponseTooLarge beyond limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrResponseTooLarge
	}
	return b, nil
}

// drainClose reads a little of what is left so the connection can be reused, then closes.
func drainClose(rc io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(rc, 4<<10))
	_ = rc.Close()
}

// get is the common GET-and-decode path.
func (c *Client) get(ctx context.Context, urlStr string, v any, opts []CallOption) (*http.Response, error) {
	req, err := c.NewRequest(ctx, http.MethodGet, urlStr, nil, opts...)
	if err != nil {
		return nil, err
	}
	return c.Do(req, v)
}

// pathID escapes one path segment and refuses an empty one.
func pathID(name, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", fmt.Errorf("dpclient: %s is empty", name)
	}
	return url.PathEscape(id), nil
}

// unquoteETag strips the quotes (and a weak prefix) of an entity tag; Dialogporten sends bare
// GUIDs, but proxies may quote them.
func unquoteETag(v string) string {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(v, "W/")
	return strings.Trim(v, `"`)
}
