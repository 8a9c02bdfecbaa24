package dpclient

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// searchPage100 builds a 100-item search page from the rich first item of search.json, each
// item with its own id.
func searchPage100(b testing.TB) []byte {
	b.Helper()
	var page map[string]any
	if err := json.Unmarshal(fixture(b, "search.json"), &page); err != nil {
		b.Fatal(err)
	}
	first := page["items"].([]any)[0].(map[string]any)
	items := make([]any, 100)
	for i := range items {
		it := make(map[string]any, len(first))
		for k, v := range first {
			it[k] = v
		}
		it["id"] = fmt.Sprintf("0194f1a2-3b4c-7d5e-8f60-%012x", i)
		items[i] = it
	}
	page["items"] = items
	out, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// BenchmarkDecodeSearchPage100 decodes a 100-item search page from memory.
func BenchmarkDecodeSearchPage100(b *testing.B) {
	body := searchPage100(b)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var res SearchResult
		if err := json.NewDecoder(bytes.NewReader(body)).Decode(&res); err != nil {
			b.Fatal(err)
		}
		if len(res.Items) != 100 {
			b.Fatalf("items = %d", len(res.Items))
		}
	}
}

// BenchmarkSearchDialogsPage100 fetches and decodes a 100-item page over loopback HTTP.
func BenchmarkSearchDialogsPage100(b *testing.B) {
	body := searchPage100(b)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, http.StatusOK, body)
	})
	srv := newBenchServer(b, mux)
	c, err := New(srv+basePath, WithTokenSource(StaticToken(testToken)))
	if err != nil {
		b.Fatal(err)
	}
	params := &SearchParams{Party: []string{"urn:altinn:organization:identifier-no:312345678"}, Limit: 100}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		res, err := c.SearchDialogs(context.Background(), params)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Items) != 100 {
			b.Fatalf("items = %d", len(res.Items))
		}
	}
}
