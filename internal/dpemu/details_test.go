package dpemu

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDetailsAccessOutcomes(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	mine := func(d *Dialog) bool { return slices.Contains(kari, d.Party) }
	deleted := firstDialog(t, f, func(d *Dialog) bool { return mine(d) && d.DeletedAt != nil })
	future := firstDialog(t, f, func(d *Dialog) bool { return mine(d) && d.VisibleFrom != nil && d.VisibleFrom.After(fixedNow) })
	expired := firstDialog(t, f, func(d *Dialog) bool { return mine(d) && d.ExpiresAt != nil && !d.ExpiresAt.After(fixedNow) })
	foreign := firstDialog(t, f, func(d *Dialog) bool { return d.Party == userParties(f, 1)[0] && visibleAt(d, fixedNow) })
	tests := []struct {
		name      string
		path      string
		want      int
		wantTitle string
	}{
		{"unknown", "/dialogs/0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", 404, "Resource not found."},
		{"not a uuid", "/dialogs/nope", 404, "Resource not found."},
		{"other person's dialog", "/dialogs/" + foreign.ID.String(), 403, "Forbidden."},
		{"other person's dialog, sub-resource hides it", "/dialogs/" + foreign.ID.String() + "/activities", 404, "Resource not found."},
		{"deleted", "/dialogs/" + deleted.ID.String(), 410, "Resource no longer available."},
		{"deleted transmissions", "/dialogs/" + deleted.ID.String() + "/transmissions", 410, "Resource no longer available."},
		{"not yet visible", "/dialogs/" + future.ID.String(), 404, "Resource not found."},
		{"expired", "/dialogs/" + expired.ID.String(), 404, "Resource not found."},
		{"unknown activity", "/dialogs/" + deleted.ID.String() + "x/activities/x", 404, "Resource not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st, h, b := f.do(t, nil, http.MethodGet, eu+tt.path, tok, "", nil)
			if st != tt.want {
				t.Fatalf("got %d, want %d (%s)", st, tt.want, truncate(b))
			}
			p := decode[problem](t, b)
			if p.Title != tt.wantTitle || p.Status != tt.want || !strings.HasPrefix(p.Type, "https://datatracker.ietf.org/doc/html/rfc") {
				t.Errorf("problem: got %+v, want title %q", p, tt.wantTitle)
			}
			if tt.name == "not yet visible" {
				want := future.VisibleFrom.UTC().Format(http.TimeFormat)
				if h.Get("Expires") != want {
					t.Errorf("Expires: got %q, want %q", h.Get("Expires"), want)
				}
			}
		})
	}
}

type detailsView struct {
	Revision       string   `json:"revision"`
	IsContentSeen  bool     `json:"isContentSeen"`
	SeenSinceLast  []wSeenT `json:"seenSinceLastUpdate"`
	EndUserContext struct {
		Revision     string   `json:"revision"`
		SystemLabels []string `json:"systemLabels"`
	} `json:"endUserContext"`
	Content struct {
		Title struct {
			Value []wLocalization `json:"value"`
		} `json:"title"`
		MainContentReference *struct {
			Value        []wLocalization `json:"value"`
			IsAuthorized *bool           `json:"isAuthorized"`
		} `json:"mainContentReference"`
	} `json:"content"`
	GuiActions []struct {
		Action       string `json:"action"`
		URL          string `json:"url"`
		IsAuthorized bool   `json:"isAuthorized"`
	} `json:"guiActions"`
	Transmissions []struct {
		ID                     string `json:"id"`
		AuthorizationAttribute string `json:"authorizationAttribute"`
		IsAuthorized           bool   `json:"isAuthorized"`
		Content                struct {
			ContentReference *struct {
				Value []wLocalization `json:"value"`
			} `json:"contentReference"`
		} `json:"content"`
		Attachments []struct {
			URLs []struct {
				URL string `json:"url"`
			} `json:"urls"`
		} `json:"attachments"`
	} `json:"transmissions"`
}

type wSeenT struct {
	ID               string `json:"id"`
	IsCurrentEndUser bool   `json:"isCurrentEndUser"`
	SeenBy           struct {
		ActorID string `json:"actorId"`
	} `json:"seenBy"`
}

