package dpemu

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// userParties returns the party URNs of user i (own party first).
func userParties(f *fixture, i int) []string {
	return f.e.accessFor(principal{PID: f.e.Users()[i].PID}).order
}

func TestSearchValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	me := "party=" + url.QueryEscape(userParties(f, 0)[0])
	many := func(key, prefix string, n int, gen func(int) string) string {
		v := url.Values{}
		for i := 0; i < n; i++ {
			v.Add(key, prefix+gen(i))
		}
		return v.Encode()
	}
	tokCreated := url.QueryEscape("createdat_2026-01-01T00:00:00.0000000Z,id_0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee")
	tests := []struct {
		name, query, wantKey string
	}{
		{"neither party nor resource", "limit=10", "dto"},
		{"101 parties", many("party", orgPrefix, 101, func(i int) string { return syntheticOrgNumber(i) }), "Party"},
		{"invalid party", "party=urn:altinn:person:identifier-no:12345678901", "Party"},
		{"21 resources", me + "&" + many("serviceResource", "urn:altinn:resource:r", 21, func(i int) string { return string(rune('a' + i)) }), "ServiceResource"},
		{"21 orgs", me + "&" + many("org", "o", 21, func(i int) string { return string(rune('a' + i)) }), "Org"},
		{"21 extended statuses", me + "&" + many("extendedStatus", "s", 21, func(i int) string { return string(rune('a' + i)) }), "ExtendedStatus"},
		{"limit 0", me + "&limit=0", "Limit"},
		{"limit 1001", me + "&limit=1001", "Limit"},
		{"search too short", me + "&search=ab", "Search"},
		{"search language no", me + "&search=skatt&searchLanguageCode=no", "SearchLanguageCode"},
		{"unknown orderBy", me + "&orderBy=title_asc", "OrderBy"},
		{"duplicate orderBy", me + "&orderBy=createdAt,createdAt_asc", "OrderBy"},
		{"token of another order", me + "&continuationToken=" + tokCreated, "ContinuationToken"},
		{"garbage token", me + "&continuationToken=abc", "ContinuationToken"},
		{"bad status", me + "&status=Sent", "Status"},
		{"bad date", me + "&createdAfter=2026-01-01", "CreatedAfter"},
		{"after later than before", me + "&createdAfter=2026-02-01T00:00:00Z&createdBefore=2026-01-01T00:00:00Z", "CreatedAfter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, h, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?"+tt.query, tok, "", nil)
			if st != 400 {
				t.Fatalf("got %d, want 400 (%s)", st, truncate(b))
			}
			p := decode[problem](t, b)
			if h.Get("Content-Type") != "application/problem+json" || p.Title != "One or more validation errors occurred." ||
				p.Type != "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1" || p.Status != 400 || p.TraceID == "" {
				t.Errorf("problem: got %q %+v", h.Get("Content-Type"), p)
			}
			if _, ok := p.Errors[tt.wantKey]; !ok {
				t.Errorf("errors: got %v, want key %s", p.Errors, tt.wantKey)
			}
		})
	}
}

// TestSearchPaginationEveryOrder pages through the default user's dialogs with a small limit for
// every orderBy and checks that the pages are ordered, disjoint and complete.
func TestSearchPaginationEveryOrder(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	parties := partyQuery(userParties(f, 0))
	_, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?limit=1000&"+parties, tok, "", nil)
	all := decode[searchPage](t, b)
	if len(all.Items) < 100 || all.HasNextPage {
		t.Fatalf("full search: got %d items, hasNext %v; want ≥100 on one page", len(all.Items), all.HasNextPage)
	}
	want := map[string]bool{}
	for _, it := range all.Items {
		want[it.ID] = true
	}
	for _, tt := range []struct{ orderBy, echo, field string }{
		{"", "contentupdatedat_desc,id_desc", "contentUpdatedAt"},
		{"createdAt_asc", "createdat_asc,id_desc", "createdAt"},
		{"updatedAt", "updatedat_desc,id_desc", ""},
		{"dueAt_asc", "dueat_asc,id_desc", "dueAt"},
		{"dueAt_desc,id_asc", "dueat_desc,id_asc", "dueAt"},
		{"id_asc", "contentupdatedat_desc,id_asc", "contentUpdatedAt"},
		{"contentUpdatedAt_asc", "contentupdatedat_asc,id_desc", "contentUpdatedAt"},
	} {
		t.Run(tt.echo, func(t *testing.T) {
			t.Parallel()
			seen := map[string]bool{}
			var keys []string
			token := ""
			for page := 0; ; page++ {
				q := "limit=9&" + parties + "&orderBy=" + url.QueryEscape(tt.orderBy)
				if token != "" {
					q += "&continuationToken=" + url.QueryEscape(token)
				}
				_, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?"+q, tok, "", nil)
				p := decode[searchPage](t, b)
				if p.OrderBy != tt.echo {
					t.Fatalf("orderBy: got %q, want %q", p.OrderBy, tt.echo)
				}
				for _, it := range p.Items {
					if seen[it.ID] {
						t.Fatalf("page %d: %s returned twice", page, it.ID)
					}
					seen[it.ID] = true
					switch tt.field {
					case "contentUpdatedAt":
						keys = append(keys, it.ContentUpdatedAt)
					case "createdAt":
						keys = append(keys, it.CreatedAt)
					case "dueAt":
						keys = append(keys, it.DueAt)
					}
				}
				if len(p.Items) > 0 && (p.ContinuationToken == nil || !strings.HasPrefix(*p.ContinuationToken, strings.Split(tt.echo, "_")[0]+"_")) {
					t.Fatalf("page %d: continuation token %v does not start with the first key", page, p.ContinuationToken)
				}
				if !p.HasNextPage {
					break
				}
				token = *p.ContinuationToken
				if page > 100 {
					t.Fatal("more than 100 pages")
				}
			}
			if len(seen) != len(want) {
				t.Fatalf("paged union: got %d dialogs, want %d", len(seen), len(want))
			}
			checkKeyOrder(t, tt.echo, keys)
		})
	}
}

