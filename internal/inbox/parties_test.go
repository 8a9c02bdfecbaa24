package inbox

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
)

func TestPartiesCachedPerSession(t *testing.T) {
	t.Parallel()
	src := &countingParties{res: testParties()}
	ps := NewParties(src, time.Minute)
	ctx := t.Context()
	for range 3 {
		if _, err := ps.Get(ctx, &User{Key: "a"}); err != nil {
			t.Fatal(err)
		}
	}
	if n := src.calls.Load(); n != 1 {
		t.Errorf("upstream calls %d, want 1 (cached)", n)
	}
	if _, ok := ps.Cached("a"); !ok {
		t.Error("a's parties not cached")
	}
	if _, ok := ps.Cached("b"); ok {
		t.Error("b has parties it never fetched")
	}
	_, _ = ps.Get(ctx, &User{Key: "b"})
	if n := src.calls.Load(); n != 2 {
		t.Errorf("upstream calls %d, want 2 (a new session fetches its own)", n)
	}
}

type countingParties struct {
	res   *dpclient.PartiesResult
	calls atomic.Int32
}

func (c *countingParties) GetParties(context.Context, ...dpclient.CallOption) (*dpclient.PartiesResult, error) {
	c.calls.Add(1)
	return c.res, nil
}

// BenchmarkPartySearch15000 is the chooser's search over 15,000 parties (the extreme scenario).
// BenchmarkPartyIndexBuild15000 is the once-per-session cost of indexing 15,000 parties.
func testParties() *dpclient.PartiesResult { return dpclienttest.Parties() }

func manyParties(n int) *dpclient.PartiesResult { return dpclienttest.ManyParties(n) }

const selfUUID = dpclienttest.SelfUUID
const altaUUID = "00000000-0000-0000-0000-0000000000b1"

// TestPartiesShareOneIndexPerPerson: two sessions of one person, their party lists fetched
// apart, hold one index; a session whose list differs (another person, or rights changed) gets
// its own.
func TestPartiesShareOneIndexPerPerson(t *testing.T) {
	t.Parallel()
	ps := NewParties(&freshParties{}, time.Minute)
	a, err := ps.Get(t.Context(), &User{Key: "session-a"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := ps.Get(t.Context(), &User{Key: "session-b"})
	if a != b {
		t.Error("two sessions of one person hold two indexes, want one shared")
	}
	changed := testParties()
	for i := range changed.AuthorizedParties {
		if changed.AuthorizedParties[i].PartyUUID == altaUUID {
			changed.AuthorizedParties[i].Name = "ALTA AUTO OG DEKK AS"
		}
	}
	other := ps.share(changed)
	if other == a {
		t.Error("a different party list got the shared index")
	}
	if p, _ := other.Get(altaUUID); p.Name != "ALTA AUTO OG DEKK AS" {
		t.Errorf("the other list's index names Alta %q", p.Name)
	}
	for _, f := range []func(*dpclient.AuthorizedParty){
		func(p *dpclient.AuthorizedParty) { p.IsDeleted = !p.IsDeleted },
		func(p *dpclient.AuthorizedParty) { p.SubParties = nil },
		func(p *dpclient.AuthorizedParty) { p.Party += "0" },
	} {
		res := testParties()
		for i := range res.AuthorizedParties {
			f(&res.AuthorizedParties[i])
		}
		if partiesDigest(res) == partiesDigest(testParties()) {
			t.Error("a changed party list has the same digest")
		}
	}
}

// freshParties answers a new copy of the test parties on every call, as a fetch decodes anew.
type freshParties struct{}

func (freshParties) GetParties(context.Context, ...dpclient.CallOption) (*dpclient.PartiesResult, error) {
	return testParties(), nil
}

// TestPartyIndexTrigramSearchMatchesScan: on an index large enough for trigrams, every search
// answers what a plain scan of the names and organisation numbers answers, for words of every
// length, letters outside ASCII, digits and words that match nothing.
