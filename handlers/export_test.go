package handlers

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/export"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/query"
	"github.com/innboks/innboks/internal/savedsearch"
	"github.com/innboks/innboks/internal/store"
)

// fakeExports are the export and saved-search services as the handlers see them.
type fakeExports struct {
	mu      sync.Mutex
	csvReq  export.ResultsRequest
	csvErr  error // returned before anything is written
	zipReq  export.ZipRequest
	zipMax  int
	saveErr error
	saved   []savedsearch.Saved
}

func (f *fakeExports) CSV(_ context.Context, w io.Writer, req export.ResultsRequest) (export.Summary, error) {
	f.mu.Lock()
	f.csvReq = req
	f.mu.Unlock()
	if f.csvErr != nil {
		return export.Summary{}, f.csvErr
	}
	_, err := io.WriteString(w, "\uFEFF"+strings.Join(req.Labels.Header, ";")+"\r\n")
	return export.Summary{}, err
}

func (f *fakeExports) ZIP(_ context.Context, w io.Writer, req export.ZipRequest) (export.ZipSummary, error) {
	f.zipReq = req
	_, err := io.WriteString(w, "PK\x05\x06")
	return export.ZipSummary{}, err
}

func (f *fakeExports) SearchIDs(context.Context, *inbox.User, []string, dpclient.SearchParams) ([]string, bool, error) {
	return []string{"0194c6a3-0000-7000-8000-000000000009"}, false, nil
}

func (f *fakeExports) MaxDialogs() int { return f.zipMax }

func (f *fakeExports) List(context.Context, store.Owner) ([]savedsearch.Saved, error) {
	return f.saved, nil
}

func (f *fakeExports) Save(_ context.Context, _ store.Owner, name string, q query.Query) (savedsearch.Saved, error) {
	if f.saveErr != nil {
		return savedsearch.Saved{}, f.saveErr
	}
	s := savedsearch.Saved{ID: "0194c6a3-0000-7000-8000-0000000000aa", Name: name, Query: q}
	f.saved = append(f.saved, s)
	return s, nil
}

func (f *fakeExports) Rename(_ context.Context, _ store.Owner, id, _ string) error {
	return f.find(id)
}

func (f *fakeExports) Delete(_ context.Context, _ store.Owner, id string) error { return f.find(id) }

func (f *fakeExports) Get(_ context.Context, _ store.Owner, id string) (savedsearch.Saved, error) {
	for _, s := range f.saved {
		if s.ID == id {
			return s, nil
		}
	}
	return savedsearch.Saved{}, store.ErrNotFound
}

func (f *fakeExports) Open(ctx context.Context, o store.Owner, id string) (query.Query, error) {
	s, err := f.Get(ctx, o, id)
	return s.Query, err
}

func (f *fakeExports) NewSince(context.Context, *inbox.User, store.Owner, savedsearch.Saved, []string) savedsearch.Count {
	return savedsearch.Count{N: 3}
}

func (f *fakeExports) find(id string) error {
	_, err := f.Get(context.Background(), "", id)
	return err
}

// newExportHarness is the web layer over fakes, with f as the export and saved-search services.
func newExportHarness(t *testing.T, f *fakeExports) *harness {
	t.Helper()
	h := newHarness(t)
	h.srv = New(Deps{Config: h.cfg, Login: h.auth.routes(), Sessions: h.auth,
		Parties: h.dp.partyService(), Search: h.dp.searchService(), Dialogs: withBulk{stubDialogs{}, &h.dp.bulk},
		Results: f, Zip: f, Saved: f})
	return h
}