// checkKeyOrder checks timestamps (RFC 3339 strings of equal layout sort lexically) and null
// dueAt placement: last ascending, first descending.
func checkKeyOrder(t *testing.T, echo string, keys []string) {
	t.Helper()
	if len(keys) == 0 {
		return
	}
	desc := strings.HasPrefix(strings.Split(echo, ",")[0][strings.Index(echo, "_")+1:], "desc")
	cmp := func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(a, b)
	}
	for i := 1; i < len(keys); i++ {
		c := cmp(keys[i-1], keys[i])
		if (desc && c < 0) || (!desc && c > 0) {
			t.Fatalf("%s: key %d %q before %q is out of order", echo, i, keys[i-1], keys[i])
		}
	}
	if strings.HasPrefix(echo, "dueat") {
		nullAt := slices.Index(keys, "")
		if nullAt < 0 {
			t.Fatalf("%s: no dialog without dueAt; the seed should have some", echo)
		}
		if desc && keys[0] != "" {
			t.Errorf("%s: nulls must come first, got %q first", echo, keys[0])
		}
		if !desc && keys[len(keys)-1] != "" {
			t.Errorf("%s: nulls must come last, got %q last", echo, keys[len(keys)-1])
		}
	}
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	parties := partyQuery(userParties(f, 0))
	count := func(t *testing.T, extra string, check func(searchPage) string) int {
		t.Helper()
		st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?limit=1000&"+parties+"&"+extra, tok, "", map[string]string{"Accept-Language": "nb"})
		if st != 200 {
			t.Fatalf("%s: got %d", extra, st)
		}
		p := decode[searchPage](t, b)
		if msg := check(p); msg != "" {
			t.Errorf("%s: %s", extra, msg)
		}
		return len(p.Items)
	}
	every := func(pred func(i int, p searchPage) bool, what string) func(searchPage) string {
		return func(p searchPage) string {
			for i := range p.Items {
				if !pred(i, p) {
					return "item " + p.Items[i].ID + " is not " + what
				}
			}
			return ""
		}
	}
	tests := []struct {
		name, query string
		check       func(searchPage) string
		wantSome    bool
	}{
		{"status", "status=Draft&status=Awaiting", every(func(i int, p searchPage) bool {
			return p.Items[i].Status == "Draft" || p.Items[i].Status == "Awaiting"
		}, "Draft/Awaiting"), true},
		{"archive label", "systemLabel=Archive", every(func(i int, p searchPage) bool {
			return slices.Contains(p.Items[i].EndUserContext.SystemLabels, "Archive")
		}, "archived"), true},
		{"bin and sent labels together", "systemLabel=Bin&systemLabel=Sent", every(func(i int, p searchPage) bool {
			l := p.Items[i].EndUserContext.SystemLabels
			return slices.Contains(l, "Bin") && slices.Contains(l, "Sent")
		}, "in bin and sent"), false},
		{"org", "org=skd", every(func(i int, p searchPage) bool { return p.Items[i].Org == "skd" }, "from skd"), true},
		{"resource", "serviceResource=urn:altinn:resource:nav-korrespondanse", every(func(i int, p searchPage) bool {
			return p.Items[i].ServiceResource == "urn:altinn:resource:nav-korrespondanse"
		}, "nav-korrespondanse"), true},
		{"content not seen", "isContentSeen=false", every(func(i int, p searchPage) bool { return !p.Items[i].IsContentSeen }, "unseen"), true},
		{"content seen", "isContentSeen=true", every(func(i int, p searchPage) bool { return p.Items[i].IsContentSeen }, "seen"), true},
		{"created range", "createdAfter=2025-06-01T00:00:00Z&createdBefore=2025-12-31T23:59:59%2B01:00", every(func(i int, p searchPage) bool {
			c := p.Items[i].CreatedAt
			return c >= "2025-06-01" && c <= "2025-12-31T23"
		}, "in range"), true},
		{"due after", "dueAfter=2026-05-01T00:00:00Z", every(func(i int, p searchPage) bool { return p.Items[i].DueAt >= "2026-05-01" }, "due after"), true},
		{"free text nb", "search=skattemelding", every(func(i int, p searchPage) bool {
			return strings.Contains(strings.ToLower(p.Items[i].Content.Title.Value[0].Value), "skattemelding") || p.Items[i].Org == "skd"
		}, "about the tax return"), true},
		{"free text in english only", "search=tax+return&searchLanguageCode=en", func(p searchPage) string { return "" }, true},
		{"free text no match", "search=zzzqqq", every(func(int, searchPage) bool { return false }, "expected"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := count(t, tt.query, tt.check)
			if tt.wantSome && n == 0 {
				t.Errorf("got 0 hits, want some")
			}
		})
	}
}

