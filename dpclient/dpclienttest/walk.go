// Package dpclienttest holds test helpers built on dpclient that work against any
// Dialogporten implementation: the emulator (internal/dpemu) on loopback or a real test
// environment. It is meant for tests only.
package dpclienttest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/contract"
)

// WalkResult summarises a search walked page by page.
type WalkResult struct {
	Pages int
	Items int
	// OrderBy is the effective order the server echoed.
	OrderBy string
	// Exchanges is how many request/response pairs were validated against the spec.
	Exchanges int
}

// MustWalkSearch is WalkSearch that fails the test on any error. Against the emulator:
//
//	res := dpclienttest.MustWalkSearch(t, emu.URL, token, dpclient.SearchParams{Party: parties})
func MustWalkSearch(t testing.TB, baseURL, token string, params dpclient.SearchParams, opts ...dpclient.CallOption) WalkResult {
	t.Helper()
	res, err := WalkSearch(context.Background(), baseURL, token, params, opts...)
	if err != nil {
		t.Fatalf("walk search: %v", err)
	}
	return res
}

// WalkSearch walks every page of a search with SearchAll against baseURL (the Dialogporten base,
// e.g. http://127.0.0.1:PORT/dialogporten) using token, and checks what a client relies on:
//
//   - every request and response is valid against the pinned spec (contract.Transport);
//   - no dialog appears twice;
//   - every page but the last is full (limit items, default 100) and none is larger;
//   - items are in the order the server echoes in orderBy, across page boundaries
//     (for the time fields and id; NULL dueAt last when ascending, first when descending);
//   - the echoed orderBy stays the same on every page.
//
// All violations found are joined into the returned error.
func WalkSearch(ctx context.Context, baseURL, token string, params dpclient.SearchParams, opts ...dpclient.CallOption) (WalkResult, error) {
	v, err := contract.New()
	if err != nil {
		return WalkResult{}, err
	}
	tr := &contract.Transport{Validator: v, Base: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := dpclient.New(baseURL,
		dpclient.WithHTTPClient(&http.Client{Transport: tr, Timeout: 2 * time.Minute}),
		dpclient.WithTokenSource(dpclient.StaticToken(token)))
	if err != nil {
		return WalkResult{}, err
	}
	limit := params.Limit
	if limit == 0 {
		limit = 100
	}
	var (
		res   WalkResult
		errs  []error
		seen  = make(map[string]bool)
		prev  *dpclient.SearchDialog
		order []orderKey
	)
	for page, err := range c.SearchAll(ctx, params, opts...) {
		if err != nil {
			errs = append(errs, fmt.Errorf("page %d: %w", res.Pages+1, err))
			break
		}
		res.Pages++
		if res.Pages == 1 {
			res.OrderBy = page.OrderBy
			if order, err = parseOrderBy(page.OrderBy); err != nil {
				errs = append(errs, err)
			}
		} else if page.OrderBy != res.OrderBy {
			errs = append(errs, fmt.Errorf("page %d: orderBy %q, first page said %q", res.Pages, page.OrderBy, res.OrderBy))
		}
		if n := len(page.Items); n > limit || page.HasNextPage && n != limit {
			errs = append(errs, fmt.Errorf("page %d: %d items with limit %d and hasNextPage=%t", res.Pages, n, limit, page.HasNextPage))
		}
		for i := range page.Items {
			it := &page.Items[i]
			res.Items++
			if seen[it.ID] {
				errs = append(errs, fmt.Errorf("page %d: dialog %s seen twice", res.Pages, it.ID))
			}
			seen[it.ID] = true
			if prev != nil && order != nil && compare(order, prev, it) > 0 {
				errs = append(errs, fmt.Errorf("page %d: dialog %s out of order (%s) after %s", res.Pages, it.ID, res.OrderBy, prev.ID))
			}
			prev = it
		}
	}
	res.Exchanges = tr.Checked()
	for _, err := range tr.Errors() {
		errs = append(errs, err)
	}
	if res.Exchanges == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("no exchange was validated against the spec (is baseURL below /api/v1?)"))
	}
	return res, errors.Join(errs...)
}

// orderKey is one field of an orderBy, e.g. contentupdatedat_desc.
type orderKey struct {
	field string
	desc  bool
}

// parseOrderBy reads the server's effective order ("contentupdatedat_desc,id_desc").
func parseOrderBy(s string) ([]orderKey, error) {
	var out []orderKey
	for part := range strings.SplitSeq(strings.ToLower(s), ",") {
		field, dir, _ := strings.Cut(strings.TrimSpace(part), "_")
		switch field {
		case "contentupdatedat", "createdat", "updatedat", "dueat", "id":
		default:
			return nil, fmt.Errorf("orderBy %q: unknown field %q", s, field)
		}
		switch dir {
		case "desc", "":
			out = append(out, orderKey{field, true})
		case "asc":
			out = append(out, orderKey{field, false})
		default:
			return nil, fmt.Errorf("orderBy %q: unknown direction %q", s, dir)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("orderBy %q is empty", s)
	}
	return out, nil
}

// compare orders a and b by keys: negative when a comes first.
func compare(keys []orderKey, a, b *dpclient.SearchDialog) int {
	for _, k := range keys {
		var c int
		switch k.field {
		case "contentupdatedat":
			c = a.ContentUpdatedAt.Compare(b.ContentUpdatedAt)
		case "createdat":
			c = a.CreatedAt.Compare(b.CreatedAt)
		case "updatedat":
			c = a.UpdatedAt.Compare(b.UpdatedAt)
		case "id":
			c = cmp.Compare(strings.ToLower(a.ID), strings.ToLower(b.ID))
		case "dueat":
			c = compareNullsLast(a.DueAt, b.DueAt)
		}
		if k.desc {
			c = -c // PostgreSQL: NULLs last ascending, first descending
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// compareNullsLast orders timestamps ascending with nil after every value.
func compareNullsLast(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return a.Compare(*b)
}
