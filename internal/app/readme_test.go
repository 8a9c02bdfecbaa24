package app

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEDocumentsEveryVariable: every environment variable Load reads has its row in the
// README's configuration table, so an operator never has to read the source to configure
// Innboks.
func TestREADMEDocumentsEveryVariable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	asked := map[string]bool{}
	_, _ = Load(func(k string) string { asked[k] = true; return "" })
	if len(asked) < 15 {
		t.Fatalf("Load read only %d variables; the probe is broken", len(asked))
	}
	for k := range asked {
		if !strings.Contains(string(readme), "| `"+k+"` |") {
			t.Errorf("%s is read by the configuration but has no row in the README's table", k)
		}
	}
}