func TestDetailsSeenAndMarkedAsUnopened(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return slices.Contains(kari, d.Party) && visibleAt(d, fixedNow) && d.EndUserContext.Has(LabelMarkedAsUnopened) && levelThreeOK(d)
	})
	seenBefore := len(d.SeenLog)
	st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
	if st != 200 {
		t.Fatalf("got %d", st)
	}
	v := decode[detailsView](t, b)
	if slices.Contains(v.EndUserContext.SystemLabels, "MarkedAsUnopened") || !v.IsContentSeen {
		t.Errorf("after view: labels %v, isContentSeen %v; want MarkedAsUnopened gone and content seen", v.EndUserContext.SystemLabels, v.IsContentSeen)
	}
	if v.EndUserContext.Revision == d.EndUserContext.Revision.String() {
		t.Error("endUserContext revision did not change with the label removal")
	}
	me := slices.IndexFunc(v.SeenSinceLast, func(s wSeenT) bool { return s.IsCurrentEndUser })
	if me < 0 || strings.Contains(v.SeenSinceLast[me].SeenBy.ActorID, f.e.Users()[0].PID) ||
		!strings.HasPrefix(v.SeenSinceLast[me].SeenBy.ActorID, "urn:altinn:person:identifier-ephemeral:") {
		t.Errorf("seenSinceLastUpdate: got %+v, want a masked entry for the caller", v.SeenSinceLast)
	}
	// A second view of the same revision adds nothing.
	f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
	after, _ := f.e.Store().Dialog(d.ID)
	if got := len(after.SeenLog); got != seenBefore+1 {
		t.Errorf("seen log: got %d entries, want %d", got, seenBefore+1)
	}
	if after.UpdatedAt != d.UpdatedAt {
		t.Errorf("updatedAt changed by viewing: %v → %v", d.UpdatedAt, after.UpdatedAt)
	}
	_, _, b = f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String()+"/context/labellog", tok, "", nil)
	log := decode[[]wLabelLogT](t, b)
	if len(log) == 0 || log[len(log)-1].Name != "systemlabel:MarkedAsUnopened" || log[len(log)-1].Action != "remove" {
		t.Errorf("label log: got %+v, want a final remove of MarkedAsUnopened", log)
	}
}

type wLabelLogT struct {
	Name   string `json:"name"`
	Action string `json:"action"`
}

// levelThreeOK is true for seeded dialogs a level-3 login may open (the seed gives
// non-sensitive titles exactly to level-4 resources).
func levelThreeOK(d *Dialog) bool { return d.Content.NonSensitiveTitle == nil }

func TestDetailsAuthorizationPlaceholders(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	kari := userParties(f, 0)
	get := func(d *Dialog) detailsView {
		st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
		if st != 200 {
			t.Fatalf("details %s: got %d", d.ID, st)
		}
		return decode[detailsView](t, b)
	}
	t.Run("sign action without the sub-resource right", func(t *testing.T) {
		// Kari has read/write/delete on Fjelltopp Bygg but not the signing sub-resource.
		d := firstDialog(t, f, func(d *Dialog) bool {
			return d.Party == kari[2] && d.ServiceResourceType == ResourceTypeApp && visibleAt(d, fixedNow)
		})
		for _, a := range get(d).GuiActions {
			wantAuth := a.Action != "sign"
			if a.IsAuthorized != wantAuth || (a.URL == URNUnauthorized) == wantAuth {
				t.Errorf("action %s: isAuthorized %v url %q; want authorized=%v", a.Action, a.IsAuthorized, a.URL, wantAuth)
			}
		}
	})
	t.Run("confidential transmission", func(t *testing.T) {
		d := firstDialog(t, f, func(d *Dialog) bool {
			return slices.Contains(kari, d.Party) && visibleAt(d, fixedNow) && levelThreeOK(d) &&
				slices.ContainsFunc(d.Transmissions, func(t Transmission) bool { return t.AuthorizationAttribute == attrConfidential })
		})
		found := false
		for _, tr := range get(d).Transmissions {
			if tr.AuthorizationAttribute != attrConfidential {
				continue
			}
			found = true
			if tr.IsAuthorized || tr.Content.ContentReference == nil || tr.Content.ContentReference.Value[0].Value != URNUnauthorized {
				t.Errorf("confidential transmission: got authorized %v, content %+v", tr.IsAuthorized, tr.Content.ContentReference)
			}
		}
		if !found {
			t.Fatal("no confidential transmission in details")
		}
	})
	t.Run("expired attachment", func(t *testing.T) {
		d := firstDialog(t, f, func(d *Dialog) bool {
			return slices.Contains(kari, d.Party) && visibleAt(d, fixedNow) && levelThreeOK(d) && f.e.Store().resources.byKey[d.ServiceResource] != nil &&
				slices.ContainsFunc(d.Attachments, func(a Attachment) bool { return a.ExpiresAt != nil && a.ExpiresAt.Before(fixedNow) })
		})
		st, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), tok, "", nil)
		if st != 200 {
			t.Fatalf("got %d", st)
		}
		atts := decode[struct {
			Attachments []struct {
				ExpiresAt string `json:"expiresAt"`
				URLs      []struct {
					URL string `json:"url"`
				} `json:"urls"`
			} `json:"attachments"`
		}](t, b).Attachments
		for _, a := range atts {
			expired := a.ExpiresAt != "" && a.ExpiresAt < formatTS(fixedNow)
			if got := a.URLs[0].URL == URNExpired; got != expired {
				t.Errorf("attachment expiring %q: url %q", a.ExpiresAt, a.URLs[0].URL)
			}
		}
	})
	t.Run("list-only access hides main content", func(t *testing.T) {
		d := firstDialog(t, f, func(d *Dialog) bool {
			return d.ServiceResource == "urn:altinn:resource:nav-sykepenger" && d.Party == kari[4] && visibleAt(d, fixedNow)
		})
		m := get(d).Content.MainContentReference
		if m == nil || m.IsAuthorized == nil || *m.IsAuthorized || m.Value[0].Value != URNUnauthorized {
			t.Errorf("mainContentReference: got %+v, want unauthorized placeholder", m)
		}
	})
}

