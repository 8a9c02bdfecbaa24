package views

import (
	"fmt"

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
}

// liveTexts are the live-update strings: nb, nn, en.
var liveTexts = map[string][3]string{
	"one":    {"1 ny eller endret melding.", "1 ny eller endra melding.", "1 new or changed message."},
	"many":   {"%d nye eller endrede meldinger.", "%d nye eller endra meldingar.", "%d new or changed messages."},
	"more":   {"Over %d nye eller endrede meldinger.", "Over %d nye eller endra meldingar.", "More than %d new or changed messages."},
	"show":   {"Vis", "Vis", "Show"},
	"dialog": {"Denne meldingen er endret.", "Denne meldinga er endra.", "This message has changed."},
	"reload": {"Last inn på nytt", "Last inn på nytt", "Reload"},
}

func liveText(l i18n.Lang, key string) string {
	t := liveTexts[key]
	switch l {
	case i18n.NN:
		return t[1]
	case i18n.EN:
		return t[2]
	}
	return t[0]
}

// Text is the banner's sentence.
func (p LiveBannerProps) Text() string {
	switch {
	case p.DialogURL != "":
		return liveText(p.Lang, "dialog")
	case p.More:
		return fmt.Sprintf(liveText(p.Lang, "more"), p.Count)
	case p.Count == 1:
		return liveText(p.Lang, "one")
	}
	return fmt.Sprintf(liveText(p.Lang, "many"), p.Count)
}

// Action is the banner's link text.
func (p LiveBannerProps) Action() string {
	if p.DialogURL != "" {
		return liveText(p.Lang, "reload")
	}
	return liveText(p.Lang, "show")
}
