package handlers

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
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
	ix := NewPartyIndex(testParties())
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
	ix := NewPartyIndex(testParties())
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
	ix := NewPartyIndex(testParties())
	if got := ix.Group(AllOrgs); len(got) != 3 { // Alta, Bergen, Bergen sentrum; not the deleted one
		t.Errorf("orgs %q, want 3", got)
	}
	if got := ix.Group(AllPersons); len(got) != 2 {
		t.Errorf("persons %q, want 2", got)
	}
}

func TestPartyCache(t *testing.T) {
	t.Parallel()
	dp := &fakeDP{parties: testParties()}
	pc := NewPartyCache(dp, time.Minute, 2)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	pc.now = func() time.Time { return now }
	ctx := t.Context()
	for range 3 {
		if _, err := pc.Get(ctx, "a"); err != nil {
			t.Fatal(err)
		}
	}
	if dp.partyCalls != 1 {
		t.Errorf("upstream calls %d, want 1 (cached)", dp.partyCalls)
	}
	now = now.Add(61 * time.Second)
	if _, ok := pc.Cached("a"); ok {
		t.Error("expired entry still served")
	}
	_, _ = pc.Get(ctx, "a")
	_, _ = pc.Get(ctx, "b")
	if dp.partyCalls != 3 {
		t.Errorf("upstream calls %d, want 3 (refetch after expiry, new session)", dp.partyCalls)
	}
	_, _ = pc.Get(ctx, "c") // over max: an entry is evicted
	pc.mu.Lock()
	n := len(pc.entries)
	pc.mu.Unlock()
	if n > 2 {
		t.Errorf("cache holds %d entries, max 2", n)
	}
}

// manyParties is the "extreme" shape: the user and n organisations, every tenth with a sub-unit.
func manyParties(n int) *dpclient.PartiesResult {
	res := &dpclient.PartiesResult{AuthorizedParties: []dpclient.AuthorizedParty{
		{Party: "urn:altinn:person:identifier-no:01017012345", PartyUUID: selfUUID, Name: "KARI NORDMANN", PartyType: dpclient.PartyTypePerson, IsCurrentEndUser: true},
	}}
	words := []string{"BYGG", "REGNSKAP", "TRANSPORT", "FISK", "DATA", "HELSE", "EIENDOM", "KONSULENT"}
	for i := range n {
		ap := dpclient.AuthorizedParty{
			Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 310000000+i),
			PartyUUID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
			Name:      fmt.Sprintf("%s %s %d AS", words[i%len(words)], strings.Repeat("NORD", 1+i%3), i),
			PartyType: dpclient.PartyTypeOrganization, IsDeleted: i%97 == 0,
		}
		if i%10 == 0 {
			ap.SubParties = []dpclient.AuthorizedParty{{
				Party:     fmt.Sprintf("urn:altinn:organization:identifier-no:%09d", 800000000+i),
				PartyUUID: fmt.Sprintf("00000000-0000-4000-9000-%012d", i),
				Name:      ap.Name + " AVD", PartyType: dpclient.PartyTypeOrganization,
			}}
		}
		res.AuthorizedParties = append(res.AuthorizedParties, ap)
	}
	return res
}

// BenchmarkPartySearch15000 is the chooser's search over 15,000 parties (the extreme scenario).
func BenchmarkPartySearch15000(b *testing.B) {
	ix := NewPartyIndex(manyParties(15000))
	queries := []string{"r", "regnskap", "fisk nord 12", "3100123", "zzz"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Search(queries[i%len(queries)], false, chooserLimit)
	}
}

// BenchmarkPartyIndexBuild15000 is the once-per-session cost of indexing 15,000 parties.
func BenchmarkPartyIndexBuild15000(b *testing.B) {
	res := manyParties(15000)
	b.ReportAllocs()
	for b.Loop() {
		NewPartyIndex(res)
	}
}
