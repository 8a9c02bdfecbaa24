package dpemu

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"testing"
)

// benchSearch measures GET /enduser/dialogs through the handler (no network) for the first
// nParties parties of the accountant, limit 100.
func benchSearch(b *testing.B, nParties int, extra string) {
	f := newFixture(b, "accountant", true)
	u := f.e.Users()[0]
	tok := f.userToken(b, 0, nil)
	var parties []string
	for _, pa := range f.e.accessFor(principal{PID: u.PID}).order[1 : nParties+1] {
		parties = append(parties, pa)
	}
	target := "/dialogporten/api/v1/enduser/dialogs?limit=100&" + partyQuery(parties) + extra
	h := f.e.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d: %s", rec.Code, rec.Body.String())
		}
	}
}

func BenchmarkSearchOneParty(b *testing.B)       { benchSearch(b, 1, "") }
func BenchmarkSearchHundredParties(b *testing.B) { benchSearch(b, 100, "") }
func BenchmarkSearchHundredPartiesCreatedAsc(b *testing.B) {
	benchSearch(b, 100, "&orderBy=createdAt_asc")
}
func BenchmarkSearchHundredPartiesFreeText(b *testing.B) {
	benchSearch(b, 100, "&search="+url.QueryEscape("skatt"))
}

// BenchmarkSearchAllPartiesByResource searches every one of the ~2,000 parties by resource.
func BenchmarkSearchAllPartiesByResource(b *testing.B) {
	f := newFixture(b, "accountant", true)
	tok := f.userToken(b, 0, nil)
	h := f.e.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/dialogporten/api/v1/enduser/dialogs?serviceResource=urn:altinn:resource:at-tilsyn", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d", rec.Code)
		}
	}
}

// BenchmarkBuildAccountant measures seeding the 100,000-dialog scenario.
func BenchmarkBuildAccountant(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		st := NewStore(nil, 1)
		if _, err := BuildScenario(st, ScenarioOptions{Name: "accountant", Seed: 1, BaseURL: "http://127.0.0.1:1", Now: fixedNow}); err != nil {
			b.Fatal(err)
		}
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		runtime.KeepAlive(st)
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "MiB-heap")
	}
}

// BenchmarkDetails measures GET /enduser/dialogs/{id} (seen check, rendering, dialog token).
func BenchmarkDetails(b *testing.B) {
	f := newFixture(b, "accountant", true)
	tok := f.userToken(b, 0, nil)
	d := firstDialog(b, f, func(d *Dialog) bool { return visibleAt(d, fixedNow) && levelThreeOK(d) && len(d.Transmissions) > 1 })
	h := f.e.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/dialogporten/api/v1/enduser/dialogs/"+d.ID.String(), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d", rec.Code)
		}
	}
}
