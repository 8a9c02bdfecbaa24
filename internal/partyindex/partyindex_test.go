package partyindex

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
)

func names(ps []Party) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Name
	}
	return out
}

func TestPartyIndexOrder(t *testing.T) {
	t.Parallel()
	ix := New(testParties())
	got := names(ix.All)
	want := []string{"Kari Nordmann", "Ola Nordmann", "ALTA AUTO AS", "BERGEN BAKERI AS", "BERGEN BAKERI AVD SENTRUM", "OSLO OPPLØST AS"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
	sub, _ := ix.Get("00000000-0000-0000-0000-0000000000a2")
	if sub.ParentUUID != "00000000-0000-0000-0000-0000000000a1" || sub.OrgNo != "310000011" {
		t.Errorf("sub-unit %+v", sub)
	}
	if self, ok := ix.Self(); !ok || self.Name != "Kari Nordmann" {
		t.Errorf("self %+v", self)
	}
	if p, ok := ix.ByURN("urn:altinn:organization:identifier-no:310000002"); !ok || p.UUID != altaUUID {
		t.Errorf("ByURN %+v", p)
	}
}

func TestPartyIndexSearch(t *testing.T) {
	t.Parallel()
	ix := New(testParties())
	tests := []struct {
		q           string
		showDeleted bool
		want        []string
	}{
		{"", false, []string{"Kari Nordmann", "Ola Nordmann", "ALTA AUTO AS", "BERGEN BAKERI AS", "BERGEN BAKERI AVD SENTRUM"}},
		{"", true, []string{"Kari Nordmann", "Ola Nordmann", "ALTA AUTO AS", "BERGEN BAKERI AS", "BERGEN BAKERI AVD SENTRUM", "OSLO OPPLØST AS"}},
		{"bergen", false, []string{"BERGEN BAKERI AS", "BERGEN BAKERI AVD SENTRUM"}},
		{"bakeri sentrum", false, []string{"BERGEN BAKERI AVD SENTRUM"}},
		{"31000000", false, []string{"ALTA AUTO AS", "BERGEN BAKERI AS"}},
		{"310000003", false, nil},
		{"oppløst", true, []string{"OSLO OPPLØST AS"}},
		{"NORDMANN", false, []string{"Kari Nordmann", "Ola Nordmann"}},
		{"01017012345", false, nil}, // national identity numbers are not searchable
	}
	for _, tt := range tests {
		hits, total := ix.Search(tt.q, tt.showDeleted, 100)
		if got := names(hits); !slices.Equal(got, tt.want) || total != len(tt.want) {
			t.Errorf("Search(%q, %v) = %q (total %d), want %q", tt.q, tt.showDeleted, got, total, tt.want)
		}
	}
	hits, total := ix.Search("", false, 2)
	if len(hits) != 2 || total != 5 {
		t.Errorf("limited search: %d hits, total %d; want 2, 5", len(hits), total)
	}
}

func TestPartyIndexGroups(t *testing.T) {
	t.Parallel()
	ix := New(testParties())
	if got := ix.Group(AllOrgs); len(got) != 3 { // Alta, Bergen, Bergen sentrum; not the deleted one
		t.Errorf("orgs %q, want 3", got)
	}
	if got := ix.Group(AllPersons); len(got) != 2 {
		t.Errorf("persons %q, want 2", got)
	}
}

func BenchmarkPartySearch15000(b *testing.B) {
	ix := New(manyParties(15000))
	queries := []string{"r", "regnskap", "fisk nord 12", "3100123", "zzz"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Search(queries[i%len(queries)], false, 30)
	}
}

func BenchmarkPartyIndexBuild15000(b *testing.B) {
	res := manyParties(15000)
	b.ReportAllocs()
	for b.Loop() {
		New(res)
	}
}

func TestPartyIndexTrigramSearchMatchesScan(t *testing.T) {
	t.Parallel()
	words := []string{"BYGG", "RØRLEGGER", "ÅLESUND", "BÆRUM", "FISK", "ØST", "AS", "A/S", "SKÅR", "HANDEL"}
	res := &dpclient.PartiesResult{}
	for i := range gramMin + 500 {
		res.AuthorizedParties = append(res.AuthorizedParties, dpclient.AuthorizedParty{
			Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 310000000+i*7),
			PartyUUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
			Name:      fmt.Sprintf("%s %s %d", words[i%len(words)], words[i*7%len(words)], i), PartyType: dpclient.PartyTypeOrganization,
			IsDeleted: i%31 == 0,
		})
	}
	ix := New(res)
	if ix.grams == nil {
		t.Fatal("no trigrams at this size")
	}
	for _, p := range ix.All {
		if got, ok := ix.ByURN(p.URN); !ok || got.UUID != p.UUID {
			t.Fatalf("ByURN(%s) = %s, %v; want %s", p.URN, got.UUID, ok, p.UUID)
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	queries := []string{"ø", "øs", "øst", "rørl", "ålesund 12", "bærum fisk", "a/s", "31000", "0000070", "zzz", "fisk nope", "st 4"}
	for range 300 {
		p := ix.All[rnd.IntN(len(ix.All))]
		text := strings.ToLower(p.Name) + " " + p.OrgNo
		from := rnd.IntN(len(text))
		queries = append(queries, strings.ToValidUTF8(text[from:min(len(text), from+1+rnd.IntN(8))], ""))
	}
	for _, q := range queries {
		for _, deleted := range []bool{false, true} {
			var want []string
			for _, p := range ix.All {
				if (!p.IsDeleted || deleted) && matchesAll(strings.ToLower(p.Name)+" "+p.OrgNo, strings.Fields(strings.ToLower(q))) {
					want = append(want, p.UUID)
				}
			}
			hits, total := ix.Search(q, deleted, 30)
			got := make([]string, len(hits))
			for i, h := range hits {
				got[i] = h.UUID
			}
			if total != len(want) || !slices.Equal(got, want[:min(30, len(want))]) {
				t.Fatalf("Search(%q, %v): %d hits of %d, want %d of %d", q, deleted, len(got), total, min(30, len(want)), len(want))
			}
		}
	}
}

func testParties() *dpclient.PartiesResult { return dpclienttest.Parties() }

func manyParties(n int) *dpclient.PartiesResult { return dpclienttest.ManyParties(n) }

const altaUUID = "00000000-0000-0000-0000-0000000000b1"

// TestSearchFirst: favourites that match come first, in their order; the total is unchanged
// and the limit holds.
func TestSearchFirst(t *testing.T) {
	t.Parallel()
	ix := New(&dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{PartyUUID: "00000000-0000-0000-0000-00000000000a", Name: "Alfa AS", Party: "urn:altinn:organization:identifier-no:111111111", PartyType: dpclient.PartyTypeOrganization},
		{PartyUUID: "00000000-0000-0000-0000-00000000000b", Name: "Beta AS", Party: "urn:altinn:organization:identifier-no:222222222", PartyType: dpclient.PartyTypeOrganization},
		{PartyUUID: "00000000-0000-0000-0000-00000000000c", Name: "Gamma AS", Party: "urn:altinn:organization:identifier-no:333333333", PartyType: dpclient.PartyTypeOrganization},
	}})
	favs := []string{"00000000-0000-0000-0000-00000000000c", "00000000-0000-0000-0000-00000000000b"}
	hits, total := ix.SearchFirst("", false, 10, favs)
	if got := strings.Join(names(hits), ","); got != "Gamma AS,Beta AS,Alfa AS" || total != 3 {
		t.Errorf("got %s (%d), want Gamma AS,Beta AS,Alfa AS (3)", got, total)
	}
	hits, total = ix.SearchFirst("a as", false, 2, favs)
	if got := strings.Join(names(hits), ","); got != "Gamma AS,Beta AS" || total != 3 {
		t.Errorf("limit 2: got %s (%d), want Gamma AS,Beta AS (3)", got, total)
	}
	hits, _ = ix.SearchFirst("alfa", false, 10, favs)
	if got := strings.Join(names(hits), ","); got != "Alfa AS" {
		t.Errorf("alfa: got %s, want Alfa AS", got)
	}
}