func TestAcceptLanguagePruning(t *testing.T) {
	t.Parallel()
	all := tr("bokmål", "nynorsk", "english")
	nbOnly := Text{{LanguageCode: "nb", Value: "bokmål"}}
	seOnly := Text{{LanguageCode: "se", Value: "sámegiella"}, {LanguageCode: "fi", Value: "suomi"}}
	tests := []struct {
		header string
		text   Text
		want   []string
	}{
		{"", all, []string{"nb", "nn", "en"}},
		{"nn", all, []string{"nn"}},
		{"en-US,nb;q=0.5", all, []string{"en"}},
		{"de;q=1,nn;q=0.9", all, []string{"nn"}},
		{"nb;q=0.2,en;q=0.9", all, []string{"en"}},
		{"de", all, []string{"en"}},
		{"sv", all, []string{"nb"}},
		{"da,de", nbOnly, []string{"nb"}},
		{"de", seOnly, []string{"se", "fi"}},
	}
	for _, tt := range tests {
		got := parseAcceptLanguage(tt.header).prune(tt.text)
		var langs []string
		for _, l := range got {
			langs = append(langs, l.LanguageCode)
		}
		if !slices.Equal(langs, tt.want) {
			t.Errorf("Accept-Language %q: got %v, want %v", tt.header, langs, tt.want)
		}
	}
	// End to end: details in nn carry one title.
	f := newFixture(t, "default", true)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.Party == userParties(f, 0)[0] && visibleAt(d, fixedNow) && levelThreeOK(d)
	})
	_, _, b := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), f.userToken(t, 0, nil), "", map[string]string{"Accept-Language": "nn"})
	v := decode[detailsView](t, b)
	if len(v.Content.Title.Value) != 1 || v.Content.Title.Value[0].LanguageCode != "nn" {
		t.Errorf("title: got %+v, want only nn", v.Content.Title.Value)
	}
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	b, _ := json.Marshal(ts(time.Date(2024, 7, 31, 9, 9, 3, 25709000, time.FixedZone("x", 7200))))
	if got, want := string(b), `"2024-07-31T07:09:03.0257090Z"`; got != want {
		t.Errorf("timestamp: got %s, want %s", got, want)
	}
	f := newFixture(t, "default", true)
	d := firstDialog(t, f, func(d *Dialog) bool {
		return d.Party == userParties(f, 0)[0] && visibleAt(d, fixedNow) && levelThreeOK(d)
	})
	_, _, body := f.do(t, nil, http.MethodGet, eu+"/dialogs/"+d.ID.String(), f.userToken(t, 0, nil), "", nil)
	if strings.Contains(string(body), "null") {
		t.Errorf("details contain a null: %s", truncate(body))
	}
	if strings.Contains(string(body), f.e.Users()[0].PID+`","actorName`) {
		t.Error("a national identity number leaked into an actorId")
	}
}