func TestSearchHidesInvisibleAndForeign(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	_, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?limit=1000&"+partyQuery(userParties(f, 0)), tok, "", nil)
	got := map[string]bool{}
	for _, it := range decode[searchPage](t, b).Items {
		got[it.ID] = true
	}
	f.e.store.mu.RLock()
	defer f.e.store.mu.RUnlock()
	hidden := 0
	for _, p := range userParties(f, 0) {
		for _, d := range f.e.store.byParty[p] {
			visible := visibleAt(d, fixedNow)
			if got[d.ID.String()] != visible {
				t.Errorf("dialog %s (deleted %v, visibleFrom %v, expiresAt %v): in search %v, want %v",
					d.ID, d.DeletedAt != nil, d.VisibleFrom, d.ExpiresAt, got[d.ID.String()], visible)
			}
			if !visible {
				hidden++
			}
		}
	}
	if hidden == 0 {
		t.Error("seed has no hidden dialogs to check")
	}
	// A party the user cannot represent gives an empty result, not an error.
	ola := userParties(f, 1)[0]
	st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs?party="+url.QueryEscape(ola), tok, "", nil)
	if p := decode[searchPage](t, b); st != 200 || len(p.Items) != 0 {
		t.Errorf("foreign party: got %d with %d items, want 200 and none", st, len(p.Items))
	}
}

func TestSearchNonSensitiveTitleWhenLevelTooLow(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.ServiceResource == "urn:altinn:resource:skd-skattekort" && visibleAt(d, fixedNow)
	})
	q := eu + "/dialogs?party=" + url.QueryEscape(d.Party) + "&serviceResource=urn:altinn:resource:skd-skattekort&limit=1000"
	for _, tt := range []struct {
		acr, wantTitle string
		wantDetails    int
	}{
		{"idporten-loa-substantial", d.Content.NonSensitiveTitle.Value.Get("nb"), 403},
		{"idporten-loa-high", d.Content.Title.Value.Get("nb"), 200},
	} {
		tok := f.userToken(t, 0, map[string]any{"acr": tt.acr})
		_, _, b := f.do(t, nil, http.MethodGet, q, tok, "", map[string]string{"Accept-Language": "nb"})
		var title string
		for _, it := range decode[searchPage](t, b).Items {
			if it.ID == d.ID.String() {
				title = it.Content.Title.Value[0].Value
			}
		}
		if title != tt.wantTitle {
			t.Errorf("%s: search title got %q, want %q", tt.acr, title, tt.wantTitle)
		}
		st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
		if st != tt.wantDetails {
			t.Fatalf("%s: details got %d, want %d", tt.acr, st, tt.wantDetails)
		}
		if st == 403 {
			if p := decode[problem](t, b); !slices.Contains(p.Errors["Forbidden"], "Altinn authentication level too low.") || p.Title != "Forbidden." {
				t.Errorf("403 body: got %+v", p)
			}
		}
	}
}

func TestParseOrder(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", "contentupdatedat_desc,id_desc"},
		{"createdAt", "createdat_desc,id_desc"},
		{"CREATEDAT_ASC", "createdat_asc,id_desc"},
		{"id_asc", "contentupdatedat_desc,id_asc"},
		{"dueAt_asc,id_asc", "dueat_asc,id_asc"},
		{"updatedAt_desc,createdAt_asc", "updatedat_desc,createdat_asc,id_desc"},
	}
	for _, tt := range tests {
		o, err := parseOrder(tt.in)
		if err != nil || o.String() != tt.want {
			t.Errorf("parseOrder(%q): got %q, %v; want %q", tt.in, o.String(), err, tt.want)
		}
	}
	for _, bad := range []string{"title", "createdAt_up", "id,id", "createdAt,createdat_asc"} {
		if _, err := parseOrder(bad); err == nil {
			t.Errorf("parseOrder(%q): got nil error, want one", bad)
		}
	}
	// A token round-trips to a probe that compares equal to its dialog.
	o, _ := parseOrder("dueAt_asc")
	due := time.Date(2026, 1, 2, 3, 4, 5, 123456700, time.UTC)
	for _, d := range []*Dialog{{DueAt: &due}, {}} {
		probe, err := o.parseToken(o.token(d))
		if err != nil || o.compare(d, probe) != 0 {
			t.Errorf("token %q: got %v, compare %d", o.token(d), err, o.compare(d, probe))
		}
	}
}
