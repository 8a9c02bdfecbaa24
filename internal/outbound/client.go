package outbound

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// Client calls service-owner URLs within the fences of its Config. It is safe for concurrent
// use; build one and share it.
type Client struct {
	cfg Config
	rt  http.RoundTripper
}

// New builds a Client from cfg (zero fields take the defaults).
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	c := &Client{cfg: cfg}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second, Control: c.control}
	tr := &http.Transport{
		Proxy:                 nil, // never a proxy from the environment: the dial check must see the real peer
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		ResponseHeaderTimeout: cfg.HeaderTimeout,
		ExpectContinueTimeout: time.Second,
		// A popular service owner is called by many users at once (front-channel content,
		// downloads): with 10 idle connections per host, every call beyond the tenth
		// concurrent one opened a new connection (and TLS handshake) and closed it again.
		MaxIdleConns:           512,
		MaxIdleConnsPerHost:    128,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
		ForceAttemptHTTP2:      true,
		// Bodies are passed on byte for byte (attachments) and limits count real bytes.
		DisableCompression: true,
	}
	var rt http.RoundTripper = tr
	if cfg.WrapTransport != nil {
		rt = cfg.WrapTransport(tr)
	}
	c.rt = locationCheck{rt}
	return c
}

// control runs after DNS resolution, just before connecting: it refuses special addresses.
func (c *Client) control(_, address string, _ syscall.RawConn) error {
	if c.cfg.AllowPrivateNetworks {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil || specialAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrAddressRefused, ap.Addr())
	}
	return nil
}

// checkRedirect follows a redirect only to the same origin, at most MaxRedirects, and only
// when the fence and the call's guard allow the new URL. Returning an error here means the
// request is never sent, so the token never reaches a refused URL.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request, guard func(*url.URL) error) error {
	if len(via) > c.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirectRefused, c.cfg.MaxRedirects)
	}
	from, to := CanonicalOrigin(via[0].URL), CanonicalOrigin(req.URL)
	if from != to {
		return fmt.Errorf("%w: from %s to %s", ErrRedirectRefused, from, to)
	}
	if err := c.checkURL(req.URL); err != nil {
		return fmt.Errorf("%w: %w", ErrRedirectRefused, err)
	}
	if guard != nil {
		if err := guard(cloneURL(req.URL)); err != nil {
			return fmt.Errorf("%w: by the guard: %w", ErrRedirectRefused, err)
		}
	}
	return nil
}

// locationCheck refuses a redirect whose Location does not parse: net/http would put that
// Location, path and query, into its error.
type locationCheck struct{ rt http.RoundTripper }

func (l locationCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.rt.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		if loc := resp.Header.Get("Location"); loc != "" {
			if _, perr := req.URL.Parse(loc); perr != nil {
				drainClose(resp.Body)
				return nil, fmt.Errorf("%w: a Location that does not parse", ErrRedirectRefused)
			}
		}
	}
	return resp, nil
}

// Request is one outbound call. The bearer token is set per request and never logged.
type Request struct {
	// Method is GET when empty; GET, HEAD, POST, PUT, PATCH and DELETE are allowed.
	Method string
	URL    string
	// Token is sent as "Authorization: Bearer <Token>" when not empty.
	Token string
	// AcceptLanguage is sent when not empty (the user's language first, for embeds).
	AcceptLanguage string
	// Prefer is sent when not empty (RFC 7240; embeds get the user's time zone, as Altinn's
	// own inbox sends it: timezone="Europe/Oslo").
	Prefer string
	// Accept is sent when not empty.
	Accept      string
	Body        io.Reader
	ContentType string
	// Guard, when set, is asked about every URL the call would send, just before it is sent:
	// the first one (after the fence's own checks) and each same-origin redirect. An error
	// refuses the call (wrapped with ErrURLRefused, or ErrRedirectRefused for a redirect, and
	// kept for errors.Is), and that URL, with its token, is not sent. Guard gets a copy of
	// the URL as it goes on the wire (compare it with CanonicalOrigin and CanonicalPath). Its
	// error must not name the URL's path or query: it ends up in logs.
	Guard func(*url.URL) error
}

// EmbedAccept is the Accept header Fetch sends; pass it to Call to fetch an embed with a Guard.
const EmbedAccept = "text/markdown, text/html;q=0.9, text/plain;q=0.8"

// Response is a fully read answer of Fetch or Call.
type Response struct {
	StatusCode  int
	ContentType string
	Header      http.Header
	Body        []byte
}

// Download is a streamed answer of Download. The caller reads Body and closes it; reading
// past the limit fails with ErrTooLarge.
type Download struct {
	Body               io.ReadCloser
	ContentType        string
	ContentDisposition string
	// ContentLength is -1 when unknown.
	ContentLength int64
	Header        http.Header
}

