package export

import (
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// maxNameRunes bounds one path element: Windows' MAX_PATH is 260 for the whole path.
const maxNameRunes = 60

// names gives a ZIP's folders and files names that every unpacker takes: sanitised (no path
// separators, control or reserved characters, no "..", no names Windows reserves) and unique
// within their folder, compared as Windows and macOS compare them (case-folded, NFC).
type names struct {
	used    map[string]bool   // folded full paths taken
	parties map[string]string // party URN → its folder
	fold    cases.Caser
}

func newNames() *names {
	return &names{used: map[string]bool{}, parties: map[string]string{}, fold: cases.Fold()}
}

// dir is the folder of a dialog: its party's folder, then the dialog's title with the start of
// its id (two dialogs with one title stay apart, and the folder is found again by id).
func (n *names) dir(partyURN, partyName, id, title string) string {
	pd, ok := n.parties[partyURN]
	if !ok {
		pd = n.unique("", Sanitize(partyName, "party"))
		n.parties[partyURN] = pd
	}
	short := id
	if len(short) > 8 {
		short = short[:8]
	}
	return n.unique(pd, Sanitize(strings.TrimSpace(clip(title, maxNameRunes-10)+" "+short), "dialog"))
}

// file is the path of an attachment named name in dir.
func (n *names) file(dir, name string) string {
	return n.unique(dir, Sanitize(name, "attachment"))
}

// unique is dir/name, or dir/name (2).ext, (3) … when taken; it marks the result taken.
func (n *names) unique(dir, name string) string {
	stem, ext := name, path.Ext(name)
	if ext == name || len(ext) > 10 {
		ext = ""
	}
	stem = strings.TrimSuffix(name, ext)
	for i := 1; ; i++ {
		cand := name
		if i > 1 {
			cand = stem + " (" + strconv.Itoa(i) + ")" + ext
		}
		full := cand
		if dir != "" {
			full = dir + "/" + cand
		}
		key := n.fold.String(norm.NFC.String(full))
		if !n.used[key] {
			n.used[key] = true
			return full
		}
	}
}

// Sanitize makes s one safe path element: NFC, no control, format or path characters (/ \ : * ?
// " < > |), spaces collapsed, no leading or trailing dots and spaces, at most maxNameRunes
// runes with the extension kept, and not a name Windows reserves (CON, NUL, COM1 …). It is
// fallback when nothing is left.
func Sanitize(s, fallback string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r), strings.ContainsRune(`/\:*?"<>|`, r):
			r = '_'
		}
		space = false
		b.WriteRune(r)
	}
	s = strings.Trim(b.String(), " .")
	if utf8.RuneCountInString(s) > maxNameRunes {
		ext := path.Ext(s)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		s = strings.TrimRight(clip(strings.TrimSuffix(s, ext), maxNameRunes-utf8.RuneCountInString(ext)), " .") + ext
	}
	if s == "" || strings.Trim(s, "._") == "" {
		return fallback
	}
	if reserved(s) {
		s = "_" + s
	}
	return s
}

// reserved reports a name Windows will not create, with or without an extension.
func reserved(s string) bool {
	base := strings.ToUpper(strings.TrimSpace(strings.SplitN(s, ".", 2)[0]))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
		return true
	}
	return false
}

// clip cuts s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
