package inbox

import "github.com/innboks/innboks/dpclient"

// labelChanges maps a label action (the dialog's label form and the inbox's bulk form) to the
// system label it adds (ENDUSER-API.md §7.3: adding Default, Bin or Archive replaces whichever
// of the three is present).
var labelChanges = map[string]dpclient.SystemLabel{
	"archive": dpclient.SystemLabelArchive,
	"bin":     dpclient.SystemLabelBin,
	"restore": dpclient.SystemLabelDefault,
	"unread":  dpclient.SystemLabelMarkedAsUnopened,
}

// LabelChange is the system label a label action (archive, bin, restore, unread) adds; false
// for any other action.
func LabelChange(action string) (dpclient.SystemLabel, bool) {
	l, ok := labelChanges[action]
	return l, ok
}

// FolderOf is the folder a dialog sits in by its system labels: "archive", "bin" or "" (the
// inbox and the folders derived from it).
func FolderOf(ctx dpclient.EndUserContext) string {
	switch {
	case ctx.Has(dpclient.SystemLabelArchive):
		return "archive"
	case ctx.Has(dpclient.SystemLabelBin):
		return "bin"
	}
	return ""
}

// LabelMoves are the label actions that make sense from a folder: the two folder moves, then
// unread. The dialog page and the inbox's bulk bar offer the same.
func LabelMoves(folder string) []string {
	switch folder {
	case "archive":
		return []string{"restore", "bin", "unread"}
	case "bin":
		return []string{"restore", "archive", "unread"}
	}
	return []string{"archive", "bin", "unread"}
}

// UniqueIDs keeps the first occurrence of each non-empty, reasonably sized id (a bulk form's
// dialog ids, before BulkLabel).
func UniqueIDs(in []string) []string {
	seen := make(map[string]bool, len(in))
	out := make([]string, 0, len(in))
	for _, id := range in {
		if id == "" || len(id) > 64 || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}
