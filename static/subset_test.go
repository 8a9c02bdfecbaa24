package static

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestDesignsystemetComponentsListed: every Designsystemet class the views, app.js and the
// portal's own CSS use is a component the served subset keeps, so no component loses its styles
// when a view starts using it.
func TestDesignsystemetComponentsListed(t *testing.T) {
	t.Parallel()
	var sources []string
	for _, glob := range []string{"../views/*.templ", "../views/*.go", "files/*.js", "files/*.css"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, m...)
	}
	if len(sources) < 10 {
		t.Fatalf("found %d sources to read, want the views and static files", len(sources))
	}
	use := regexp.MustCompile(`(?:^|[^-a-z0-9])(ds-[a-z0-9]+(?:-[a-z0-9]+)*)`)
	full, err := files.ReadFile("files/" + designsystemet)
	if err != nil {
		t.Fatal(err)
	}
	for _, src := range sources {
		body, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllSubmatch(body, -1) {
			class := string(m[1])
			if !bytes.Contains(full, []byte("."+class)) {
				continue // not a Designsystemet class (a word in a comment, a custom property)
			}
			if !slices.ContainsFunc(dsComponents, func(c string) bool { return class == c || strings.HasPrefix(class, c+"-") }) {
				t.Errorf("%s uses %s, which is not in dsComponents: the served stylesheet would not style it", src, class)
			}
		}
	}
}

// TestDesignsystemetSubset: the served stylesheet keeps the base layer and every listed
// component's rules exactly as published, and drops the components Innboks does not use.
func TestDesignsystemetSubset(t *testing.T) {
	t.Parallel()
	full, err := files.ReadFile("files/" + designsystemet)
	if err != nil {
		t.Fatal(err)
	}
	served := assets().byName[designsystemet].body
	if len(served) >= len(full)/2 {
		t.Errorf("served %d of %d bytes, want well under half", len(served), len(full))
	}
	blocks := topLevelBlocks(full)
	if got := len(bytes.Join(blocks, nil)); got != len(full) {
		t.Fatalf("the blocks hold %d bytes of %d: the split lost some", got, len(full))
	}
	for _, b := range blocks {
		kept := bytes.Contains(served, b)
		first := dsClass.FindSubmatch(b)
		switch {
		case !bytes.HasPrefix(b, []byte("@layer ds.components{")):
			if !kept {
				t.Errorf("a block outside the components layer was dropped: %.60s", b)
			}
		case first != nil && slices.Contains(dsComponents, string(first[1])):
			if !kept {
				t.Errorf("%s's rules were dropped", first[1])
			}
		case kept:
			t.Errorf("an unused component's rules were kept: %.60s", b)
		}
	}
	for _, gone := range []string{".ds-search", ".ds-table", ".ds-combobox", ".ds-avatar"} {
		if bytes.Contains(served, []byte(gone+"{")) {
			t.Errorf("the served stylesheet still styles %s", gone)
		}
	}
	for _, kept := range []string{".ds-button{", ".ds-alert", ".ds-tag{", ".ds-details{", ".ds-sr-only{", "@layer ds.theme, ds.base, ds.components;"} {
		if !bytes.Contains(served, []byte(kept)) {
			t.Errorf("the served stylesheet lost %s", kept)
		}
	}
}
