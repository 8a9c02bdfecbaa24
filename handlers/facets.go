package handlers

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/views/i18n"
)

// facets are the choices of the sender and service filters, from the service resources the user
// may use for the shown parties.
type facets struct {
	Senders  []facet // service owners: code → name
	Services []facet // service resources: URN → name
}

type facet struct{ Value, Name string }

// facetCache keeps facets per session and party choice for a few minutes: the filter choices
// then cost no upstream call on most page views. Failures are not cached; the page shows
// without the choices.
type facetCache struct {
	src DialogSearcher
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]facetEntry
}

type facetEntry struct {
	f       *facets
	expires time.Time
}

func newFacetCache(src DialogSearcher, ttl time.Duration) *facetCache {
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	return &facetCache{src: src, ttl: ttl, now: time.Now, entries: map[string]facetEntry{}}
}

// get returns the facets for parties. With more than 100 parties it asks without a party filter
// (Dialogporten then answers with the whole catalogue).
func (fc *facetCache) get(ctx context.Context, key string, parties []string, lang i18n.Lang, opts []dpclient.CallOption) (*facets, error) {
	key += "|" + string(lang)
	fc.mu.Lock()
	e, ok := fc.entries[key]
	fc.mu.Unlock()
	if ok && fc.now().Before(e.expires) {
		return e.f, nil
	}
	if len(parties) > maxPartiesPerSearch {
		parties = nil
	}
	res, err := fc.src.ServiceResources(ctx, parties, opts...)
	if err != nil {
		return nil, err
	}
	f := buildFacets(res, string(lang))
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if len(fc.entries) > 10_000 {
		clear(fc.entries)
	}
	fc.entries[key] = facetEntry{f: f, expires: fc.now().Add(fc.ttl)}
	return f, nil
}

func buildFacets(res *dpclient.ServiceResourcesResult, lang string) *facets {
	f := &facets{}
	if res == nil {
		return f
	}
	owners := map[string]string{}
	services := map[string]string{}
	for _, it := range res.Items {
		if code := it.ServiceOwner.Code; code != "" {
			owners[code] = cmp.Or(it.ServiceOwner.Name.Best(lang), strings.ToUpper(code))
		}
		if id := resourceURN(it.ServiceResource.ID); id != "" {
			services[id] = cmp.Or(it.ServiceResource.Name.Best(lang), id)
		}
	}
	for v, n := range owners {
		f.Senders = append(f.Senders, facet{v, n})
	}
	for v, n := range services {
		f.Services = append(f.Services, facet{v, n})
	}
	byName := func(a, b facet) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Value, b.Value))
	}
	slices.SortFunc(f.Senders, byName)
	slices.SortFunc(f.Services, byName)
	return f
}

// resourceURN normalises a resource id to the urn:altinn:resource: form the search takes.
func resourceURN(id string) string {
	if id == "" || strings.HasPrefix(id, "urn:") {
		return id
	}
	return "urn:altinn:resource:" + id
}

// senderName is the service owner's name for an org code, when known.
func (f *facets) senderName(code string) string {
	if f != nil {
		for _, s := range f.Senders {
			if s.Value == code {
				return s.Name
			}
		}
	}
	return strings.ToUpper(code)
}
