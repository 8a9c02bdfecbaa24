package main

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// hook is called before a step's request; the function it returns is called after it (the
// probe reads the portal's metrics around each step). Nil for the load itself.
type hook func(step string) func()

// iterate runs one loop of the session: inbox, search, "show more", chooser search, and a
// dialog page with its content. Every other loop sends the htmx variants (fragments), the
// others plain requests (full pages, as without JavaScript); sessions start on alternate
// variants. From the second loop on, the inbox opens a party the previous chooser search
// offered, as someone switching clients does; every fourth chooser search is empty, which
// offers the groups ("all organisations") too.
//
// No step starts once stop is done; a step under way finishes (ctx cancels it only when the
// whole run is interrupted).
func (s *session) iterate(ctx, stop context.Context, i int, rec *recorder, h hook, dialogs bool) {
	htmx := (i+s.id)%2 == 1
	hx := func(target string) map[string]string {
		if !htmx {
			return nil
		}
		return s.htmxHeaders(target)
	}

	target := s.inboxURL
	if c := pick(s.choices, s.rng.IntN(1<<30)); c != "" {
		target = c
	}
	if p := s.step(ctx, stop, rec, h, stepFor(stepInbox, partyOf(target)), target, nil, `data-testid="dialog-results"`); p != nil {
		s.learnInbox(p)
	}
	if term := pick(s.words, s.rng.IntN(1<<30)); term != "" {
		q := url.Values{"party": {s.party}, "q": {term}}
		s.step(ctx, stop, rec, h, stepFor(stepSearch, s.party), "/inbox?"+q.Encode(), hx("dialog-results"), `id="dialog-results"`)
	}
	if s.moreURL != "" {
		s.step(ctx, stop, rec, h, stepFor(stepMore, s.party), s.moreURL, hx("list-more"), `data-testid="dialog-row"`)
	}
	term := pick(s.partyWords, s.rng.IntN(1<<30))
	if i%4 == 0 {
		term = ""
	}
	q := url.Values{"q": {term}}
	if p := s.step(ctx, stop, rec, h, stepParties, "/parties?"+q.Encode(), hx("party-results"), `data-testid="party-results"`); p != nil {
		s.learnChoices(p)
	}
	if dialogs && len(s.rows) > 0 {
		// A listed dialog may still refuse to open (not authorised, level too low): a 4xx
		// page is the portal's right answer there, counted apart from errors.
		p := s.step(ctx, stop, rec, h, stepDialog, pick(s.rows, s.rng.IntN(1<<30)), nil, "")
		// The page loads its main content with htmx as soon as it is shown; without
		// JavaScript the same URL is a link to its own page.
		if u := contentURL(p); u != "" {
			s.step(ctx, stop, rec, h, stepContent, u, hx("dialog-content"), "")
		}
	}
}

// partyOf returns the party parameter of an inbox URL.
func partyOf(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return u.Query().Get("party")
}

// stepFor names the step for a list of a party group ("all organisations", "all persons"),
// which searches many parties in batches, apart from a single party's.
func stepFor(step, party string) string {
	if strings.HasPrefix(party, "all-") {
		return step + allSuffix
	}
	return step
}

// step fetches target as step and records the outcome, unless stop is done. A request cut
// off because the run was interrupted is not recorded. It returns the page when it passed. On the dialog steps a 4xx page
// is recorded as refused, not as an error.
func (s *session) step(ctx, stop context.Context, rec *recorder, h hook, name, target string, hdr map[string]string, marker string) *page {
	if stop.Err() != nil || !s.thinkFor(stop) {
		return nil
	}
	var after func()
	if h != nil {
		after = h(name)
	}
	start := time.Now()
	if s.pace != nil {
		at, ok := s.pace.take(stop, s.wake)
		if !ok {
			return nil
		}
		defer s.pace.done()
		start = at // open loop: the latency counts from the arrival
	}
	p, err := s.get(ctx, target, hdr)
	d := time.Since(start)
	if after != nil {
		after()
	}
	if ctx.Err() != nil {
		return nil
	}
	var n int64
	refused := 0
	if err == nil {
		n = int64(len(p.body))
		if (name == stepDialog || name == stepContent) && p.status >= 400 && p.status < 500 {
			refused = p.status
		}
		if refused == 0 {
			path, _, _ := strings.Cut(target, "?")
			err = s.expect(p, path, marker)
		}
	}
	rec.add(name, d, n, hdr != nil, refused, err)
	if err != nil || refused != 0 {
		return nil
	}
	return p
}

// contentURL is the main content's URL of a dialog page ("" when it has none).
func contentURL(p *page) string {
	if p == nil {
		return ""
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body))
	if err != nil {
		return ""
	}
	u := doc.Find(`[data-testid="dialog-content-slot"] #dialog-content`).AttrOr("hx-get", "")
	if !strings.HasPrefix(u, "/dialogs/") {
		return ""
	}
	return u
}

// thinkFor pauses for the session's think time (exponentially distributed around -think, as
// people's pauses are) before a request; false when stop came first.
func (s *session) thinkFor(stop context.Context) bool {
	if s.think <= 0 {
		return true
	}
	t := time.NewTimer(time.Duration(s.rng.ExpFloat64() * float64(s.think)))
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-stop.Done():
		return false
	}
}
