package inbox

import (
	"errors"
	"net/url"
	"testing"

	"github.com/innboks/innboks/internal/outbound"
)

// TestPlatformClassify: whether a URL is Correspondence's is decided on the parsed URL, not its
// spelling (issue 8, point 1). Every spelling of another correspondence's URL is either read as
// that correspondence (so the guard asks which dialog it is) or refused; none passes as "not
// Correspondence".
func TestPlatformClassify(t *testing.T) {
	t.Parallel()
	p := newPlatform("https://platform.altinn.no/")
	const own = "0190fbd7-0000-7000-8000-00000000c0c0"
	tests := []struct {
		raw    string
		corrID string // "" with refused false: a platform or other URL that names no correspondence
		refuse bool
	}{
		{"https://platform.altinn.no/correspondence/api/v1/correspondence/" + own + "/content", own, false},
		{"HTTPS://platform.altinn.no/correspondence/api/v1/correspondence/" + own + "/content", own, false},
		{"https://PLATFORM.Altinn.NO/correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no:443/correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no./correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no/./correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no/x/../correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no//correspondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no/%63orrespondence/api/v1/correspondence/" + own, own, false},
		{"https://platform.altinn.no/Correspondence/API/v1/Correspondence/" + own, own, false},
		{"https://platform.altinn.no/correspondence/api/v1/correspondence/not-an-id/content", "", true},
		{"https://platform.altinn.no/correspondence/api/v1/attachment/" + own, "", true},
		{"https://platform.altinn.no/correspondence/api/v1/correspondence/" + own + "%2F..%2Fx", "", true},
		{"https://platform.altinn.no/storage/api/v1/instances", "", false},
		{"https://serviceowner.example/correspondence/api/v1/correspondence/" + own, "", false},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.raw)
		if err != nil {
			t.Fatalf("%s: %v", tt.raw, err)
		}
		got, err := p.classify(u)
		if refused := err != nil; refused != tt.refuse {
			t.Errorf("%s: refused = %v (%v), want %v", tt.raw, refused, err, tt.refuse)
			continue
		}
		if err != nil && !errors.Is(err, outbound.ErrURLRefused) {
			t.Errorf("%s: error %v does not wrap ErrURLRefused", tt.raw, err)
		}
		if got.corrID != tt.corrID {
			t.Errorf("%s: correspondence %q, want %q", tt.raw, got.corrID, tt.corrID)
		}
	}
}
