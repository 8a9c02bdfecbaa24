package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/innboks/innboks/internal/outbound"
)

// errCorrespondenceMismatch: a dialog named a Correspondence URL whose correspondence belongs
// to another service or another recipient. It wraps outbound.ErrURLRefused, so it is shown as
// any refused URL is (no retry).
var errCorrespondenceMismatch = fmt.Errorf("%w: the correspondence does not belong to this dialog", outbound.ErrURLRefused)

// Correspondence accepts any dialog token whose `a` claim holds read, whatever dialog it was
// issued for (AUTH-AND-NEIGHBOURS.md §C, §E: issuer, signature, lifetime and `a` only), and
// an exchanged Altinn token opens every correspondence the user may read. So a dialog whose
// content, attachment or action URL names another correspondence would make Innboks read,
// mark as read or confirm that one in the user's name: one service owner acting on another's
// message. Before any call with a credential to a Correspondence URL, Innboks reads the
// correspondence's overview and requires its resource to be the dialog's service resource
// (a service resource belongs to one service owner) and its recipient, when given, to be the
// dialog's party. What it learns is cached per correspondence for corrFactsTTL.
const (
	corrFactsTTL  = 10 * time.Minute
	corrFactsMax  = 10_000
	corrBodyLimit = 1 << 20 // the overview carries the message body; the facts come first or not at all
	corrPathStart = "correspondence/api/v1/correspondence/"
)

// corrFacts is what the overview says about one correspondence.
type corrFacts struct {
	resource  string // resource id, without urn:altinn:resource:
	recipient string // as the overview gives it
	at        time.Time
}

// corrCache remembers corrFacts by correspondence id; safe for concurrent use.
type corrCache struct {
	mu sync.Mutex
	m  map[string]corrFacts
}

func (c *corrCache) get(id string, now time.Time) (corrFacts, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[id]
	if !ok || now.Sub(f.at) > corrFactsTTL {
		return corrFacts{}, false
	}
	return f, true
}

func (c *corrCache) put(id string, f corrFacts) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= corrFactsMax {
		c.m = make(map[string]corrFacts) // crude but bounded: facts are cheap to learn again
	}
	c.m[id] = f
}

// correspondenceID returns the correspondence id in a URL under the platform's Correspondence
// API ("…/correspondence/api/v1/correspondence/{id}/…"), and whether target is under the
// Correspondence API at all. Under it without an id is ("", true).
func (b *dialogBase) correspondenceID(target string) (string, bool) {
	if b.platform == "" || !strings.HasPrefix(target, b.platform+"correspondence/") {
		return "", false
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", true
	}
	rest, ok := strings.CutPrefix(u.Path, strings.TrimSuffix(mustPath(b.platform), "/")+"/"+corrPathStart)
	if !ok {
		return "", true
	}
	id, _, _ := strings.Cut(rest, "/")
	if !validID(id) {
		return "", true
	}
	return strings.ToLower(id), true
}

// mustPath is the path of an absolute URL already validated at start-up ("" when not).
func mustPath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Path
}

// checkCorrespondence refuses a call to a Correspondence URL unless the correspondence it
// names belongs to d (see corrFactsTTL's comment). Other URLs pass.
func (b *dialogBase) checkCorrespondence(ctx context.Context, t *dialogTokens, target string) error {
	id, isCorr := b.correspondenceID(target)
	if !isCorr {
		return nil
	}
	if id == "" {
		return fmt.Errorf("%w: a Correspondence URL without a correspondence id", outbound.ErrURLRefused)
	}
	facts, ok := b.corr.get(id, b.now())
	if !ok {
		var err error
		if facts, err = b.learnCorrespondence(ctx, t, id); err != nil {
			return err
		}
		b.corr.put(id, facts)
	}
	d := t.d
	if !strings.EqualFold(facts.resource, strings.TrimPrefix(d.ServiceResource, "urn:altinn:resource:")) ||
		(facts.recipient != "" && !sameParty(facts.recipient, d.Party)) {
		return errCorrespondenceMismatch
	}
	return nil
}

// learnCorrespondence reads the overview of correspondence id with the dialog's credentials.
func (b *dialogBase) learnCorrespondence(ctx context.Context, t *dialogTokens, id string) (corrFacts, error) {
	overview := b.platform + corrPathStart + id
	var facts corrFacts
	err := t.call(ctx, overview, func(token string) error {
		dl, err := b.out.Download(ctx, outbound.Request{URL: overview, Token: token, Accept: "application/json"})
		if err != nil {
			return err
		}
		defer dl.Body.Close()
		var body struct {
			ResourceID string `json:"resourceId"`
			Recipient  string `json:"recipient"`
		}
		if err := json.NewDecoder(io.LimitReader(dl.Body, corrBodyLimit)).Decode(&body); err != nil {
			return fmt.Errorf("correspondence overview: %w", err)
		}
		if body.ResourceID == "" {
			return errors.New("correspondence overview without resourceId")
		}
		facts = corrFacts{resource: body.ResourceID, recipient: body.Recipient, at: b.now()}
		return nil
	})
	return facts, err
}

// sameParty compares a Correspondence recipient ("urn:altinn:organization:identifier-no:N",
// "0192:N", a bare organisation or national identity number) with a dialog party URN, by the
// identifier after the last colon.
func sameParty(recipient, party string) bool {
	last := func(s string) string { return strings.ToLower(s[strings.LastIndexByte(s, ':')+1:]) }
	return last(recipient) != "" && last(recipient) == last(party)
}
