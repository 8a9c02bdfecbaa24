package inbox

import (
	"slices"
	"strings"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
)

// TestFoldersAndLabelMoves: a dialog's folder follows its system labels, the moves offered from
// each folder, the labels the four actions add, and a bulk form's ids cleaned up.
func TestFoldersAndLabelMoves(t *testing.T) {
	t.Parallel()
	for labels, want := range map[dpclient.SystemLabel]string{dpclient.SystemLabelArchive: "archive", dpclient.SystemLabelBin: "bin", dpclient.SystemLabelDefault: ""} {
		if got := FolderOf(dpclient.EndUserContext{SystemLabels: []dpclient.SystemLabel{labels}}); got != want {
			t.Errorf("FolderOf(%s) = %q, want %q", labels, got, want)
		}
	}
	for folder, want := range map[string]string{"archive": "restore,bin,unread", "bin": "restore,archive,unread", "": "archive,bin,unread", "sent": "archive,bin,unread"} {
		if got := strings.Join(LabelMoves(folder), ","); got != want {
			t.Errorf("LabelMoves(%q) = %s, want %s", folder, got, want)
		}
	}
	for action, want := range map[string]dpclient.SystemLabel{"archive": dpclient.SystemLabelArchive, "bin": dpclient.SystemLabelBin,
		"restore": dpclient.SystemLabelDefault, "unread": dpclient.SystemLabelMarkedAsUnopened} {
		if got, ok := LabelChange(action); !ok || got != want {
			t.Errorf("LabelChange(%q) = %s %v, want %s", action, got, ok, want)
		}
	}
	if _, ok := LabelChange("delete"); ok {
		t.Error("LabelChange(delete) is a label change")
	}
	long := strings.Repeat("x", 65)
	if got := UniqueIDs([]string{"a", "", "b", "a", long, "c", "b"}); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("UniqueIDs = %v, want [a b c]", got)
	}
}

// TestPartySubjects: a dialog page's stream follows the dialog's party when the user acts for it,
// else (no party named) every party the user acts for; a party reached only through its
// sub-units, or unknown, is refused.
func TestPartySubjects(t *testing.T) {
	t.Parallel()
	res := dpclienttest.Parties()
	parent := -1
	for i, p := range res.AuthorizedParties {
		if len(p.SubParties) > 0 {
			parent = i
		}
	}
	if parent < 0 {
		t.Fatal("the test parties have no sub-unit")
	}
	res.AuthorizedParties[parent].HasOnlyAccessToSubParties = true
	ix := NewPartyIndex(res)
	noAccess := 0
	for _, p := range ix.All {
		if p.NoAccess {
			noAccess++
		}
	}
	if noAccess != 1 {
		t.Fatalf("%d parties reached only through sub-units, want 1", noAccess)
	}
	acting := ix.Acting()
	for _, p := range ix.All {
		if slices.Contains(acting, p.URN) == p.NoAccess {
			t.Errorf("%s (no access %v): in Acting = %v", p.Name, p.NoAccess, !p.NoAccess)
		}
	}
	if got, ok := ix.DialogSubjects(""); !ok || !slices.Equal(got, acting) {
		t.Errorf("DialogSubjects(\"\") = %v %v, want every acting party", got, ok)
	}
	self, _ := ix.Self()
	if got, ok := ix.DialogSubjects(self.UUID); !ok || !slices.Equal(got, []string{self.URN}) {
		t.Errorf("DialogSubjects(self) = %v %v, want [%s]", got, ok, self.URN)
	}
	if _, ok := ix.DialogSubjects("11111111-2222-3333-4444-555555555555"); ok {
		t.Error("an unknown party was allowed")
	}
	for _, p := range ix.All {
		if p.NoAccess {
			if _, ok := ix.DialogSubjects(p.UUID); ok {
				t.Errorf("%s, reached only through its sub-units, was allowed", p.Name)
			}
		}
	}
}
