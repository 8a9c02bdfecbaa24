package e2e

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// client is a cookie-keeping HTTP client that records every URL it visits: a browser without
// JavaScript, for the router tests.
type client struct {
	t      *testing.T
	c      *http.Client
	mu     sync.Mutex
	visits []string
	// secret, when set, is a national identity number no page of the portal may contain.
	secret string
}

func newClient(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &client{t: t}
	b.c = &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.record(req.URL.String())
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

func (b *client) record(u string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.visits = append(b.visits, u)
}

// page is one answer: the response (body already read), its body and the parsed document.
type page struct {
	resp *http.Response
	body string
	doc  *goquery.Document
}

func (b *client) do(req *http.Request) page {
	b.t.Helper()
	b.record(req.URL.String())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	if b.secret != "" && strings.Contains(string(body), b.secret) {
		b.t.Errorf("%s %s: the answer contains the national identity number", req.Method, req.URL.Path)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(string(body)))
	if err != nil {
		b.t.Fatal(err)
	}
	return page{resp: resp, body: string(body), doc: doc}
}

// get follows redirects; header adds request headers (e.g. HX-Request).
func (b *client) get(u string, header ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// getNoFollow answers the first response, redirects included.
func (b *client) getNoFollow(u string, header ...string) page {
	b.t.Helper()
	c := *b.c
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	saved := b.c
	b.c = &c
	defer func() { b.c = saved }()
	return b.get(u, header...)
}

func (b *client) postForm(u string, form url.Values, header ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.do(req)
}

// login runs the whole code flow with the double's login_hint shortcut and returns the page the
// portal lands on.
func (b *client) login(st *stack, pid, returnTo string) page {
	b.t.Helper()
	p := b.getNoFollow(st.PortalURL + "/login?return_to=" + url.QueryEscape(returnTo))
	loc := p.resp.Header.Get("Location")
	if !strings.HasPrefix(loc, st.IDPortenURL+"/authorize?") {
		b.t.Fatalf("login redirect: got %d %q, want the double's /authorize", p.resp.StatusCode, loc)
	}
	return b.get(loc + "&login_hint=" + url.QueryEscape(pid))
}

// formValues collects the named inputs of a form as a browser would submit them (hidden inputs,
// text, checked boxes and radios, selected options).
func formValues(form *goquery.Selection) url.Values {
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