// TestExportCSVHandler: the inbox's query becomes the export's search (scope, folder, filters)
// with headers in the user's language, answered as a CSV download; a search that fails before
// the first byte gets the error page; another party is refused.
func TestExportCSVHandler(t *testing.T) {
	t.Parallel()
	f := &fakeExports{}
	h := newExportHarness(t, f)
	rec := h.do("GET", "/inbox/export.csv?party=all-orgs&folder=archive&org=skd", req{loggedIn: true})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("export: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="innboks-`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if !strings.HasPrefix(rec.Body.String(), "\uFEFFAktør;Organisasjonsnummer;") {
		t.Errorf("body %q: want the Norwegian header", rec.Body.String())
	}
	if r := f.csvReq; r.Folder != "archive" || len(r.Scope) < 2 || len(r.Params.Org) != 1 || r.Params.Org[0] != "skd" {
		t.Errorf("export asked for folder %q, %d parties, org %v", r.Folder, len(r.Scope), r.Params.Org)
	}

	f.csvErr = inbox.ErrBusy
	rec = h.do("GET", "/inbox/export.csv", req{loggedIn: true})
	if rec.Code == http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Errorf("a failed export: %d %s, want the error page", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := h.do("GET", "/inbox/export.csv?party=00000000-0000-0000-0000-000000000000", req{loggedIn: true}); rec.Code != http.StatusForbidden {
		t.Errorf("export of another party: %d, want 403", rec.Code)
	}
	if rec := h.do("GET", "/inbox/export.csv", req{}); rec.Code == http.StatusOK {
		t.Errorf("export without a session: %d", rec.Code)
	}
}

// TestZipHandler: a POST with the CSRF token; the ticked ids in order, or the whole search's;
// none, or more than a ZIP holds, get a page that says so.
func TestZipHandler(t *testing.T) {
	t.Parallel()
	f := &fakeExports{zipMax: 3}
	h := newExportHarness(t, f)
	ids := []string{"0194c6a3-0000-7000-8000-000000000002", "0194c6a3-0000-7000-8000-000000000001"}
	if rec := h.do("POST", "/inbox/zip", req{loggedIn: true, form: url.Values{"dialog": ids}}); rec.Code != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d, want 403", rec.Code)
	}
	rec := h.do("POST", "/inbox/zip", req{loggedIn: true, csrf: true, form: url.Values{"dialog": ids}})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/zip" || strings.Join(f.zipReq.IDs, ",") != strings.Join(ids, ",") {
		t.Fatalf("zip: %d %s, ids %v", rec.Code, rec.Header().Get("Content-Type"), f.zipReq.IDs)
	}
	if len(f.zipReq.Header) != len(export.ManifestColumns) || f.zipReq.Header[0] != "Fil i ZIP" {
		t.Errorf("manifest header %q", f.zipReq.Header)
	}
	rec = h.do("POST", "/inbox/zip", req{loggedIn: true, csrf: true, form: url.Values{"search": {"party=all-orgs&folder=archive"}}})
	if rec.Code != http.StatusOK || len(f.zipReq.IDs) != 1 {
		t.Errorf("zip of a search: %d, ids %v", rec.Code, f.zipReq.IDs)
	}
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{nil, "Velg minst én melding"},
		{append(ids, "0194c6a3-0000-7000-8000-000000000003", "0194c6a3-0000-7000-8000-000000000004"), "høyst 3 meldinger"},
	} {
		rec := h.do("POST", "/inbox/zip", req{loggedIn: true, csrf: true, form: url.Values{"dialog": c.ids}})
		if body := doc(t, rec).Find(`[data-testid="bulk-summary"]`).Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) {
			t.Errorf("zip of %d: %d %q, want 422 saying %q", len(c.ids), rec.Code, body, c.want)
		}
	}
}

// TestSavedSearchHandlers: the store's refusals become clear messages with the name kept for
// another try; an unknown (or another person's) saved search is not found; the count answers a
// fragment for htmx and a page without it.
func TestSavedSearchHandlers(t *testing.T) {
	t.Parallel()
	f := &fakeExports{}
	h := newExportHarness(t, f)
	save := func(name string) *http.Response {
		return h.do("POST", "/searches", req{loggedIn: true, csrf: true, form: url.Values{"name": {name}, "search": {"party=all-orgs&q=skatt"}}}).Result()
	}
	if resp := save("Skatt"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/searches?done=saved" {
		t.Fatalf("save: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if q := f.saved[0].Query; q.Party != "all-orgs" || q.Q != "skatt" {
		t.Errorf("saved %+v", q)
	}
	for err, want := range map[error]string{
		&store.LimitError{Limit: "saved searches", Max: 200}: "høyst 200 lagrede søk",
		&store.LimitError{Limit: "name", Max: 100}:           "høyst 100 tegn",
		store.ErrNameTaken: "allerede et lagret søk",
		store.ErrInvalid:   "Gi søket et navn",
	} {
		f.saveErr = err
		rec := h.do("POST", "/searches", req{loggedIn: true, csrf: true, form: url.Values{"name": {"Nytt"}, "search": {"q=skatt"}}})
		d := doc(t, rec)
		if msg := d.Find(`[data-testid="saved-error"]`).Text(); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(msg, want) {
			t.Errorf("refused with %v: %d %q, want 422 saying %q", err, rec.Code, msg, want)
		}
		if d.Find(`[data-testid="save-search-name"]`).AttrOr("value", "") != "Nytt" {
			t.Errorf("refused with %v: the name typed is not kept", err)
		}
	}
	f.saveErr = errors.New("database down")
	if rec := h.do("POST", "/searches", req{loggedIn: true, csrf: true, form: url.Values{"name": {"X"}}}); rec.Code != http.StatusInternalServerError {
		t.Errorf("a store failure: %d, want 500", rec.Code)
	}
	const unknown = "0194c6a3-0000-7000-8000-0000000000bb"
	for _, p := range []string{"/searches/" + unknown + "/rename", "/searches/" + unknown + "/delete", "/searches/" + unknown + "/open"} {
		if rec := h.do("POST", p, req{loggedIn: true, csrf: true, form: url.Values{"name": {"Y"}}}); rec.Code != http.StatusNotFound {
			t.Errorf("POST %s: %d, want 404", p, rec.Code)
		}
	}
	id := f.saved[0].ID
	if rec := h.do("POST", "/searches/"+id+"/open", req{loggedIn: true, csrf: true, form: url.Values{}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/inbox?party=all-orgs&q=skatt" {
		t.Errorf("open: %d → %s", rec.Code, rec.Header().Get("Location"))
	}
	rec := h.do("GET", "/searches/"+id+"/count", req{loggedIn: true, htmx: true})
	if strings.Contains(rec.Body.String(), "<html") || doc(t, rec).Find(`[data-testid="saved-count"]`).AttrOr("data-count", "") != "3" {
		t.Errorf("htmx count: %q, want the fragment with 3", rec.Body.String())
	}
	page := doc(t, h.do("GET", "/searches/"+id+"/count", req{loggedIn: true}))
	if page.Find(`[data-testid="saved-count-page"] [data-testid="saved-count"]`).AttrOr("data-count", "") != "3" {
		t.Errorf("count page: want the count 3 on a page")
	}
	list := doc(t, h.do("GET", "/searches", req{loggedIn: true}))
	if s := list.Find(`[data-testid="saved-summary"]`).Text(); !strings.Contains(s, "Alle virksomheter") || !strings.Contains(s, "skatt") {
		t.Errorf("summary %q: want the scope and the search text", s)
	}
}
