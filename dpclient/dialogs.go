package dpclient

import (
	"context"
	"errors"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// SearchParams are the query parameters of GET /api/v1/enduser/dialogs. At least one Party or
// ServiceResource is required by the server. Zero values are not sent.
type SearchParams struct {
	Party             []string       // party URNs, at most Limits.EndUserSearch.MaxPartyFilterValues
	ServiceResource   []string       // urn:altinn:resource:… values
	Org               []string       // service-owner codes
	ExtendedStatus    []string       // exact match
	ExternalReference string         // exact match
	Status            []DialogStatus // any of
	Process           string         // exact match, a URI
	SystemLabel       []SystemLabel  // all of
	IsContentSeen     *bool
	ExcludeAPIOnly    *bool

	CreatedAfter, CreatedBefore               *time.Time // inclusive bounds
	UpdatedAfter, UpdatedBefore               *time.Time
	ContentUpdatedAfter, ContentUpdatedBefore *time.Time
	DueAfter, DueBefore                       *time.Time

	Search             string // free text, at least 3 characters
	SearchLanguageCode string // nb, nn, en, …
	OrderBy            string // e.g. "createdAt_asc"; default contentUpdatedAt desc
	ContinuationToken  string // from the previous page, with the same OrderBy
	Limit              int    // 1–1000; server default 100
}

// wireTime is the timestamp format sent to the API: UTC, "Z", seven fractional digits (the
// same round-trip format Dialogporten writes).
const wireTime = "2006-01-02T15:04:05.0000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(wireTime) }

// Values encodes the parameters as a query, repeating the key for list values.
func (p *SearchParams) Values() url.Values {
	q := url.Values{}
	if p == nil {
		return q
	}
	addAll := func(key string, vs []string) {
		for _, v := range vs {
			q.Add(key, v)
		}
	}
	addStr := func(key, v string) {
		if v != "" {
			q.Set(key, v)
		}
	}
	addBool := func(key string, v *bool) {
		if v != nil {
			q.Set(key, strconv.FormatBool(*v))
		}
	}
	addTime := func(key string, v *time.Time) {
		if v != nil {
			q.Set(key, formatTime(*v))
		}
	}
	addAll("party", p.Party)
	addAll("serviceResource", p.ServiceResource)
	addAll("org", p.Org)
	addAll("extendedStatus", p.ExtendedStatus)
	addStr("externalReference", p.ExternalReference)
	for _, s := range p.Status {
		q.Add("status", string(s))
	}
	addStr("process", p.Process)
	for _, l := range p.SystemLabel {
		q.Add("systemLabel", string(l))
	}
	addBool("isContentSeen", p.IsContentSeen)
	addBool("excludeApiOnly", p.ExcludeAPIOnly)
	addTime("createdAfter", p.CreatedAfter)
	addTime("createdBefore", p.CreatedBefore)
	addTime("updatedAfter", p.UpdatedAfter)
	addTime("updatedBefore", p.UpdatedBefore)
	addTime("contentUpdatedAfter", p.ContentUpdatedAfter)
	addTime("contentUpdatedBefore", p.ContentUpdatedBefore)
	addTime("dueAfter", p.DueAfter)
	addTime("dueBefore", p.DueBefore)
	addStr("search", p.Search)
	addStr("searchLanguageCode", p.SearchLanguageCode)
	addStr("orderBy", p.OrderBy)
	addStr("continuationToken", p.ContinuationToken)
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q
}

// SearchDialogs returns one page of the dialogs the caller may see.
// GET /api/v1/enduser/dialogs
func (c *Client) SearchDialogs(ctx context.Context, params *SearchParams, opts ...CallOption) (*SearchResult, error) {
	var res SearchResult
	if _, err := c.get(ctx, c.apiURL("/api/v1/enduser/dialogs", params.Values()), &res, opts); err != nil {
		return nil, err
	}
	return &res, nil
}

// errPaginationStuck is returned when the server says there is a next page but hands back no
// new continuation token; following it would loop forever.
var errPaginationStuck = errors.New("dpclient: search: hasNextPage without a new continuationToken")

// SearchAll walks every page of a search, following continuationToken (with the same OrderBy)
// while hasNextPage is true. It yields each page, or one error and stops. Breaking out of the
// loop stops the walk.
func (c *Client) SearchAll(ctx context.Context, params SearchParams, opts ...CallOption) iter.Seq2[*SearchResult, error] {
	return func(yield func(*SearchResult, error) bool) {
		p := params
		for {
			res, err := c.SearchDialogs(ctx, &p, opts...)
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(res, nil) || !res.HasNextPage {
				return
			}
			if res.ContinuationToken == "" || res.ContinuationToken == p.ContinuationToken {
				yield(nil, errPaginationStuck)
				return
			}
			p.ContinuationToken = res.ContinuationToken
		}
	}
}

// GetDialog returns the details of one dialog, with Dialog.ETag from the ETag header. Viewing
// records the dialog as seen by the caller.
// GET /api/v1/enduser/dialogs/{dialogId}
func (c *Client) GetDialog(ctx context.Context, id string, opts ...CallOption) (*Dialog, error) {
	seg, err := pathID("dialog id", id)
	if err != nil {
		return nil, err
	}
	var d Dialog
	resp, err := c.get(ctx, c.apiURL("/api/v1/enduser/dialogs/"+seg, nil), &d, opts)
	if err != nil {
		return nil, err
	}
	d.ETag = unquoteETag(resp.Header.Get("ETag"))
	return &d, nil
}
