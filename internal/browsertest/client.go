package browsertest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// Client is a cookie-keeping HTTP client that records every URL it asks for or is redirected
// to: a browser without JavaScript, for full-stack router tests. Its methods fail the test on
// a transport error.
type Client struct {
	t testing.TB
	// HTTP is the client underneath; its Jar holds the cookies.
	HTTP *http.Client
	// Secret, when set, is a string (a national identity number) no answer may contain: an
	// answer that does fails the test.
	Secret string

	mu     sync.Mutex
	visits []string
}

// NewClient returns a Client with an empty cookie jar that follows up to ten redirects.
func NewClient(t testing.TB) *Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{t: t}
	c.HTTP = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		c.record(req.URL.String())
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return c
}

func (c *Client) record(u string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.visits = append(c.visits, u)
}

// Visits returns every URL the client has asked for or been redirected to, in order.
func (c *Client) Visits() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.visits)
}

// Page is one answer: the response (body already read and closed), its body and the parsed
// document.
type Page struct {
	Resp *http.Response
	Body string
	Doc  *goquery.Document
}

// Do sends req, following redirects.
func (c *Client) Do(req *http.Request) Page {
	c.t.Helper()
	return c.do(c.HTTP, req)
}

func (c *Client) do(hc *http.Client, req *http.Request) Page {
	c.t.Helper()
	c.record(req.URL.String())
	resp, err := hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.Secret != "" && strings.Contains(string(body), c.Secret) {
		c.t.Errorf("%s %s: the answer contains the national identity number", req.Method, req.URL.Path)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		c.t.Fatal(err)
	}
	return Page{Resp: resp, Body: string(body), Doc: doc}
}

// Get follows redirects; header is name, value pairs of request headers (e.g. HX-Request).
func (c *Client) Get(u string, header ...string) Page {
	c.t.Helper()
	return c.Do(c.request(http.MethodGet, u, nil, header))
}

// GetNoFollow answers the first response, redirects included.
func (c *Client) GetNoFollow(u string, header ...string) Page {
	c.t.Helper()
	hc := *c.HTTP
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c.do(&hc, c.request(http.MethodGet, u, nil, header))
}

// PostForm posts form URL-encoded and follows redirects; header as for Get.
func (c *Client) PostForm(u string, form url.Values, header ...string) Page {
	c.t.Helper()
	req := c.request(http.MethodPost, u, strings.NewReader(form.Encode()), header)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

func (c *Client) request(method, u string, body io.Reader, header []string) *http.Request {
	c.t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		c.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

// Login runs the whole code flow against the dev stack: the portal at portalURL sends the
// client to the ID-porten double at idportenURL, which logs pid in with its login_hint shortcut
// (for scripted tests) and sends it back. It returns the page the portal lands on.
func (c *Client) Login(portalURL, idportenURL, pid, returnTo string) Page {
	c.t.Helper()
	p := c.GetNoFollow(portalURL + "/login?return_to=" + url.QueryEscape(returnTo))
	loc := p.Resp.Header.Get("Location")
	if !strings.HasPrefix(loc, idportenURL+"/authorize?") {
		c.t.Fatalf("login redirect: got %d %q, want the double's /authorize", p.Resp.StatusCode, loc)
	}
	return c.Get(loc + "&login_hint=" + url.QueryEscape(pid))
}

// FormValues collects the named inputs of a form as a browser would submit them (hidden
// inputs, text, checked boxes and radios, selected options).
func FormValues(form *goquery.Selection) url.Values {
	v := url.Values{}
	form.Find("input[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch s.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, ok := s.Attr("checked"); ok {
				v.Add(name, s.AttrOr("value", "on"))
			}
		case "submit", "button", "image", "reset":
		default:
			v.Add(name, s.AttrOr("value", ""))
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]").First()
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		if opt.Length() > 0 {
			v.Add(s.AttrOr("name", ""), opt.AttrOr("value", opt.Text()))
		}
	})
	return v
}