// Fetch GETs url with the token and language and reads the body (at most ContentLimit bytes):
// the front-channel embed fetch. A non-2xx answer is a *StatusError.
func (c *Client) Fetch(ctx context.Context, url, token, acceptLanguage string) (*Response, error) {
	return c.Call(ctx, Request{URL: url, Token: token, AcceptLanguage: acceptLanguage,
		Accept: EmbedAccept})
}

// Call performs r and reads the body (at most ContentLimit bytes), all within TotalTimeout.
// A non-2xx answer is a *StatusError.
func (c *Client) Call(ctx context.Context, r Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TotalTimeout)
	defer cancel()
	resp, s, err := c.do(ctx, r)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > c.cfg.ContentLimit {
		return nil, fmt.Errorf("%w: %d bytes announced", ErrTooLarge, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.ContentLimit+1))
	if err == nil && ctx.Err() != nil {
		// A body cut off by the deadline can end in a clean EOF (seen with Go 1.27's
		// transport): never hand out a possibly truncated body as complete.
		err = ctx.Err()
	}
	if err != nil {
		return nil, s.classify(ctx, err)
	}
	if int64(len(body)) > c.cfg.ContentLimit {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, c.cfg.ContentLimit)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, &StatusError{StatusCode: resp.StatusCode}
	}
	return &Response{StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"),
		Header: resp.Header, Body: body}, nil
}

// Download performs r (usually a GET) and returns the body as a stream limited to
// DownloadLimit bytes, within DownloadTimeout. The caller must close Body. A non-2xx answer is
// a *StatusError (the body is closed).
func (c *Client) Download(ctx context.Context, r Request) (*Download, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.DownloadTimeout)
	resp, s, err := c.do(ctx, r)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		drainClose(resp.Body)
		cancel()
		return nil, &StatusError{StatusCode: resp.StatusCode}
	}
	if resp.ContentLength > c.cfg.DownloadLimit {
		drainClose(resp.Body)
		cancel()
		return nil, fmt.Errorf("%w: %d bytes announced", ErrTooLarge, resp.ContentLength)
	}
	return &Download{
		Body:               &limitedBody{rc: resp.Body, remaining: c.cfg.DownloadLimit, cancel: cancel, ctx: ctx, sent: s},
		ContentType:        resp.Header.Get("Content-Type"),
		ContentDisposition: resp.Header.Get("Content-Disposition"),
		ContentLength:      resp.ContentLength,
		Header:             resp.Header,
	}, nil
}

// do checks and sends one request; errors are classified (timeout, refused, unavailable) and
// name the origin only. The sent it returns classifies later errors (the body's) the same way.
func (c *Client) do(ctx context.Context, r Request) (*http.Response, *sent, error) {
	u, method, err := c.permit(r.Method, r.URL) // the very rule Permits applies at draw time
	if err != nil {
		return nil, nil, err
	}
	s := &sent{origin: CanonicalOrigin(u), urls: []*url.URL{u}}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r.Body)
	if err != nil {
		// Not err itself: a parse error quotes the whole URL.
		return nil, nil, &Refusal{Reason: ReasonForm, Origin: s.origin, Detail: "cannot be sent"}
	}
	s.urls = append(s.urls, req.URL)
	if r.Guard != nil {
		if err := r.Guard(cloneURL(req.URL)); err != nil {
			return nil, nil, s.clean(fmt.Errorf("%w: by the guard: %w", ErrURLRefused, err))
		}
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.AcceptLanguage != "" {
		req.Header.Set("Accept-Language", r.AcceptLanguage)
	}
	if r.Prefer != "" {
		req.Header.Set("Prefer", r.Prefer)
	}
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	hc := &http.Client{
		Transport: c.rt,
		CheckRedirect: func(next *http.Request, via []*http.Request) error {
			s.urls = append(s.urls, next.URL)
			return c.checkRedirect(next, via, r.Guard)
		},
		Jar: nil, // no cookies, ever
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, nil, s.classify(ctx, err)
	}
	return resp, s, nil
}

// limitedBody streams a download, failing once more than the limit has been read, and
// releases the download's context when closed.
type limitedBody struct {
	rc        io.ReadCloser
	remaining int64
	cancel    context.CancelFunc
	ctx       context.Context
	sent      *sent
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if int64(len(p)) > b.remaining+1 {
		p = p[:b.remaining+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) > b.remaining {
		n = int(b.remaining)
		b.remaining = -1
		return n, fmt.Errorf("%w: more than the download limit", ErrTooLarge)
	}
	b.remaining -= int64(n)
	if err == io.EOF && b.ctx.Err() != nil {
		err = b.ctx.Err() // cut off by the deadline, not complete (see Call)
	}
	if err != nil && err != io.EOF {
		err = b.sent.classify(b.ctx, err)
	}
	return n, err
}

func (b *limitedBody) Close() error {
	err := b.rc.Close()
	b.cancel()
	return err
}

// drainClose reads a little of a body so the connection can be reused, then closes it.
func drainClose(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, 4<<10)
	_ = rc.Close()
}