func TestMetadataAndParties(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", true)
	tok := f.userToken(t, 0, nil)
	st, _, _ := f.do(t, nil, http.MethodGet, eu+"/parties", tok, "", map[string]string{"Accept": "text/html"})
	if st != 406 {
		t.Errorf("parties with Accept text/html: got %d, want 406", st)
	}
	st, _, _ = f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", map[string]string{"Accept": "application/xml"})
	if st != 406 {
		t.Errorf("limits with Accept xml: got %d, want 406", st)
	}
	_, _, b := f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", nil)
	lim := decode[map[string]map[string]int](t, b)
	if lim["endUserSearch"]["maxPartyFilterValues"] != 100 || lim["endUserSearch"]["maxServiceResourceFilterValues"] != 20 {
		t.Errorf("limits: got %v", lim)
	}
	_, _, b = f.do(t, nil, http.MethodGet, eu+"/parties", tok, "", nil)
	type party struct {
		Party                     string  `json:"party"`
		IsCurrentEndUser          bool    `json:"isCurrentEndUser"`
		IsDeleted                 bool    `json:"isDeleted"`
		HasOnlyAccessToSubParties bool    `json:"hasOnlyAccessToSubParties"`
		SubParties                []party `json:"subParties"`
	}
	ps := decode[struct {
		AuthorizedParties []party `json:"authorizedParties"`
	}](t, b).AuthorizedParties
	kari := userParties(f, 0)
	byURN := map[string]party{}
	for _, p := range ps {
		byURN[p.Party] = p
	}
	if !byURN[kari[0]].IsCurrentEndUser || byURN[kari[1]].IsCurrentEndUser {
		t.Errorf("isCurrentEndUser: got %+v", byURN[kari[0]])
	}
	if bygg := byURN[kari[2]]; len(bygg.SubParties) != 1 || bygg.SubParties[0].Party != kari[3] || bygg.HasOnlyAccessToSubParties {
		t.Errorf("Fjelltopp Bygg: got %+v, want its sub-unit nested", bygg)
	}
	havbris, _ := f.e.Store().Party(kari[4])
	if p := byURN[havbris.Parent]; !p.HasOnlyAccessToSubParties || len(p.SubParties) != 1 {
		t.Errorf("Havbris parent: got %+v, want hasOnlyAccessToSubParties with one sub-party", p)
	}
	if !byURN[kari[5]].IsDeleted {
		t.Errorf("Gamle Handel: got %+v, want isDeleted", byURN[kari[5]])
	}
	if _, nested := byURN[kari[3]]; nested {
		t.Error("sub-unit listed at top level")
	}
	// Service resources narrowed to the list-only sub-unit.
	_, _, b = f.do(t, nil, http.MethodGet, eu+"/serviceresources?party="+kari[4], tok, "", nil)
	items := decode[struct {
		Items []struct {
			ServiceResource struct{ ID string } `json:"serviceResource"`
		} `json:"items"`
	}](t, b).Items
	if len(items) != 3 {
		t.Errorf("serviceresources for Havbris avd: got %d items, want 3", len(items))
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	f := newFixture(t, "default", false)
	f.e.SetFault(Fault{Status: 503, RetryAfter: 30 * time.Second, Count: 1})
	st, h, b := f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", nil)
	if st != 503 || string(b) != "Service Unavailable" || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("maintenance: got %d %q %q", st, h.Get("Content-Type"), b)
	}
	if ra, err := http.ParseTime(h.Get("Retry-After")); err != nil || !ra.Equal(fixedNow.Add(30*time.Second).Truncate(time.Second)) {
		t.Errorf("Retry-After: got %q (%v)", h.Get("Retry-After"), err)
	}
	if st, _, _ := f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", nil); st != 200 {
		t.Errorf("after one fault: got %d, want 200", st)
	}
	f.e.SetFault(Fault{Status: 429, RetryAfter: 7 * time.Second})
	for i := 0; i < 2; i++ {
		st, h, _ := f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", nil)
		if st != 429 || h.Get("Retry-After") != "7" {
			t.Errorf("throttled #%d: got %d Retry-After %q, want 429 and 7", i, st, h.Get("Retry-After"))
		}
	}
	f.e.SetFault(Fault{})
	if st, _, _ := f.do(t, nil, http.MethodGet, "/dialogporten/api/v1/metadata/limits", "", "", nil); st != 200 {
		t.Errorf("cleared: got %d, want 200", st)
	}
}
