package dpclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/innboks/innboks/dpclient"
)

// fakeDialogporten answers a search in two pages.
func fakeDialogporten() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("continuationToken") == "" {
			fmt.Fprint(w, `{"items":[{"id":"d1","content":{"title":{"value":[{"value":"Skattemelding","languageCode":"nb"},{"value":"Tax return","languageCode":"en"}],"mediaType":"text/plain"}}},
				{"id":"d2","content":{"title":{"value":[{"value":"Vedtak","languageCode":"nb"}],"mediaType":"text/plain"}}}],
				"hasNextPage":true,"continuationToken":"contentupdatedat_2025-01-01T00:00:00.0000000Z,id_d2","orderBy":"contentupdatedat_desc,id_desc"}`)
			return
		}
		fmt.Fprint(w, `{"items":[{"id":"d3","content":{"title":{"value":[{"value":"Melding","languageCode":"nb"}],"mediaType":"text/plain"}}}],
			"hasNextPage":false,"continuationToken":"contentupdatedat_2024-01-01T00:00:00.0000000Z,id_d3","orderBy":"contentupdatedat_desc,id_desc"}`)
	})
	mux.HandleFunc("GET /dialogporten/api/v1/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusGone)
		fmt.Fprint(w, `{"title":"Resource no longer available.","status":410}`)
	})
	return httptest.NewServer(mux)
}

// ExampleClient_SearchAll walks a whole search page by page.
func ExampleClient_SearchAll() {
	srv := fakeDialogporten()
	defer srv.Close()

	c, err := dpclient.New(srv.URL+"/dialogporten", dpclient.WithTokenSource(dpclient.StaticToken("id-porten-access-token")))
	if err != nil {
		panic(err)
	}
	params := dpclient.SearchParams{
		Party: []string{"urn:altinn:organization:identifier-no:312345678"},
		Limit: 2,
	}
	for page, err := range c.SearchAll(context.Background(), params, dpclient.WithLanguage("en")) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, d := range page.Items {
			fmt.Println(d.ID, d.Content.Title.Best("en"))
		}
	}
	// Output:
	// d1 Tax return
	// d2 Vedtak
	// d3 Melding
}

// ExampleError shows how a caller tells upstream errors apart.
func ExampleError() {
	srv := fakeDialogporten()
	defer srv.Close()

	c, _ := dpclient.New(srv.URL + "/dialogporten")
	_, err := c.GetDialog(context.Background(), "0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e01")
	var e *dpclient.Error
	switch {
	case errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone):
		errors.As(err, &e)
		fmt.Println("gone:", e.StatusCode, e.Problem.Title)
	case errors.Is(err, dpclient.ErrRateLimited), errors.Is(err, dpclient.ErrUnavailable):
		errors.As(err, &e)
		fmt.Println("try again in", e.RetryAfter)
	}
	// Output:
	// gone: 410 Resource no longer available.
}
