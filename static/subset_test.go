package static

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/tdewolff/parse/v2"
	"github.com/tdewolff/parse/v2/css"
)

// viewSources are the files that decide what Innboks renders: the views, app.js and app.css.
func viewSources(t *testing.T) []string {
	t.Helper()
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
	return sources
}

// TestDesignsystemetComponentsListed: every Designsystemet class the views, app.js and the
// portal's own CSS use is a class the served subset keeps, so no component loses its styles
// when a view starts using it.
func TestDesignsystemetComponentsListed(t *testing.T) {
	t.Parallel()
	sources := viewSources(t)
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
			if !slices.Contains(dsComponents, class) {
				t.Errorf("%s uses %s, which is not in dsComponents: the served stylesheet would not style it", src, class)
			}
		}
	}
}

// TestDesignsystemetSubset: the served stylesheet keeps the base layer and every listed
// component's rules as published (less the selectors pruneSelectors drops), and drops the
// components Innboks does not use.
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
	root, err := fs.Sub(files, "files")
	if err != nil {
		t.Fatal(err)
	}
	readers := append(designsystemetReaders(root), served)
	for _, b := range blocks {
		pruned := pruneUnreadProperties(pruneSelectors(b, dsComponents), readers...)
		kept := len(pruned) > 0 && bytes.Contains(served, pruned)
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
		case bytes.Contains(served, b):
			t.Errorf("an unused component's rules were kept: %.60s", b)
		}
	}
	// Every custom property the served stylesheets read that the kept rules define is still
	// defined; the read-only field's icon, read by dropped rules only, is gone.
	decl := regexp.MustCompile(`[{;](--[a-zA-Z0-9_-]+):`)
	defined := func(css []byte) map[string]bool {
		m := map[string]bool{}
		for _, d := range decl.FindAllSubmatch(css, -1) {
			m[string(d[1])] = true
		}
		return m
	}
	unpruned := defined(pruneSelectors(wholeComponents(full, dsComponents), dsComponents))
	inServed := defined(served)
	for _, src := range readers {
		for _, m := range varRead.FindAllSubmatch(src, -1) {
			if name := string(m[1]); unpruned[name] && !inServed[name] {
				t.Errorf("%s is read but no longer defined", name)
			}
		}
	}
	if n := bytes.Count(served, []byte("{")); n != bytes.Count(served, []byte("}")) {
		t.Errorf("unbalanced braces in the served stylesheet: %d { and %d }", n, bytes.Count(served, []byte("}")))
	}
	if !inServed["--dsc-focus-boxShadow"] {
		t.Error("--dsc-focus-boxShadow (read with its capital letter) was dropped")
	}
	if bytes.Contains(served, []byte("--ds-readonly-icon-url:")) {
		t.Error("the read-only icon (read by dropped rules only) is still served")
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

// TestDesignsystemetPruned: the selectors Innboks matches are served; the ones dropped are each
// for a class or attribute no view, app.js or app.css renders; and the pruning pays.
func TestDesignsystemetPruned(t *testing.T) {
	t.Parallel()
	served := assets().byName[designsystemet].body
	for _, sel := range []string{
		".ds-input[type=checkbox]:checked{", ".ds-input:checked,.ds-input:indeterminate:where([type=checkbox]){",
		".ds-input:is(select){", ".ds-input:is(textarea){", ".ds-input[aria-invalid=true]{",
		".ds-input:disabled,.ds-input[aria-disabled=true]{", ".ds-field:has(input[type=radio],input[type=checkbox]) label{",
		".ds-button[data-variant=secondary]{", ".ds-button:is(:disabled,", ".ds-button[aria-busy=true]{",
		".ds-heading[data-size=lg]{", ".ds-paragraph[data-size=xs]{", ".ds-label[data-weight=regular]{",
		".ds-details[open]>:is(summary,u-summary){", ".ds-skip-link:focus{", ".ds-spinner[data-size=sm]{",
		".ds-alert[data-color=danger]{", ".ds-link:focus-visible{", ".ds-tag{",
	} {
		if !bytes.Contains(served, []byte(sel)) {
			t.Errorf("the served stylesheet lost %s", sel)
		}
	}

	// Every selector of the kept components that is not served names an unused class or attribute.
	full, err := files.ReadFile("files/" + designsystemet)
	if err != nil {
		t.Fatal(err)
	}
	servedSels := map[string]bool{}
	for _, s := range selectors(served) {
		servedSels[s] = true
	}
	anyClass := regexp.MustCompile(`\.(ds-[a-zA-Z0-9_-]+)`)
	dropped := 0
	for _, s := range selectors(wholeComponents(full, dsComponents)) {
		if servedSels[s] || strings.HasPrefix(s, "&") { // a nested rule goes with its parent's
			continue
		}
		dropped++
		why := slices.ContainsFunc(dsNeverRendered, func(a string) bool {
			return strings.Contains(strings.ReplaceAll(s, `"`, ""), a)
		})
		for _, m := range anyClass.FindAllStringSubmatch(s, -1) {
			why = why || !slices.Contains(dsComponents, m[1])
		}
		if !why {
			t.Errorf("dropped %s, which names no unused class or attribute", s)
		}
	}
	if dropped < 50 {
		t.Errorf("dropped %d selectors, want the unused features' (radio, switch, read-only, outline, …)", dropped)
	}

	// No source renders an attribute of dsNeverRendered.
	var src bytes.Buffer
	for _, f := range viewSources(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	attr := regexp.MustCompile(`^\[([a-z-]+)(?:=(.+))?\]$`)
	for _, a := range dsNeverRendered {
		m := attr.FindStringSubmatch(a)
		if m == nil {
			t.Fatalf("%s is not an attribute selector", a)
		}
		name, value := regexp.QuoteMeta(m[1]), regexp.QuoteMeta(m[2])
		pattern := `[\s"']` + name + `[\s=>?"']` // the attribute at all
		if m[2] != "" {
			pattern = name + `="` + value + `"|"` + name + `",\s*"` + value + `"` // in a view or setAttribute
			if bytes.Contains(src.Bytes(), []byte(m[1]+"={")) {
				pattern += `|"` + value + `"` // a value a view computes: no Go string holds it
			}
		}
		if loc := regexp.MustCompile(pattern).FindIndex(src.Bytes()); loc != nil {
			t.Errorf("%s is dropped from the stylesheet, but a source renders it: %q", a, src.Bytes()[loc[0]:loc[1]])
		}
	}

	// The pruning saves at least 1.8 KB brotli of the whole components' 7.1 KB.
	whole, pruned := brotliLen(t, wholeComponents(full, dsComponents)), brotliLen(t, served)
	if pruned > whole-1800 {
		t.Errorf("the served Designsystemet stylesheet is %d bytes brotli, %d of whole components: want at least 1,800 less", pruned, whole)
	}
}

// brotliLen is the length of b compressed as the server sends it.
func brotliLen(t *testing.T, b []byte) int {
	t.Helper()
	var br bytes.Buffer
	w := brotli.NewWriterLevel(&br, brotli.BestCompression)
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return br.Len()
}

// selectors lists the selectors of every rule in a stylesheet, one per selector of a list.
func selectors(sheet []byte) []string {
	var sels []string
	p := css.NewParser(parse.NewInputBytes(bytes.Clone(sheet)), false)
	for {
		gt, _, data := p.Next()
		if gt == css.ErrorGrammar {
			return sels
		}
		if gt == css.BeginRulesetGrammar {
			for _, s := range splitList(append([]css.Token{{TokenType: css.IdentToken, Data: data}}, p.Values()...)) {
				sels = append(sels, string(tokensText(s, false)))
			}
		}
	}
}

// TestPruneSelectors: what pruneSelectors drops and keeps, on small sheets.
func TestPruneSelectors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{".ds-a{color:red}", ".ds-a{color:red}"},
		{".ds-b{color:red}.ds-a{x:y}", ".ds-a{x:y}"},
		{".ds-a[type=radio],.ds-a[type=checkbox]{x:y}", ".ds-a[type=checkbox]{x:y}"},
		{`.ds-a[data-size="2xl"]{x:y}.ds-a[data-size=lg]{x:z}`, ".ds-a[data-size=lg]{x:z}"},
		{"@layer l{@media (min-width:1px){.ds-b{x:y}}.ds-a{x:y}}", "@layer l{.ds-a{x:y}}"},
		{"@layer l{.ds-b{x:y}}@layer m{.ds-a{x:y}}", "@layer m{.ds-a{x:y}}"},
		{".ds-a:not([readonly],.ds-b){x:y}", ".ds-a:not([readonly],.ds-b){x:y}"},
		{".ds-a:is([readonly],.ds-b){x:y}.ds-a:is([readonly],p){x:z}", ".ds-a:is([readonly],p){x:z}"},
		{".ds-a:has(input[type=radio]){x:y}.x :where(.ds-b) p{x:y}", ""},
		{":root{--u:url(\"data:x,{}\");--v:1}.ds-a{a:b;&[data-icon]{c:d}}", ":root{--u:url(\"data:x,{}\");--v:1}.ds-a{a:b;}"},
		{"@layer a, b;@keyframes k{0%{x:y}to{x:z}}", "@layer a, b;@keyframes k{0%{x:y}to{x:z}}"},
	} {
		if got := string(pruneSelectors([]byte(tt.in), []string{"ds-a"})); got != tt.want {
			t.Errorf("pruneSelectors(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPruneUnreadProperties: unread custom properties go, wherever they stand in their rule (a
// rule's last declaration carries its closing brace), read ones and other declarations stay.
func TestPruneUnreadProperties(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, reader, want string }{
		{`@supports (x:y){:root{--a:1;--b:2}}.c{color:var(--k)}`, ``, `@supports (x:y){:root{}}.c{color:var(--k)}`},
		{`:root{--a:1;--k:2}.c{color:var(--k)}`, ``, `:root{--k:2}.c{color:var(--k)}`},
		{`.e{color:blue;--f:4}.g{--F:url("data:a;b");x:var(--F)}`, ``, `.e{color:blue;}.g{--F:url("data:a;b");x:var(--F)}`},
		{`:root{--a:var(--b);--b:1}`, ``, `:root{}`},
		{`:root{--a:var(--b);--b:1}`, `p{c:var(--a)}`, `:root{--a:var(--b);--b:1}`},
	} {
		if got := string(pruneUnreadProperties([]byte(tt.in), []byte(tt.reader))); got != tt.want {
			t.Errorf("pruneUnreadProperties(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
