package static

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestThemeSubset: the served theme is the light scheme, the primary typography and the colours
// Innboks uses, and every custom property of the theme that the served stylesheets read is
// still defined.
func TestThemeSubset(t *testing.T) {
	t.Parallel()
	full, err := files.ReadFile("files/" + theme)
	if err != nil {
		t.Fatal(err)
	}
	// The subset is checked before minifying, where its text is the theme's own; the served file
	// is that subset minified.
	root, err := fs.Sub(files, "files")
	if err != nil {
		t.Fatal(err)
	}
	subset := subsetTheme(full, themeReaders(root)...)
	if got := assets().byName[theme].body; !bytes.Equal(got, minified("text/css", subset)) {
		t.Errorf("the served theme (%d bytes) is not the subset minified", len(got))
	}
	served := subset
	if len(served) >= len(full)/2 {
		t.Errorf("served %d of %d bytes, want well under half", len(served), len(full))
	}
	for _, gone := range []string{"color-scheme.dark", `[data-color-scheme="auto"]`, "typography.secondary", "brand1", "brand2", "brand3"} {
		if bytes.Contains(served, []byte(gone)) {
			t.Errorf("the served theme still has %s", gone)
		}
	}
	for _, kept := range []string{
		`@layer ds.theme.color-scheme.light {` + "\n" + `:root, [data-color-scheme="light"] {`,
		`:root, [data-typography="primary"]`, `:root, [data-color-scheme], [data-color="accent"]`,
		`[data-color="neutral"]`, `[data-color="info"]`, `[data-color="success"]`,
		`[data-color="warning"]`, `[data-color="danger"]`, "--ds-color-focus-outer:", "--ds-size-mode-font-size--sm:",
	} {
		if !bytes.Contains(served, []byte(kept)) {
			t.Errorf("the served theme lost %s", kept)
		}
	}
	if n := bytes.Count(served, []byte("{")); n != bytes.Count(served, []byte("}")) {
		t.Errorf("unbalanced braces in the served theme")
	}

	// Every var(--…) the served stylesheets read that the vendored theme defines is defined in
	// the served theme too.
	decl := regexp.MustCompile(`(--[a-z0-9_-]+)\s*:`)
	use := regexp.MustCompile(`var\(\s*(--[a-z0-9_-]+)`)
	defined := func(css []byte) map[string]bool {
		m := map[string]bool{}
		for _, d := range decl.FindAllSubmatch(css, -1) {
			m[string(d[1])] = true
		}
		return m
	}
	inFull, inServed := defined(full), defined(served)
	readers := [][]byte{served, assets().byName[designsystemet].body}
	own, err := filepath.Glob("files/*.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range own {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		readers = append(readers, b)
	}
	for _, css := range readers {
		for _, u := range use.FindAllSubmatch(css, -1) {
			if name := string(u[1]); inFull[name] && !inServed[name] {
				t.Errorf("%s is read but no longer defined in the served theme", name)
			}
		}
	}
}

// TestThemeColoursUsed: no view asks for a colour the served theme dropped.
func TestThemeColoursUsed(t *testing.T) {
	t.Parallel()
	sources, err := filepath.Glob("../views/*.templ")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("../views/*.go")
	sources = append(sources, more...)
	more, _ = filepath.Glob("files/*.js")
	sources = append(sources, more...)
	if len(sources) < 10 {
		t.Fatalf("found %d sources to read, want the views and static files", len(sources))
	}
	dropped := regexp.MustCompile(`brand[0-9]|data-color-scheme="(dark|auto)"|data-typography`)
	for _, src := range sources {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if m := dropped.Find(b); m != nil {
			t.Errorf("%s uses %s, which the served theme drops (static/theme.go)", src, m)
		}
	}
}

// TestPruneUnread: a custom property nothing reads goes, and so does one only it read; one a
// reader reads stays with what it reads.
func TestPruneUnread(t *testing.T) {
	t.Parallel()
	css := []byte(":root {\n  --a: 1px;\n  --b: var(--a);\n  --c: 2px;\n  --d: var(--c);\n  color: red;\n}\n")
	got := string(pruneUnread(css, []byte(".x{margin:var(--b)}")))
	want := ":root {\n  --a: 1px;\n  --b: var(--a);\n  color: red;\n}\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// themeReaders are the stylesheets build gives subsetTheme: ours and the served Designsystemet
// subset.
func themeReaders(root fs.FS) [][]byte {
	return append(ownStylesheets(root), assets().byName[designsystemet].body)
}
