package inbox

import (
	"testing"

	"golang.org/x/text/language"
)

// TestAcceptLanguage: the user's language comes first and alone at full weight, the other
// Norwegian standard and English follow, and the header parses as Accept-Language.
var (
	nb = language.MustParse("nb")
	nn = language.MustParse("nn")
)

func TestAcceptLanguage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang string
		want []language.Tag
	}{
		{"nb", []language.Tag{nb, language.Norwegian, nn, language.English}},
		{"nn", []language.Tag{nn, nb, language.Norwegian, language.English}},
		{"en", []language.Tag{language.English, nb, language.Norwegian, nn}},
		{"xx", []language.Tag{nb, language.Norwegian, nn, language.English}},
	} {
		tags, q, err := language.ParseAcceptLanguage(acceptLanguage(tt.lang))
		if err != nil {
			t.Fatalf("%s: %q does not parse: %v", tt.lang, acceptLanguage(tt.lang), err)
		}
		if len(tags) != len(tt.want) {
			t.Fatalf("%s: got %v, want %v", tt.lang, tags, tt.want)
		}
		for i := range tags {
			if tags[i] != tt.want[i] {
				t.Errorf("%s: tag %d is %v, want %v", tt.lang, i, tags[i], tt.want[i])
			}
			if i > 0 && q[i] >= q[i-1] {
				t.Errorf("%s: weights %v do not fall", tt.lang, q)
			}
		}
		if q[0] != 1 {
			t.Errorf("%s: the user's language weighs %v, want 1", tt.lang, q[0])
		}
	}
}

// TestContentFollowsLanguage: when the user changes language the embed is fetched again, asked
// for in the new language, even though the service owner answers the same body.
func TestContentFollowsLanguage(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	for _, lang := range []string{"en", "nn"} {
		u := *h.user
		u.Lang = lang
		if _, err := h.svc.Content(t.Context(), &u, h.d, h.d.Content.MainContentReference, true, 1); err != nil {
			t.Fatalf("Content (%s): %v", lang, err)
		}
	}
	calls := h.so.calls("/content")
	if len(calls) != 2 {
		t.Fatalf("got %d calls to /content for two languages, want 2", len(calls))
	}
	for i, lang := range []string{"en", "nn"} {
		tags, _, err := language.ParseAcceptLanguage(calls[i].Header.Get("Accept-Language"))
		if err != nil || len(tags) == 0 || tags[0] != language.Make(lang) {
			t.Errorf("call %d: Accept-Language %q, want %s first", i, calls[i].Header.Get("Accept-Language"), lang)
		}
	}
}
