package profileapi

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// setup puts mux behind a test server and returns a client for it.
func setup(t *testing.T) (*Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/profile/api/v1/", srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c, mux
}

const base = "/profile/api/v1/users/current/party-groups"

func TestCalls(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	var got []string
	record := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+string(b))
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		}
	}
	mux.HandleFunc("GET "+base+"/favorites", record(200, `{"name":"__favoritter__","isFavorite":true,"parties":["p1","p2"]}`))
	mux.HandleFunc("PUT "+base+"/favorites/{p}", record(204, ""))
	mux.HandleFunc("DELETE "+base+"/favorites/{p}", record(404, `{"status":404}`))
	mux.HandleFunc("GET "+base, record(200, `[{"groupId":1,"name":"f","isFavorite":true,"parties":[]},{"groupId":7,"name":"Bergen","parties":["p3"]}]`))
	mux.HandleFunc("POST "+base, record(201, `{"groupId":8,"name":"Nytt","parties":[]}`))
	mux.HandleFunc("PUT "+base+"/8/associations/{p}", record(200, `{"groupId":8,"name":"Nytt","parties":["p4"]}`))
	mux.HandleFunc("GET "+base+"/9", record(404, ""))
	mux.HandleFunc("DELETE "+base+"/8", record(204, ""))

	ctx := t.Context()
	favs, err := c.Favourites(ctx, "tok")
	if err != nil || !slices.Equal(favs, []string{"p1", "p2"}) {
		t.Errorf("Favourites: got %v, %v", favs, err)
	}
	if err := c.AddFavourite(ctx, "tok", "p1"); err != nil {
		t.Errorf("AddFavourite already there (204): %v", err)
	}
	if err := c.RemoveFavourite(ctx, "tok", "p9"); err != nil {
		t.Errorf("RemoveFavourite of no favourite (404): got %v, want nil", err)
	}
	gs, err := c.Groups(ctx, "tok")
	if err != nil || len(gs) != 2 || gs[1].ID != "7" || !gs[0].IsFavorite {
		t.Errorf("Groups: got %+v, %v", gs, err)
	}
	g, err := c.CreateGroup(ctx, "tok", "Nytt")
	if err != nil || g.ID != "8" {
		t.Fatalf("CreateGroup: got %+v, %v", g, err)
	}
	if err := c.AddToGroup(ctx, "tok", g.ID, "p4"); err != nil {
		t.Errorf("AddToGroup: %v", err)
	}
	if _, err := c.Group(ctx, "tok", "9"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Group 9: got %v, want ErrNotFound", err)
	}
	if err := c.DeleteGroup(ctx, "tok", "8"); err != nil {
		t.Errorf("DeleteGroup: %v", err)
	}
	want := []string{
		"GET " + base + "/favorites Bearer tok ",
		"PUT " + base + "/favorites/p1 Bearer tok ",
		"DELETE " + base + "/favorites/p9 Bearer tok ",
		"GET " + base + " Bearer tok ",
		"POST " + base + ` Bearer tok {"name":"Nytt"}`,
		"PUT " + base + "/8/associations/p4 Bearer tok ",
		"GET " + base + "/9 Bearer tok ",
		"DELETE " + base + "/8 Bearer tok ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("calls:\n got %q\nwant %q", got, want)
	}
}

// TestRefusals: 401/403 are ErrUnauthorized, others a *StatusError, and a group id that is no
// number or UUID cannot walk to another path.
func TestRefusals(t *testing.T) {
	t.Parallel()
	c, mux := setup(t)
	mux.HandleFunc("GET "+base+"/favorites", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(403) })
	mux.HandleFunc("GET "+base, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) })
	var paths []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { paths = append(paths, r.URL.Path); w.WriteHeader(404) })
	if _, err := c.Favourites(t.Context(), "t"); !errors.Is(err, ErrUnauthorized) {
		t.Errorf("403: got %v, want ErrUnauthorized", err)
	}
	var se *StatusError
	if _, err := c.Groups(t.Context(), "t"); !errors.As(err, &se) || se.Status != 500 {
		t.Errorf("500: got %v, want a StatusError", err)
	}
	_, _ = c.Group(t.Context(), "t", "../../../admin")
	if len(paths) != 1 || paths[0] != base+"/0" {
		t.Errorf("a bad group id went to %v, want %s/0", paths, base)
	}
}
