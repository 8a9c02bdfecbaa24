package inbox

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/innboks/innboks/dpclient"
)

// Facets are the choices of the sender and service filters, from the service resources the user
// may use for the shown parties.
type Facets struct {
	Senders  []Facet // service owners: code → name
	Services []Facet // service resources: URN → name
}

// Facet is one filter choice: the value searched for and the name shown.
type Facet struct{ Value, Name string }

// Facets returns the filter choices for a choice of parties (scope names the choice, so the
// answer is cached per user, choice and language for a few minutes: the filters then cost no
// upstream call on most page views). With more than 100 parties it asks without a party filter
// (Dialogporten then answers with the whole catalogue). Failures are not cached.
func (s *Search) Facets(ctx context.Context, u *User, scope string, parties []string) (*Facets, error) {
	key := u.Key + "|" + scope + "|" + u.Lang
	return s.facets.Get(ctx, key, func(ctx context.Context) (*Facets, error) {
		if len(parties) > MaxPartiesPerSearch {
			parties = nil
		}
		res, err := s.dp.ServiceResources(ctx, parties, u.opts()...)
		if err != nil {
			return nil, err
		}
		return buildFacets(res, u.Lang), nil
	})
}

func buildFacets(res *dpclient.ServiceResourcesResult, lang string) *Facets {
	f := &Facets{}
	if res == nil {
		return f
	}
	owners := map[string]string{}
	services := map[string]string{}
	for _, it := range res.Items {
		if code := it.ServiceOwner.Code; code != "" {
			owners[code] = cmp.Or(it.ServiceOwner.Name.Best(lang), strings.ToUpper(code))
		}
		if id := ResourceURN(it.ServiceResource.ID); id != "" {
			services[id] = cmp.Or(it.ServiceResource.Name.Best(lang), id)
		}
	}
	for v, n := range owners {
		f.Senders = append(f.Senders, Facet{v, n})
	}
	for v, n := range services {
		f.Services = append(f.Services, Facet{v, n})
	}
	byName := func(a, b Facet) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), cmp.Compare(a.Value, b.Value))
	}
	slices.SortFunc(f.Senders, byName)
	slices.SortFunc(f.Services, byName)
	return f
}

// ResourceURN normalises a resource id to the urn:altinn:resource: form the search takes.
func ResourceURN(id string) string {
	if id == "" || strings.HasPrefix(id, "urn:") {
		return id
	}
	return "urn:altinn:resource:" + id
}

// SenderName is the service owner's name for an org code, when known.
func (f *Facets) SenderName(code string) string {
	if f != nil {
		for _, s := range f.Senders {
			if s.Value == code {
				return s.Name
			}
		}
	}
	return strings.ToUpper(code)
}
