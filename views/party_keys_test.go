package views

import (
	"testing"

	"github.com/innboks/innboks/views/i18n"
)

// TestPartyChooserKeysHint: the search box names its key hint for app.js, and the hint is in the
// page's language but hidden and unreferenced, so without JavaScript it promises no keys.
func TestPartyChooserKeysHint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.NB, "Pil ned går til treffene. Enter velger det første treffet."},
		{i18n.NN, "Pil ned går til treffa. Enter vel det første treffet."},
		{i18n.EN, "Arrow down moves to the results. Enter chooses the first match."},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			t.Parallel()
			d := renderDoc(t, PartyChooser(PartyChooserProps{Lang: tt.lang, Current: PartyOption{Key: "p1", Name: "KARI"}, Target: "/inbox"}))
			in := tid(d, "party-search")
			if _, ok := in.Attr("data-party-keys"); !ok {
				t.Error("search box lacks data-party-keys: app.js would not add the keys")
			}
			hintID := in.AttrOr("data-keys-hint", "")
			hint := d.Find("#" + hintID)
			if hintID == "" || hint.Length() != 1 {
				t.Fatalf("data-keys-hint=%q names %d elements, want 1", hintID, hint.Length())
			}
			if got := hint.Text(); got != tt.want {
				t.Errorf("hint %q, want %q", got, tt.want)
			}
			if got := hint.AttrOr("data-testid", ""); got != "party-keys-hint" {
				t.Errorf("hint data-testid %q, want party-keys-hint", got)
			}
			if _, hidden := hint.Attr("hidden"); !hidden || !hint.HasClass("ds-sr-only") {
				t.Errorf("hint hidden=%t class=%q, want hidden and ds-sr-only", hidden, hint.AttrOr("class", ""))
			}
			if got, ok := in.Attr("aria-describedby"); ok {
				t.Errorf("search box aria-describedby=%q in the markup, want it set by app.js only", got)
			}
		})
	}
}

// TestPartyResultsCarryTheirSearch: the results fragment says which search it answers, so a
// keystroke never chooses from a stale list.
func TestPartyResultsCarryTheirSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		query       string
		deleted     bool
		wantDeleted string
	}{
		{"empty", "", false, ""},
		{"query", "fjell bygg", false, ""},
		{"with deleted", "Gamle", true, "1"},
		{"markup in query", `"><b>x`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := PartyChooserProps{Lang: i18n.EN, Query: tt.query, ShowDeleted: tt.deleted, Target: "/inbox",
				Results: []PartyOption{{Key: "a", Name: "A"}, {Key: "b", Name: "B"}}, Total: 2}
			d := renderDoc(t, PartyResults(p))
			r := tid(d, "party-results")
			if r.Length() != 1 {
				t.Fatalf("%d party-results, want 1", r.Length())
			}
			q, ok := r.Attr("data-query")
			if !ok || q != tt.query {
				t.Errorf("data-query=%q (present %t), want %q", q, ok, tt.query)
			}
			if got := r.AttrOr("data-deleted", "missing"); got != tt.wantDeleted {
				t.Errorf("data-deleted=%q, want %q", got, tt.wantDeleted)
			}
			if got := r.Find("b").Length(); got != 0 {
				t.Errorf("the query became markup (%d <b>)", got)
			}
			// The chooser page's results answer the same search as its box.
			page := renderDoc(t, PartiesPage(Chrome{Lang: i18n.EN}, p))
			box := tid(page, "party-search").AttrOr("value", "")
			if got := tid(page, "party-results").AttrOr("data-query", ""); got != box {
				t.Errorf("chooser page: results for %q, box holds %q", got, box)
			}
		})
	}
}
