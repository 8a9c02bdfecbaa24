package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// session is one logged-in browser: a cookie jar and what the last inbox page offered.
type session struct {
	c    *http.Client
	base string // the portal's origin

	inboxURL   string     // canonical inbox URL (path and query) after the first visit
	party      string     // the party the inbox shows
	rows       []string   // dialog page links of the last inbox page
	moreURL    string     // "show more" link of the last inbox page
	words      []string   // search terms taken from row titles
	partyWords []string   // chooser terms taken from party names
	choices    []string   // inbox links the last chooser answer offered
	rng        *rand.Rand // which term, party and row to pick: seeded, so a run can be repeated
	id         int        // the session's number

	pace  *pacer         // open loop: each request waits for an arrival (nil: closed loop)
	wake  chan time.Time // open loop: where the pacer hands this session an arrival
	think time.Duration  // closed loop: mean pause before each request
}

// newSession builds a cookie-keeping client over the shared transport. Redirects are followed
// on loopback only.
func newSession(base string, tr http.RoundTripper, id int, seed uint64) (*session, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	c := &http.Client{Transport: tr, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > 10 {
				return errors.New("too many redirects")
			}
			if !isLoopback(req.URL.Hostname()) {
				return fmt.Errorf("redirect to %s refused: not loopback", req.URL.Hostname())
			}
			return nil
		}}
	return &session{c: c, base: base, id: id, inboxURL: "/inbox", rng: rand.New(rand.NewPCG(seed, 0x1ad)),
		wake: make(chan time.Time, 1)}, nil
}

// page is a fetched answer.
type page struct {
	status int
	final  *url.URL
	body   []byte
}

// get fetches path (or an absolute loopback URL) with the headers.
func (s *session) get(ctx context.Context, target string, hdr map[string]string) (*page, error) {
	u := target
	if strings.HasPrefix(target, "/") {
		u = s.base + target
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	return &page{status: resp.StatusCode, final: resp.Request.URL, body: body}, nil
}

// login runs the code flow through the double with the login_hint shortcut and lands on the
// inbox.
func (s *session) login(ctx context.Context, pid string) (*page, error) {
	noFollow := *s.c
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/login?return_to="+url.QueryEscape("/inbox"), nil)
	if err != nil {
		return nil, err
	}
	resp, err := noFollow.Do(req)
	if err != nil {
		return nil, err
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return nil, fmt.Errorf("login: %d without a redirect to the ID-porten double", resp.StatusCode)
	}
	if !isLoopback(loc.Hostname()) {
		return nil, fmt.Errorf("login: redirect to %s refused: not loopback", loc.Hostname())
	}
	q := loc.Query()
	q.Set("login_hint", pid)
	loc.RawQuery = q.Encode()
	p, err := s.get(ctx, loc.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	if err := s.expect(p, "/inbox", `data-testid="dialog-results"`); err != nil {
		return p, fmt.Errorf("login: %w", err)
	}
	s.learnInbox(p)
	return p, nil
}

// expect checks a page answered 200 on the portal at path with marker in its body.
func (s *session) expect(p *page, path, marker string) error {
	switch {
	case p.status != http.StatusOK:
		return fmt.Errorf("status %d at %s", p.status, p.final.Path)
	case s.base != p.final.Scheme+"://"+p.final.Host || (path != "" && p.final.Path != path):
		return fmt.Errorf("landed on %s%s, want %s (session lost?)", p.final.Host, p.final.Path, path)
	case marker != "" && !bytes.Contains(p.body, []byte(marker)):
		return fmt.Errorf("%s answered without %s", path, marker)
	}
	return nil
}

// learnInbox keeps the links and terms of an inbox page for the next steps.
func (s *session) learnInbox(p *page) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
	if err != nil {
		return
	}
	s.inboxURL = p.final.RequestURI()
	s.party = p.final.Query().Get("party")
	s.rows, s.words, s.partyWords = s.rows[:0], s.words[:0], s.partyWords[:0]
	doc.Find(`[data-testid="dialog-row"] [data-testid="dialog-title"] a[href]`).Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); strings.HasPrefix(href, "/dialogs/") {
			s.rows = append(s.rows, href)
		}
		s.words = appendWords(s.words, a.Text(), 4)
	})
	s.moreURL = doc.Find(`[data-testid="show-more"]`).AttrOr("href", "")
	doc.Find(`[data-testid="party-option"]`).Each(func(_ int, a *goquery.Selection) {
		s.partyWords = appendWords(s.partyWords, a.Text(), 3)
	})
}

// learnChoices keeps the inbox links of a chooser answer (page or fragment).
func (s *session) learnChoices(p *page) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
	if err != nil {
		return
	}
	s.choices = s.choices[:0]
	doc.Find(`[data-testid="party-results"] a[data-testid="party-option"]`).Each(func(_ int, a *goquery.Selection) {
		if href := a.AttrOr("href", ""); strings.HasPrefix(href, "/inbox?") {
			s.choices = append(s.choices, href)
		}
	})
}

// appendWords adds the distinct words of text with at least n letters.
func appendWords(words []string, text string, n int) []string {
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len([]rune(w)) < n {
			continue
		}
		w = strings.ToLower(w)
		dup := false
		for _, have := range words {
			dup = dup || have == w
		}
		if !dup {
			words = append(words, w)
		}
	}
	return words
}

// pick returns list[i mod len] ("" for an empty list).
func pick(list []string, i int) string {
	if len(list) == 0 {
		return ""
	}
	return list[i%len(list)]
}

// htmxHeaders are what htmx sends for a request that swaps target.
func (s *session) htmxHeaders(target string) map[string]string {
	return map[string]string{"HX-Request": "true", "HX-Target": target, "HX-Current-URL": s.base + s.inboxURL}
}
