package views

import (
	"encoding/json"
	"hash/fnv"
	"strconv"

	"github.com/innboks/innboks/views/i18n"
)

// DialogLiveProps place a dialog page's own live updates (the dialog's dialogEvents
// subscription, held by the server): the page's event stream and the route its parts come
// from when the dialog changed. Empty: the page has LiveProps' banner, or nothing.
type DialogLiveProps struct {
	Stream string // /dialogs/{id}/live
	Parts  string // /dialogs/{id}/parts
}

// The parts of a dialog page that a live update refreshes in place, each in its own element
// (id "dialog-part-"+name) with a version: the page swaps only the parts whose version changed.
const (
	partHeader  = "header"
	partSummary = "summary"
	partContent = "content"
	partInfo    = "info"
	partActions = "actions"
	partThread  = "thread"
	partLog     = "log"
)

// partLabel is the part's name in the announcement of what changed ("status, messages").
func partLabel(lang i18n.Lang, part string) string { return lang.T("live.part." + part) }

// partVersion is a short hash of what a part shows, taken from its props, not its HTML: the
// page's CSRF token is masked afresh in every response and must not count as a change.
func partVersion(p DialogProps, part string) string {
	var v any
	switch part {
	case partHeader:
		v = p.Header
	case partSummary:
		v = p.Summary
	case partInfo:
		v = []any{p.AdditionalInfo, p.Attachments}
	case partContent:
		v = p.Content
	case partActions:
		v = []any{p.Actions, p.Labels, p.Revision}
	case partThread:
		v = p.Thread
	case partLog:
		v = []any{p.Log, p.SeenBy, p.SeenByNames}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	h := fnv.New64a()
	_, _ = h.Write(raw)
	return strconv.FormatUint(h.Sum64(), 36)
}
