package dpemu

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEmulatorDoesNotImportTheClient keeps the emulator independent of the client it is used
// to test: no non-test file under internal/dpemu imports a module package outside
// internal/dpemu (dpclient in particular), so a client bug cannot hide in a shared helper.
func TestEmulatorDoesNotImportTheClient(t *testing.T) {
	t.Parallel()
	const module = "github.com/innboks/innboks/"
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, module) && !strings.HasPrefix(p, module+"internal/dpemu") {
				t.Errorf("%s imports %s, want only internal/dpemu packages from this module", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
