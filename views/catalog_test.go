package views

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/innboks/innboks/views/i18n"
)

// TestCatalogKeysExist: every literal key the views and handlers translate is in the catalog,
// and so is every key built from a known set (folders, statuses, bulk actions, error kinds).
func TestCatalogKeysExist(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`\.[TFN]\("([a-zA-Z]+\.[a-zA-Z0-9]+)"`)
	files, _ := filepath.Glob("*.templ")
	more, _ := filepath.Glob("../handlers/*.go")
	files = append(files, more...)
	if len(files) < 5 {
		t.Fatalf("found only %d source files", len(files))
	}
	found := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			found++
			if !i18n.Has(m[1]) {
				t.Errorf("%s: key %q not in the catalog", f, m[1])
			}
		}
	}
	if found < 30 {
		t.Errorf("found only %d keys; is the pattern right?", found)
	}
	var built []string
	for _, k := range []string{"inbox", "drafts", "sent", "archive", "bin"} {
		built = append(built, "folder."+k)
	}
	for _, k := range []string{"NotApplicable", "InProgress", "Draft", "Awaiting", "RequiresAttention", "Completed"} {
		built = append(built, "status."+k)
	}
	for _, k := range []string{"archive", "bin", "restore", "unread"} {
		built = append(built, "bulk."+k)
	}
	for _, k := range []string{"partyName", "partyNumber", "sender", "title", "status", "created", "updated", "due", "folder", "link"} {
		built = append(built, "exportCol."+k) // handlers/export.go: export.Columns
	}
	for _, k := range []string{"path", "party", "dialog", "title", "attachment", "size", "sha256", "status"} {
		built = append(built, "zipCol."+k) // handlers/export_zip.go: export.ManifestColumns
	}
	for _, k := range []ErrorKind{ErrInternal, ErrBadRequest, ErrCSRF, ErrUnauthorized, ErrForbidden, ErrAuthLevel, ErrNotFound, ErrGone, ErrBusy, ErrTooBroad} {
		built = append(built, ErrorProps{Kind: k}.messageKey())
	}
	built = append(built, ErrorProps{Kind: ErrBusy, RetryAfter: 1}.messageKey())
	for _, k := range []string{partHeader, partSummary, partContent, partInfo, partActions, partThread, partLog} {
		built = append(built, "live.part."+k)
	}
	for _, k := range built {
		if !i18n.Has(k) {
			t.Errorf("built key %q not in the catalog", k)
		}
	}
}
