package dpemu

import (
	"net/http"
	"strings"
)

// fullCatalogueThreshold is the number of parties above which an unfiltered service-resource
// request returns the whole catalogue (isFullCatalogueFallback).
const fullCatalogueThreshold = 1000

// getLimits serves GET /metadata/limits.
func (e *Emulator) getLimits(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]map[string]int{
		"endUserSearch": {
			"maxPartyFilterValues": maxPartyFilter, "maxServiceResourceFilterValues": maxResourceFilter,
			"maxOrgFilterValues": maxOrgFilter, "maxExtendedStatusFilterValues": maxExtStatusFilter,
		},
		"serviceOwnerSearch": {
			"maxPartyFilterValues": serviceOwnerMaxParty, "maxServiceResourceFilterValues": maxResourceFilter,
			"maxExtendedStatusFilterValues": maxExtStatusFilter,
		},
	})
}

// getResourceMetadata serves GET /metadata/serviceresources: every resource.
func (e *Emulator) getResourceMetadata(w http.ResponseWriter, r *http.Request) {
	prefs := parseAcceptLanguage(r.Header.Get("Accept-Language"))
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	items := make([]wResourceItem, 0, len(e.store.resources.list))
	for _, res := range e.store.resources.list {
		items = append(items, e.resourceItem(res, prefs))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items})
}

// getServiceResources serves GET /enduser/serviceresources (§4.10): the resources the caller
// holds rights to, optionally for the given parties only.
func (e *Emulator) getServiceResources(w http.ResponseWriter, r *http.Request, c *caller) {
	prefs := parseAcceptLanguage(r.Header.Get("Accept-Language"))
	parties := lowerParams(r.URL.Query()).list("party")
	e.store.mu.RLock()
	defer e.store.mu.RUnlock()
	all := false
	fallback := len(parties) == 0 && len(c.access.order) > fullCatalogueThreshold
	held := map[string]bool{}
	consider := func(pa *PartyAccess) {
		for _, right := range pa.Rights {
			if right.Resource == "*" {
				all = true
			}
			held[right.Resource] = true
		}
	}
	if len(parties) == 0 {
		for _, urn := range c.access.order {
			consider(c.access.byParty[urn])
			if all {
				break
			}
		}
	} else {
		for _, p := range parties {
			if pa, ok := c.access.byParty[strings.ToLower(p)]; ok {
				consider(pa)
			}
		}
	}
	items := []wResourceItem{}
	for _, res := range e.store.resources.list {
		if fallback || all || held[res.ID] {
			items = append(items, e.resourceItem(res, prefs))
		}
	}
	out := struct {
		IsFullCatalogueFallback *bool           `json:"isFullCatalogueFallback,omitempty"`
		Items                   []wResourceItem `json:"items"`
	}{Items: items}
	if fallback {
		out.IsFullCatalogueFallback = &fallback
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) resourceItem(res *ServiceResource, prefs *langPrefs) wResourceItem {
	id := strings.TrimPrefix(res.ID, "urn:altinn:resource:")
	item := wResourceItem{
		ServiceResource: wResourceMeta{ID: res.ID, ResourceType: res.ResourceType, Status: res.Status, IsDelegable: res.IsDelegable,
			MinimumAuthenticationLevel: res.MinimumAuthenticationLevel, Name: prefs.prune(res.Name),
			Links: wLink{Metadata: e.opts.BaseURL + "/resourceregistry/api/v1/resource/" + id}},
		ServiceOwner:   e.ownerMeta(res.Org, prefs),
		Roles:          []wRoleMeta{},
		AccessPackages: []wRoleMeta{},
	}
	return item
}

// ownerMeta renders the service owner with code; an unknown one has the code only. The
// caller holds the store's read lock.
func (e *Emulator) ownerMeta(code string, prefs *langPrefs) wOwnerMeta {
	if o, ok := e.store.owners.byKey[code]; ok {
		return wOwnerMeta{Code: o.Code, OrgNumber: o.OrgNumber, Name: prefs.prune(o.Name)}
	}
	return wOwnerMeta{Code: code, Name: []wLocalization{}}
}
