package query

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

func TestParseFallsBackToDefaultsAndKeepsABadDate(t *testing.T) {
	q := Parse(url.Values{"folder": {"<script>"}, "sort": {"x"}, "status": {"Nope"}, "from": {"2026-12-05"}, "to": {"2026-01-01"}})
	if q.Folder != "inbox" || q.Sort != "updated" || q.Status != "" {
		t.Errorf("unknown values must fall back to defaults: %+v", q)
	}
	if q.Updated != "custom" || !q.BadDate || q.From != "2026-12-05" || q.To != "2026-01-01" {
		t.Errorf("from after to: kept as typed and flagged: %+v", q)
	}
}

func TestURLRoundTrips(t *testing.T) {
	in := Query{Party: "all-orgs", Folder: "archive", Q: "skatt", Org: "skd", Status: "InProgress", Read: "unread",
		Updated: "custom", From: "2026-01-01", To: "2026-02-01", Due: "soon", Sort: "due", Cursor: "abc"}
	u, err := url.Parse(in.URL(true))
	if err != nil || u.Path != "/inbox" {
		t.Fatalf("%q: %v", in.URL(true), err)
	}
	if out := Parse(u.Query()); out != in {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
	if u, _ := url.Parse(in.URL(false)); u.Query().Has("ct") {
		t.Error("URL(false) must leave out the cursor")
	}
}

func TestParamsSayWhenNothingCanMatch(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	if _, ok := (Query{Folder: "inbox", Status: string(dpclient.DialogStatusDraft)}).Params(now, time.UTC, 50); ok {
		t.Error("a draft is never in the inbox folder: the search must not run")
	}
	p, ok := (Query{Folder: "drafts", Status: string(dpclient.DialogStatusDraft), Sort: "updated"}).Params(now, time.UTC, 50)
	if !ok || len(p.Status) != 1 || p.Status[0] != dpclient.DialogStatusDraft || p.Limit != 50 {
		t.Errorf("drafts: %+v %v", p, ok)
	}
}

// TestServiceMustBeAResourceURN: the service filter is a select of resource URNs; anything else
// in the address is left out, so the rest of the search still runs (Dialogporten refuses the
// whole search for one service that is not a URN).
func TestServiceMustBeAResourceURN(t *testing.T) {
	for in, want := range map[string]string{
		"urn:altinn:resource:skd-skattekort":              "urn:altinn:resource:skd-skattekort",
		"  urn:altinn:resource:nav-sykepenger ":           "urn:altinn:resource:nav-sykepenger",
		"foo":                                             "",
		"urn:altinn:resource:":                            "",
		"urn:altinn:app:skd/x":                            "",
		"urn:altinn:resource:a b":                         "",
		"urn:altinn:resource:" + strings.Repeat("x", 300): "",
	} {
		q := Parse(url.Values{"service": {in}, "q": {"skatt"}})
		if q.Service != want || q.Q != "skatt" {
			t.Errorf("service %q: got %q (q %q), want %q and the search kept", in, q.Service, q.Q, want)
		}
	}
}

// TestSearchTextWithoutControlCharacters: a NUL or other control character in the address's
// search text is dropped, a pasted line break or tab becomes a space.
func TestSearchTextWithoutControlCharacters(t *testing.T) {
	for in, want := range map[string]string{"ab\x00c": "abc", "skatt\nmelding": "skatt melding", "\tnav\x1b ": "nav", "vanlig": "vanlig"} {
		if got := Parse(url.Values{"q": {in}}).Q; got != want {
			t.Errorf("q %q: got %q, want %q", in, got, want)
		}
	}
}
