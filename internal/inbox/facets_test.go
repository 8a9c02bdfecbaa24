package inbox

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/innboks/innboks/dpclient"
)

// resourcesDouble answers ServiceResources with res (or err) and records the parties asked.
type resourcesDouble struct {
	mu    sync.Mutex
	res   *dpclient.ServiceResourcesResult
	err   error
	asked [][]string
}

func (d *resourcesDouble) SearchDialogs(context.Context, *dpclient.SearchParams, ...dpclient.CallOption) (*dpclient.SearchResult, error) {
	return &dpclient.SearchResult{}, nil
}

func (d *resourcesDouble) ServiceResources(_ context.Context, parties []string, _ ...dpclient.CallOption) (*dpclient.ServiceResourcesResult, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.asked = append(d.asked, parties)
	return d.res, d.err
}

func nbText(s string) dpclient.Localizations {
	return dpclient.Localizations{{Value: s, LanguageCode: "nb"}}
}

// TestFacets: the filter choices are the service owners and services of the parties'
// resources, named in the user's language (the code upper-cased, or the URN, when nameless),
// resource ids normalised to urn:altinn:resource:, sorted by name; one upstream call per user,
// choice and language; no party filter beyond 100 parties; failures are not remembered.
func TestFacets(t *testing.T) {
	t.Parallel()
	dp := &resourcesDouble{res: &dpclient.ServiceResourcesResult{Items: []dpclient.ServiceResourceItem{
		{ServiceResource: dpclient.ServiceResource{ID: "urn:altinn:resource:skattemelding", Name: nbText("Skattemelding")},
			ServiceOwner: dpclient.ServiceOwner{Code: "skd", Name: nbText("Skatteetaten")}},
		{ServiceResource: dpclient.ServiceResource{ID: "nav-sykepenger", Name: nbText("Sykepenger")},
			ServiceOwner: dpclient.ServiceOwner{Code: "nav", Name: nbText("NAV")}},
		{ServiceResource: dpclient.ServiceResource{ID: "urn:altinn:resource:uten-navn"},
			ServiceOwner: dpclient.ServiceOwner{Code: "brg"}},
	}}}
	s := NewSearch(dp, nil)
	u := &User{Key: "s1", Lang: "nb"}
	f, err := s.Facets(t.Context(), u, "p1", []string{"urn:p1"})
	if err != nil {
		t.Fatalf("Facets: %v", err)
	}
	wantSenders := []Facet{{"brg", "BRG"}, {"nav", "NAV"}, {"skd", "Skatteetaten"}}
	wantServices := []Facet{{"urn:altinn:resource:skattemelding", "Skattemelding"}, {"urn:altinn:resource:nav-sykepenger", "Sykepenger"},
		{"urn:altinn:resource:uten-navn", "urn:altinn:resource:uten-navn"}}
	if !slices.Equal(f.Senders, wantSenders) || !slices.Equal(f.Services, wantServices) {
		t.Errorf("got senders %v services %v, want %v and %v", f.Senders, f.Services, wantSenders, wantServices)
	}
	if got := f.SenderName("nav"); got != "NAV" {
		t.Errorf("SenderName(nav) = %q, want NAV", got)
	}

	// The same user, choice and language: no second call. Another choice: a call.
	if _, err := s.Facets(t.Context(), u, "p1", []string{"urn:p1"}); err != nil {
		t.Fatal(err)
	}
	many := make([]string, MaxPartiesPerSearch+1)
	for i := range many {
		many[i] = "urn:p"
	}
	if _, err := s.Facets(t.Context(), u, AllOrgs, many); err != nil {
		t.Fatal(err)
	}
	if len(dp.asked) != 2 || dp.asked[1] != nil {
		t.Errorf("asked %d times (%v), want 2, the second without a party filter", len(dp.asked), dp.asked)
	}

	// A failure is answered, not remembered.
	dp.err = errors.New("down")
	if _, err := s.Facets(t.Context(), &User{Key: "s2", Lang: "nb"}, "p1", nil); err == nil {
		t.Fatal("a failed call gave facets")
	}
	dp.err = nil
	if _, err := s.Facets(t.Context(), &User{Key: "s2", Lang: "nb"}, "p1", nil); err != nil {
		t.Errorf("after a failure: %v, want a fresh call", err)
	}
	if len(dp.asked) != 4 {
		t.Errorf("asked %d times, want 4 (the failure not cached)", len(dp.asked))
	}
}
