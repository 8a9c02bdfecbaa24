package dpemu

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// searchDialogs serves GET /enduser/dialogs (§4.1, §9).
func (e *Emulator) searchDialogs(w http.ResponseWriter, r *http.Request, c *caller) {
	q, errs := parseSearch(r.URL.Query())
	if errs != nil {
		writeProblem(w, r, http.StatusBadRequest, errs)
		return
	}
	prefs := parseAcceptLanguage(r.Header.Get("Accept-Language"))
	now := norm(e.now())

	e.store.mu.RLock()
	page, hasNext := e.runSearch(c, q, now)
	out := wSearchPage{Items: make([]wSearchDialog, 0, len(page)), HasNextPage: hasNext, OrderBy: q.order.String()}
	for _, d := range page {
		out.Items = append(out.Items, e.searchItem(d, c, prefs))
	}
	if len(page) > 0 {
		t := q.order.token(page[len(page)-1])
		out.ContinuationToken = &t
	} else if q.rawToken != "" {
		out.ContinuationToken = &q.rawToken
	}
	e.store.mu.RUnlock()
	writeJSON(w, http.StatusOK, out)
}

// runSearch returns one page of matching dialogs and whether more follow. The caller holds
// the store's read lock.
//
// Each party's dialogs are kept in the default order, so for that order every party is read
// from the keyset position onwards and stops after limit+1 matches; the per-party runs are then
// merged. Other orders filter every dialog of the candidate parties and sort.
func (e *Emulator) runSearch(c *caller, q *searchQuery, now time.Time) ([]*Dialog, bool) {
	want := q.limit + 1
	var found []*Dialog
	for _, party := range e.candidateParties(c, q) {
		list := e.store.byParty[party]
		start := 0
		if q.order.isDefault() && q.cursor != nil {
			start, _ = slices.BinarySearchFunc(list, q.cursor, q.order.compare)
		}
		n := 0
		for _, d := range list[start:] {
			if q.cursor != nil && q.order.compare(d, q.cursor) <= 0 {
				continue
			}
			if !e.matches(d, c, q, now) {
				continue
			}
			found = append(found, d)
			n++
			if q.order.isDefault() && n == want {
				break
			}
		}
	}
	slices.SortFunc(found, q.order.compare)
	if len(found) > q.limit {
		return found[:q.limit], true
	}
	return found, false
}

// candidateParties returns the parties to search: the requested ones the caller may act for,
// or all of them when no party was given.
func (e *Emulator) candidateParties(c *caller, q *searchQuery) []string {
	if len(q.parties) == 0 {
		return c.access.order
	}
	var out []string
	for _, p := range q.parties {
		if _, ok := c.access.byParty[p]; ok && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// visibleAt reports the end-user visibility filter (§14): not deleted, visible, not expired.
func visibleAt(d *Dialog, now time.Time) bool {
	return d.DeletedAt == nil && (d.VisibleFrom == nil || !d.VisibleFrom.After(now)) &&
		(d.ExpiresAt == nil || d.ExpiresAt.After(now))
}

// matches applies authorisation, visibility and every search filter.
func (e *Emulator) matches(d *Dialog, c *caller, q *searchQuery, now time.Time) bool {
	if !visibleAt(d, now) || !c.canList(d) {
		return false
	}
	if len(q.resources) > 0 && !containsFold(q.resources, d.ServiceResource) {
		return false
	}
	if len(q.orgs) > 0 && !containsFold(q.orgs, d.Org) {
		return false
	}
	if len(q.extStatuses) > 0 && !slices.Contains(q.extStatuses, d.ExtendedStatus) {
		return false
	}
	if q.externalReference != nil && *q.externalReference != d.ExternalReference {
		return false
	}
	if len(q.statuses) > 0 && !slices.Contains(q.statuses, d.Status) {
		return false
	}
	if q.process != "" && q.process != d.Process {
		return false
	}
	for _, l := range q.labels {
		if !d.EndUserContext.Has(l) {
			return false
		}
	}
	if q.isContentSeen != nil && d.IsContentSeen() != *q.isContentSeen {
		return false
	}
	if q.excludeAPIOnly && d.IsApiOnly {
		return false
	}
	if !inRange(&d.CreatedAt, q.createdAfter, q.createdBefore) ||
		!inRange(&d.UpdatedAt, q.updatedAfter, q.updatedBefore) ||
		!inRange(&d.ContentUpdatedAt, q.contentAfter, q.contentBefore) {
		return false
	}
	if (q.dueAfter != nil || q.dueBefore != nil) && (d.DueAt == nil || !inRange(d.DueAt, q.dueAfter, q.dueBefore)) {
		return false
	}
	if len(q.terms) > 0 && !e.texts.match(d, q.terms, q.searchLang) {
		return false
	}
	return true
}

// containsFold reports whether the (lower-cased) filter values hold v in any case.
func containsFold(filter []string, v string) bool {
	return slices.ContainsFunc(filter, func(f string) bool { return strings.EqualFold(f, v) })
}

func inRange(t *time.Time, after, before *time.Time) bool {
	return (after == nil || !t.Before(*after)) && (before == nil || !t.After(*before))
}
