package outbound

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Client calls service-owner URLs within the fences of its Config. It is safe for concurrent
// use; build one and share it.
type Client struct {
	cfg Config
	hc  *http.Client
}

// New builds a Client from cfg (zero fields take the defaults).
func New(cfg Config) *Client {
	cfg = cfg.withDefaults()
	c := &Client{cfg: cfg}
	dialer := &net.Dialer{Timeout: cfg.ConnectTimeout, KeepAlive: 30 * time.Second, Control: c.control}
	tr := &http.Transport{
		Proxy:                  nil, // never a proxy from the environment: the dial check must see the real peer
		DialContext:            dialer.DialContext,
		TLSClientConfig:        &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    cfg.ConnectTimeout,
		ResponseHeaderTimeout:  cfg.HeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    10,
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
	c.hc = &http.Client{
		Transport:     rt,
		CheckRedirect: c.checkRedirect,
		Jar:           nil, // no cookies, ever
	}
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

// checkRedirect follows redirects only to the same scheme and host, at most MaxRedirects.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > c.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d redirects", ErrRedirectRefused, c.cfg.MaxRedirects)
	}
	first := via[0].URL
	if !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host) {
		return fmt.Errorf("%w: from host %q to %q", ErrRedirectRefused, first.Hostname(), req.URL.Hostname())
	}
	return c.checkURL(req.URL)
}

// Request is one outbound call. The bearer token is set per request and never logged.
type Request struct {
	// Method is GET when empty; GET, HEAD, POST, PUT, PATCH and DELETE are allowed.
	Method string
	URL    string
	// Token is sent as "Authorization: Bearer <Token>" when not empty.
	Token string
	// AcceptLanguage is sent when not empty (the user's language, for embeds).
	AcceptLanguage string
	// Accept is sent when not empty.
	Accept      string
	Body        io.Reader
	ContentType string
}

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

var allowedMethods = map[string]bool{
	http.MethodGet: true, http.MethodHead: true, http.MethodPost: true,
	http.MethodPut: true, http.MethodPatch: true, http.MethodDelete: true,
}

// Fetch GETs url with the token and language and reads the body (at most ContentLimit bytes):
// the front-channel embed fetch. A non-2xx answer is a *StatusError.
func (c *Client) Fetch(ctx context.Context, url, token, acceptLanguage string) (*Response, error) {
	return c.Call(ctx, Request{URL: url, Token: token, AcceptLanguage: acceptLanguage,
		Accept: "text/markdown, text/html;q=0.9, text/plain;q=0.8"})
}

// Call performs r and reads the body (at most ContentLimit bytes), all within TotalTimeout.
// A non-2xx answer is a *StatusError.
func (c *Client) Call(ctx context.Context, r Request) (*Response, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.TotalTimeout)
	defer cancel()
	resp, err := c.do(ctx, r)
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
		return nil, classify(ctx, err)
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
	resp, err := c.do(ctx, r)
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
		Body:               &limitedBody{rc: resp.Body, remaining: c.cfg.DownloadLimit, cancel: cancel, ctx: ctx},
		ContentType:        resp.Header.Get("Content-Type"),
		ContentDisposition: resp.Header.Get("Content-Disposition"),
		ContentLength:      resp.ContentLength,
		Header:             resp.Header,
	}, nil
}

// do checks and sends one request; errors are classified (timeout, refused, unavailable).
func (c *Client) do(ctx context.Context, r Request) (*http.Response, error) {
	method := strings.ToUpper(r.Method)
	if method == "" {
		method = http.MethodGet
	}
	if !allowedMethods[method] {
		return nil, fmt.Errorf("%w: method %q", ErrURLRefused, r.Method)
	}
	u, err := c.Check(r.URL)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrURLRefused, err)
	}
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.Token != "" {
		req.Header.Set("Authorization", "Bearer "+r.Token)
	}
	if r.AcceptLanguage != "" {
		req.Header.Set("Accept-Language", r.AcceptLanguage)
	}
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.ContentType != "" {
		req.Header.Set("Content-Type", r.ContentType)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, classify(ctx, err)
	}
	return resp, nil
}

// classify maps transport errors onto the package's sentinels, keeping the cause. A request
// cancelled by its caller reports the caller's context error.
func classify(ctx context.Context, err error) error {
	for _, known := range []error{ErrURLRefused, ErrAddressRefused, ErrRedirectRefused, ErrTooLarge} {
		if errors.Is(err, known) {
			return err
		}
	}
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.DeadlineExceeded) {
		return cause // the caller cancelled: not the service owner's fault
	}
	// *url.Error prints the whole URL; service-owner URLs may carry identifiers in the path or
	// query, so keep only the host in anything that may reach a log.
	var ue *url.Error
	if errors.As(err, &ue) {
		host := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Hostname()
		}
		err = fmt.Errorf("%s %s: %w", ue.Op, host, ue.Err)
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	return fmt.Errorf("%w: %w", ErrUnavailable, err)
}

// limitedBody streams a download, failing once more than the limit has been read, and
// releases the download's context when closed.
type limitedBody struct {
	rc        io.ReadCloser
	remaining int64
	cancel    context.CancelFunc
	ctx       context.Context
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
		err = classify(b.ctx, err)
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
