package views

import (
	"strings"

	"github.com/innboks/innboks/views/i18n"
)

// LiveProps place live updates on a page: a server-sent-event stream when the portal receives
// Altinn Events, else a poll, else nothing. Both need JavaScript; without it the page is as
// before.
type LiveProps struct {
	// Stream is the SSE URL (/live?…); "" when the portal gets no events.
	Stream string
	// Poll is the poll URL (/live/changes?…); "" when there is a stream or no polling.
	Poll string
}

// LiveBannerProps is the polite notice that something changed since the page was shown.
type LiveBannerProps struct {
	Lang  i18n.Lang
	Count int  // distinct dialogs new or changed (inbox)
	More  bool // Count is a lower bound
	// ListURL reloads the inbox list (htmx swaps #inbox); DialogURL reloads one dialog's page.
	ListURL, DialogURL string
	// Parties names whose dialogs changed, when the list shows a group ("all organisations"),
	// first seen first; the banner names three and says how many more. Empty: none named.
	Parties []string
}

// bannerNames is how many parties the banner names before "and N more".
const bannerNames = 3

// Text is the banner's sentence.
func (p LiveBannerProps) Text() string {
	switch {
	case p.DialogURL != "":
		return p.Lang.T("live.dialog")
	case p.More:
		return p.Lang.F("live.more", p.Count) + p.partiesText()
	case p.Count == 1:
		return p.Lang.T("live.one") + p.partiesText()
	}
	return p.Lang.F("live.many", p.Count) + p.partiesText()
}

// partiesText is " For A, B, C and 2 more." (nothing without parties).
func (p LiveBannerProps) partiesText() string {
	if len(p.Parties) == 0 {
		return ""
	}
	names := strings.Join(p.Parties[:min(len(p.Parties), bannerNames)], ", ")
	if rest := len(p.Parties) - bannerNames; rest > 0 {
		names = p.Lang.F("live.andMore", names, rest)
	}
	return " " + p.Lang.F("live.parties", names)
}

// Action is the banner's link text.
func (p LiveBannerProps) Action() string {
	if p.DialogURL != "" {
		return p.Lang.T("live.reload")
	}
	return p.Lang.T("live.show")
}
