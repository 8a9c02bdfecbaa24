package richtext_test

import (
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/dpemu/serviceowner"
	"github.com/innboks/innboks/internal/richtext"
)

// TestEmulatorHostileContent renders the hostile documents the emulator serves for FaultHostile
// dialogs (written independently of this package) and checks that none of the emulator's
// needles survives.
func TestEmulatorHostileContent(t *testing.T) {
	t.Parallel()
	r := richtext.New()
	for name, out := range map[string]string{
		"markdown": string(r.Markdown(serviceowner.HostileMarkdown())),
		"html":     string(r.HTML(serviceowner.HostileHTML())),
	} {
		low := strings.ToLower(out)
		for _, n := range serviceowner.HostileNeedles() {
			if strings.Contains(low, n) {
				t.Errorf("%s: %q survived in %s", name, n, out)
			}
		}
	}
}
