package views

import "github.com/innboks/innboks/views/i18n"

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
}

// Text is the banner's sentence.
func (p LiveBannerProps) Text() string {
	switch {
	case p.DialogURL != "":
		return p.Lang.T("live.dialog")
	case p.More:
		return p.Lang.F("live.more", p.Count)
	case p.Count == 1:
		return p.Lang.T("live.one")
	}
	return p.Lang.F("live.many", p.Count)
}

// Action is the banner's link text.
func (p LiveBannerProps) Action() string {
	if p.DialogURL != "" {
		return p.Lang.T("live.reload")
	}
	return p.Lang.T("live.show")
}
