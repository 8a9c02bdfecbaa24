package dpemu

import (
	"strings"
	"testing"
	"time"
)

// TestSeedMediaTypesFollowSpec: the seeded dialogs use only the media types the spec allows in
// each field: text/plain for summaries and transmission summaries, plain or markdown for
// additional info. HTML appears only in front-channel embeds.
func TestSeedMediaTypesFollowSpec(t *testing.T) {
	t.Parallel()
	for _, name := range ScenarioNames() {
		if name == "extreme" && testing.Short() {
			continue
		}
		st := NewStore(func() time.Time { return fixedNow }, 1)
		if _, err := BuildScenario(st, ScenarioOptions{Name: name, Seed: 1, BaseURL: "http://e", Now: fixedNow}); err != nil {
			t.Fatal(err)
		}
		check := func(d *Dialog, field string, v *ContentValue, allowed ...string) {
			if v == nil {
				return
			}
			mt := strings.ToLower(strings.TrimSpace(strings.Split(v.MediaType, ";")[0]))
			for _, a := range allowed {
				if mt == a {
					return
				}
			}
			t.Errorf("%s: dialog %s (%s): %s has media type %q, want one of %v", name, d.ID, d.Org, field, v.MediaType, allowed)
		}
		seen := 0
		for _, d := range st.dialogs {
			seen++
			check(d, "summary", d.Content.Summary, MediaTextPlain)
			check(d, "non-sensitive summary", d.Content.NonSensitiveSummary, MediaTextPlain)
			check(d, "additional info", d.Content.AdditionalInfo, MediaTextPlain, MediaTextMarkdown)
			for _, tx := range d.Transmissions {
				check(d, "transmission summary", tx.Summary, MediaTextPlain)
			}
		}
		if seen == 0 {
			t.Errorf("%s: no dialogs seeded", name)
		}
	}
}
