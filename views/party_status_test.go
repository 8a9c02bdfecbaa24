package views

import (
	"strconv"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/innboks/innboks/views/i18n"
)

// partyOptions returns n selectable parties p0…p(n-1).
func partyOptions(n int) []PartyOption {
	out := make([]PartyOption, n)
	for i := range out {
		out[i] = PartyOption{Key: "p" + strconv.Itoa(i), Name: "PARTY " + strconv.Itoa(i)}
	}
	return out
}

// TestPartyStatusRegion: the swapped results are no live region; the chooser (header and page)
// has one persistent, empty, visually hidden role=status outside them, in the search form.
func TestPartyStatusRegion(t *testing.T) {
	t.Parallel()
	p := PartyChooserProps{Lang: i18n.NB, Current: PartyOption{Key: "p0", Name: "KARI"}, Target: "/inbox",
		Results: partyOptions(3), Total: 3, Groups: []PartyOption{{Key: "all-orgs", Name: "Alle virksomheter (3)"}}}
	tests := []struct {
		name string
		doc  *goquery.Document
	}{
		{"header chooser", renderDoc(t, PartyChooser(p))},
		{"chooser page", renderDoc(t, PartiesPage(Chrome{Lang: i18n.NB}, p))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := tt.doc
			r := d.Find("#party-results")
			if r.Length() != 1 {
				t.Fatalf("%d #party-results, want 1", r.Length())
			}
			if got, ok := r.Attr("aria-live"); ok {
				t.Errorf("#party-results aria-live=%q, want no live region on the swapped wrapper", got)
			}
			if got := r.Find("[aria-live], [role=status], [role=alert], [role=log]").Length(); got != 0 {
				t.Errorf("%d live regions inside #party-results, want 0 (each swap would read the list)", got)
			}
			if got := r.AttrOr("role", ""); got != "" {
				t.Errorf("#party-results role=%q, want none", got)
			}
			st := d.Find("[role=status]")
			if st.Length() != 1 {
				t.Fatalf("%d role=status elements, want 1", st.Length())
			}
			if got := st.AttrOr("id", ""); got != "party-status" {
				t.Errorf("status id=%q, want party-status", got)
			}
			if d.Find("#party-status").Length() != 1 {
				t.Errorf("%d #party-status, want 1", d.Find("#party-status").Length())
			}
			if !st.HasClass("ds-sr-only") {
				t.Errorf("status class=%q, want ds-sr-only (visually hidden)", st.AttrOr("class", ""))
			}
			if _, hidden := st.Attr("hidden"); hidden {
				t.Error("status is hidden: it would never be announced")
			}
			if got := st.Text(); got != "" {
				t.Errorf("status text %q, want empty until a search", got)
			}
			if _, ok := st.Attr("data-party-status"); !ok {
				t.Error("status lacks data-party-status: app.js would not find it")
			}
			if st.ParentsFiltered("#party-results").Length() != 0 {
				t.Error("status is inside the swapped #party-results")
			}
			if got := st.ParentsFiltered(`[data-testid="party-search-form"]`).Length(); got != 1 {
				t.Errorf("status is in %d search forms, want 1 (rendered once with the form)", got)
			}
		})
	}
}

// TestPartyResultsCount: every results fragment states how many parties it lists, in the page's
// language: none, one, many, and more than shown. Groups ("all organisations") are no matches; a
// parent listed without access is. Where no visible line says the count, a hidden line does.
func TestPartyResultsCount(t *testing.T) {
	t.Parallel()
	withDisabled := partyOptions(2)
	withDisabled = append(withDisabled, PartyOption{Key: "mor", Name: "MOR", Disabled: true})
	cases := []struct {
		name    string
		results []PartyOption
		total   int
		groups  bool
		want    map[i18n.Lang]string
		hidden  bool // the hidden count line is there (no visible line says the count)
	}{
		{"none", nil, 0, false, map[i18n.Lang]string{
			i18n.NB: "Ingen treff", i18n.NN: "Ingen treff", i18n.EN: "No matches"}, false},
		{"none with groups", nil, 0, true, map[i18n.Lang]string{
			i18n.NB: "Ingen treff", i18n.NN: "Ingen treff", i18n.EN: "No matches"}, false},
		{"one", partyOptions(1), 1, false, map[i18n.Lang]string{
			i18n.NB: "1 treff", i18n.NN: "1 treff", i18n.EN: "1 match"}, true},
		{"many", partyOptions(12), 12, false, map[i18n.Lang]string{
			i18n.NB: "12 treff", i18n.NN: "12 treff", i18n.EN: "12 matches"}, true},
		{"many with groups", partyOptions(12), 12, true, map[i18n.Lang]string{
			i18n.NB: "12 treff", i18n.NN: "12 treff", i18n.EN: "12 matches"}, true},
		{"parent without access counts", withDisabled, 3, false, map[i18n.Lang]string{
			i18n.NB: "3 treff", i18n.NN: "3 treff", i18n.EN: "3 matches"}, true},
		{"more than shown", partyOptions(30), 412, true, map[i18n.Lang]string{
			i18n.NB: "Viser 30 av 412 treff", i18n.NN: "Viser 30 av 412 treff", i18n.EN: "Showing 30 of 412 matches"}, false},
	}
	for _, c := range cases {
		for _, lang := range i18n.All() {
			t.Run(c.name+"/"+string(lang), func(t *testing.T) {
				t.Parallel()
				p := PartyChooserProps{Lang: lang, Query: "q", Target: "/inbox", Results: c.results, Total: c.total}
				if c.groups {
					p.Groups = []PartyOption{{Key: "all-orgs", Name: "A"}, {Key: "all-persons", Name: "B"}}
				}
				want := c.want[lang]
				r := tid(renderDoc(t, PartyResults(p)), "party-results")
				if got, ok := r.Attr("data-count-text"); !ok || got != want {
					t.Errorf("data-count-text=%q (present %t), want %q", got, ok, want)
				}
				line := r.Find(`[data-testid="party-count"]`)
				switch {
				case c.hidden && line.Length() != 1:
					t.Fatalf("%d hidden count lines, want 1", line.Length())
				case c.hidden:
					if got := line.Text(); got != want {
						t.Errorf("hidden count line %q, want %q", got, want)
					}
					if !line.HasClass("ds-sr-only") {
						t.Errorf("count line class=%q, want ds-sr-only", line.AttrOr("class", ""))
					}
					if !line.Next().Is("ul") {
						t.Error("the count line does not come before the list")
					}
				case line.Length() != 0:
					t.Errorf("hidden count line %q next to a visible one that says it", line.Text())
				}
				// The visible lines stay for the page without JavaScript.
				noMatch, more := r.Find(`[data-testid="party-no-match"]`).Length(), r.Find(`[data-testid="party-more"]`).Length()
				if wantNoMatch := len(c.results) == 0; (noMatch == 1) != wantNoMatch {
					t.Errorf("%d no-match lines, want it %t", noMatch, wantNoMatch)
				}
				if wantMore := c.total > len(c.results) && len(c.results) > 0; (more == 1) != wantMore {
					t.Errorf("%d more lines, want it %t", more, wantMore)
				}
			})
		}
	}
}
