package dpclient

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestClientDoesNotImportTheEmulator keeps the client independent of the emulator that tests
// it: no Go file under dpclient, tests included, imports internal/dpemu.
func TestClientDoesNotImportTheEmulator(t *testing.T) {
	t.Parallel()
	const emulator = "github.com/innboks/innboks/internal/dpemu"
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == emulator || strings.HasPrefix(p, emulator+"/") {
				t.Errorf("%s imports %s, want no emulator package", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
