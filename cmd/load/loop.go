package main

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// hook is called before a step's request; the function it returns is called after it (the
// probe reads the portal's metrics around each step). Nil for the load itself.
type hook func(step string) func()

// iterate runs one loop of the session: inbox, search, "show more", chooser search and a
// dialog page. Odd iterations send the htmx variants (fragments), even ones plain requests
// (full pages, as without JavaScript).
func (s *session) iterate(ctx context.Context, i int, rec *recorder, h hook, dialogs bool) {
	htmx := i%2 == 1
	hx := func(target string) map[string]string {
		if !htmx {
			return nil
		}
		return s.htmxHeaders(target)
	}

	if p := s.step(ctx, rec, h, stepInbox, s.inboxURL, nil, `data-testid="dialog-results"`); p != nil {
		s.learnInbox(p)
	}
	if term := pick(s.words, i); term != "" {
		q := url.Values{"party": {s.party}, "q": {term}}
		s.step(ctx, rec, h, stepSearch, "/inbox?"+q.Encode(), hx("dialog-results"), `id="dialog-results"`)
	}
	if s.moreURL != "" {
		s.step(ctx, rec, h, stepMore, s.moreURL, hx("list-more"), `data-testid="dialog-row"`)
	}
	q := url.Values{"q": {pick(s.partyWords, i)}}
	s.step(ctx, rec, h, stepParties, "/parties?"+q.Encode(), hx("party-results"), `data-testid="party-results"`)
	if dialogs && len(s.rows) > 0 {
		s.step(ctx, rec, h, stepDialog, pick(s.rows, i), nil, "")
	}
}

// step fetches target as step and records the outcome. A request cut off because the run
// ended is not recorded. It returns the page when it passed.
func (s *session) step(ctx context.Context, rec *recorder, h hook, name, target string, hdr map[string]string, marker string) *page {
	if ctx.Err() != nil {
		return nil
	}
	var after func()
	if h != nil {
		after = h(name)
	}
	start := time.Now()
	p, err := s.get(ctx, target, hdr)
	d := time.Since(start)
	if after != nil {
		after()
	}
	if ctx.Err() != nil {
		return nil
	}
	var n int64
	if err == nil {
		n = int64(len(p.body))
		path, _, _ := strings.Cut(target, "?")
		err = s.expect(p, path, marker)
	}
	rec.add(name, d, n, hdr != nil, err)
	if err != nil {
		return nil
	}
	return p
}
