package main

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDockerContextBuilds: this machine has no Docker engine, so the image is not built in CI.
// What can break unnoticed is the build context: a .dockerignore rule that drops a file
// cmd/web needs (an embedded asset, a non-test source). The test copies the repository as
// Docker would send it (minus .dockerignore's matches) and builds ./cmd/web there with the
// Dockerfile's CGO_ENABLED=0. The -trimpath/-ldflags of the Dockerfile are left out: they do
// not change which files are needed, and would rebuild every dependency.
func TestDockerContextBuilds(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	docker, err := os.ReadFile(filepath.Join(root, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docker), "go build -trimpath -ldflags=\"-s -w\" -o /out/innboks ./cmd/web") ||
		!strings.Contains(string(docker), "CGO_ENABLED=0") {
		t.Fatal("the Dockerfile no longer builds ./cmd/web as this test assumes; update the test")
	}
	ignore := dockerIgnore(t, filepath.Join(root, ".dockerignore"))

	dst := t.TempDir()
	copied := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if ignore(rel) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		copied++
		return copyFile(path, filepath.Join(dst, rel))
	})
	if err != nil {
		t.Fatal(err)
	}
	if copied < 50 {
		t.Fatalf("only %d files in the context; the walk or the ignore rules are wrong", copied)
	}
	for _, gone := range []string{".git", "internal/e2e", "cmd/web/main_test.go"} {
		if _, err := os.Stat(filepath.Join(dst, gone)); err == nil {
			t.Errorf("%s is in the build context; .dockerignore should drop it", gone)
		}
	}

	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(t.TempDir(), "innboks"), "./cmd/web")
	cmd.Dir = dst
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/web in the Docker build context: %v\n%s", err, out)
	}
}

// dockerIgnore reads .dockerignore and returns whether a slash-separated path relative to the
// context root is excluded: a pattern matches the path or one of its parent directories; `*`
// and `?` stay within a path segment, `**` spans segments. Exceptions (`!`) are not supported
// and fail the test rather than being ignored.
func dockerIgnore(t *testing.T, file string) func(string) bool {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var res []*regexp.Regexp
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.TrimSpace(sc.Text())
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		if strings.HasPrefix(p, "!") {
			t.Fatalf(".dockerignore: exception %q is not supported by this test", p)
		}
		p = strings.Trim(filepath.ToSlash(filepath.Clean(p)), "/")
		var b strings.Builder
		for i := 0; i < len(p); i++ {
			switch {
			case strings.HasPrefix(p[i:], "**/"):
				b.WriteString(`(?:.*/)?`)
				i += 2
			case strings.HasPrefix(p[i:], "**"):
				b.WriteString(`.*`)
				i++
			case p[i] == '*':
				b.WriteString(`[^/]*`)
			case p[i] == '?':
				b.WriteString(`[^/]`)
			default:
				b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			}
		}
		res = append(res, regexp.MustCompile(`^`+b.String()+`(?:/.*)?$`))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return func(rel string) bool {
		for _, re := range res {
			if re.MatchString(rel) {
				return true
			}
		}
		return false
	}
}

func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
