package dpclienttest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
)

// fakeSearch is a small keyset-paginating search over n dialogs ordered by contentUpdatedAt
// desc, id desc. bug injects one pagination mistake.
type fakeSearch struct {
	items []map[string]any
	bug   string // "", "repeat", "shuffle", "short"
}

func newFakeSearch(n int, bug string) *fakeSearch {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f := &fakeSearch{bug: bug}
	for i := range n {
		t := base.Add(time.Duration(i/3) * time.Hour).Format(time.RFC3339Nano) // ties on time, broken by id
		f.items = append(f.items, map[string]any{
			"id":                                 fmt.Sprintf("0194f1a2-0000-7000-8000-%012x", i),
			"org":                                "skd",
			"serviceResource":                    "urn:altinn:resource:skd-skattemelding",
			"serviceResourceType":                "AltinnApp",
			"party":                              "urn:altinn:organization:identifier-no:312345678",
			"createdAt":                          t,
			"updatedAt":                          t,
			"contentUpdatedAt":                   t,
			"status":                             "InProgress",
			"hasUnopenedContent":                 false,
			"systemLabel":                        "Default",
			"isApiOnly":                          false,
			"fromServiceOwnerTransmissionsCount": 0,
			"fromPartyTransmissionsCount":        0,
			"seenSinceLastUpdate":                []any{},
			"seenSinceLastContentUpdate":         []any{},
			"isContentSeen":                      false,
			"endUserContext":                     map[string]any{"revision": "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f", "systemLabels": []string{"Default"}},
			"content":                            map[string]any{"title": map[string]any{"value": []any{map[string]string{"value": "Melding " + strconv.Itoa(i), "languageCode": "nb"}}, "mediaType": "text/plain"}},
		})
	}
	slices.Reverse(f.items) // newest (and highest id) first
	return f
}

func (f *fakeSearch) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 100
	if v := q.Get("limit"); v != "" {
		limit, _ = strconv.Atoi(v)
	}
	start := 0
	if tok := q.Get("continuationToken"); tok != "" {
		_, id, _ := strings.Cut(tok, ",id_")
		start = slices.IndexFunc(f.items, func(it map[string]any) bool { return it["id"] == id }) + 1
		if f.bug == "repeat" {
			start-- // the last item of the previous page again
		}
	}
	end := min(start+limit, len(f.items))
	page := slices.Clone(f.items[start:end])
	if f.bug == "shuffle" && len(page) > 1 {
		page[0], page[1] = page[1], page[0]
	}
	next := end < len(f.items)
	if f.bug == "short" && next && len(page) > 1 {
		page = page[:len(page)-1]
	}
	out := map[string]any{"items": page, "hasNextPage": next, "orderBy": "contentupdatedat_desc,id_desc"}
	if len(page) > 0 {
		last := page[len(page)-1]
		out["continuationToken"] = "contentupdatedat_" + last["contentUpdatedAt"].(string) + ",id_" + last["id"].(string)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("GET /dialogporten/api/v1/enduser/dialogs", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/dialogporten"
}

func TestWalkSearch(t *testing.T) {
	t.Parallel()
	base := serve(t, newFakeSearch(23, ""))
	params := dpclient.SearchParams{Party: []string{"urn:altinn:organization:identifier-no:312345678"}, Limit: 5}
	res := MustWalkSearch(t, base, "token", params, dpclient.WithLanguage("nb"))
	want := WalkResult{Pages: 5, Items: 23, OrderBy: "contentupdatedat_desc,id_desc", Exchanges: 5}
	if res != want {
		t.Errorf("WalkSearch = %+v, want %+v", res, want)
	}
}

func TestWalkSearchCatchesPaginationBugs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		bug, want string
	}{
		{"repeat", "seen twice"},
		{"shuffle", "out of order"},
		{"short", "items with limit 5 and hasNextPage=true"},
	}
	for _, tt := range tests {
		t.Run(tt.bug, func(t *testing.T) {
			t.Parallel()
			base := serve(t, newFakeSearch(12, tt.bug))
			_, err := WalkSearch(context.Background(), base, "token", dpclient.SearchParams{Party: []string{"urn:altinn:organization:identifier-no:312345678"}, Limit: 5})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestWalkSearchReportsContractViolations(t *testing.T) {
	t.Parallel()
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"items":[{"id":"not-a-guid","status":"Bogus"}],"hasNextPage":false,"orderBy":"contentupdatedat_desc,id_desc"}`)
	}))
	_, err := WalkSearch(context.Background(), base, "token", dpclient.SearchParams{Party: []string{"urn:altinn:organization:identifier-no:312345678"}})
	if err == nil || !strings.Contains(err.Error(), "contract: response 200") {
		t.Errorf("err = %v, want a contract violation", err)
	}
}

func TestCompareOrder(t *testing.T) {
	t.Parallel()
	t1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	a := &dpclient.SearchDialog{ID: "a", CreatedAt: t1, DueAt: &t1}
	b := &dpclient.SearchDialog{ID: "b", CreatedAt: t2}
	tests := []struct {
		orderBy string
		want    int // sign of compare(a, b)
	}{
		{"createdat_asc,id_desc", -1},
		{"createdat_desc,id_desc", 1},
		{"dueat_asc,id_desc", -1}, // nil dueAt last when ascending
		{"dueat_desc,id_desc", 1}, // nil dueAt first when descending
		{"id_asc", -1},
		{"id", 1},
	}
	for _, tt := range tests {
		keys, err := parseOrderBy(tt.orderBy)
		if err != nil {
			t.Fatalf("parseOrderBy(%q): %v", tt.orderBy, err)
		}
		if got := compare(keys, a, b); got != tt.want {
			t.Errorf("compare(%q) = %d, want %d", tt.orderBy, got, tt.want)
		}
	}
	for _, bad := range []string{"", "title_asc", "createdat_up"} {
		if _, err := parseOrderBy(bad); err == nil {
			t.Errorf("parseOrderBy(%q): err = nil, want an error", bad)
		}
	}
}
