package present

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// thread is the transmissions newest first, consecutive ones from the same sender grouped.
func (dp *Dialog) thread(ctx context.Context, lang i18n.Lang, d *dpclient.Dialog, sender, me string, now time.Time) []views.ThreadGroup {
	txs := d.NewestTransmissions()
	titles := make(map[string]string, len(txs))
	for _, t := range txs {
		titles[t.ID] = richtext.Text(t.Content.Title.Best(string(lang)))
	}
	var groups []views.ThreadGroup
	lastKey := ""
	for _, t := range txs {
		from := who(lang, t.Sender, sender, me)
		tp := views.TransmissionProps{
			ID: t.ID, Title: cmp.Or(titles[t.ID], lang.T("tx."+string(t.Type))),
			TypeLabel: lang.T("tx." + string(t.Type)), Sender: from, Created: t.CreatedAt.In(dp.Loc),
			Unopened: !t.IsOpened && !t.Type.FromParty(),
		}
		tp.Summary = dp.ownText(ctx, richtext.Summary, 1, t.Content.Summary, string(lang))
		if rel := t.RelatedTransmissionID; rel != "" {
			if title, ok := titles[rel]; ok {
				tp.ReplyTo, tp.ReplyToID = title, rel
			}
		}
		if ref := t.Content.ContentReference; ref != nil && len(ref.Value) > 0 {
			switch err := dp.Rules.EmbedRefusal(ref, t.IsAuthorized, string(lang)); {
			case err != nil:
				tp.Unavailable = embedRefusalText(lang, err)
			case !inbox.ValidID(t.ID):
				tp.Unavailable = lang.T("dialog.notOffered")
			default:
				tp.ContentURL = "/dialogs/" + d.ID + "/transmissions/" + t.ID + "/content"
			}
		}
		tp.Attachments = dp.attachments(lang, d.ID, t.Attachments, now)
		for _, na := range t.NavigationalActions {
			tp.Links = append(tp.Links, dp.navLink(lang, na, now))
		}
		key := string(t.Sender.ActorType) + "|" + t.Sender.ActorID + "|" + from
		if len(groups) == 0 || key != lastKey {
			groups = append(groups, views.ThreadGroup{Sender: from, FromParty: t.Type.FromParty()})
			lastKey = key
		}
		g := &groups[len(groups)-1]
		g.Items = append(g.Items, tp)
	}
	return groups
}

// navLink is a transmission's link; only links the outbound fence would follow become links.
func (dp *Dialog) navLink(lang i18n.Lang, na dpclient.NavigationalAction, now time.Time) views.NavLink {
	l := views.NavLink{Title: richtext.Text(na.Title.Best(string(lang)))}
	if err := dp.Rules.LinkRefusal(na.URL, na.ExpiresAt); err != nil {
		l.Disabled, l.Reason = true, web.RefusalText(lang, err)
	} else {
		l.Href = na.URL
	}
	return l
}

// activityLog merges activities and transmissions, newest first, with who did what.
func activityLog(lang i18n.Lang, d *dpclient.Dialog, sender, me string, loc *time.Location) []views.LogEntry {
	l := string(lang)
	var out []views.LogEntry
	for _, a := range d.Activities {
		when := d.CreatedAt
		if a.CreatedAt != nil {
			when = *a.CreatedAt
		}
		e := views.LogEntry{When: when.In(loc), Who: who(lang, a.PerformedBy, sender, me),
			What: cmp.Or(richtext.Text(a.Description.Best(l)), lang.T("activity."+string(a.Type)))}
		if a.TransmissionID != "" {
			e.Href = "#tx-" + a.TransmissionID
		}
		out = append(out, e)
	}
	for _, t := range d.Transmissions {
		title := cmp.Or(richtext.Text(t.Content.Title.Best(l)), lang.T("tx."+string(t.Type)))
		out = append(out, views.LogEntry{When: t.CreatedAt.In(loc), Who: who(lang, t.Sender, sender, me),
			What: lang.F("activity.sent", title), Href: "#tx-" + t.ID})
	}
	slices.SortStableFunc(out, func(a, b views.LogEntry) int { return b.When.Compare(a.When) })
	return out
}

// seenBy reads the seen log once: the summary ("Seen by you and 2 others") and who has seen
// it, "You" first, then the others by name. The service owner's own views are left out of both.
func seenBy(lang i18n.Lang, log []dpclient.SeenLog) (summary string, names []string) {
	you := false
	seen := map[string]bool{}
	for _, s := range log {
		switch {
		case s.IsCurrentEndUser:
			you = true
		case s.IsViaServiceOwner:
		default:
			key := cmp.Or(s.SeenBy.ActorID, s.SeenBy.ActorName, s.ID)
			if !seen[key] {
				seen[key] = true
				names = append(names, cmp.Or(inbox.ActorName(s.SeenBy), lang.T("dialog.someone")))
			}
		}
	}
	slices.Sort(names)
	switch n := len(names); {
	case you && n == 0:
		summary = lang.T("dialog.seenByYou")
	case you && n == 1:
		summary = lang.T("dialog.seenByYouAnd1")
	case you:
		summary = lang.F("dialog.seenByYouAndN", n)
	case n == 1:
		summary = lang.T("dialog.seenBy1")
	case n > 1:
		summary = lang.F("dialog.seenByN", n)
	}
	if you {
		names = append([]string{lang.T("dialog.you")}, names...)
	}
	return summary, names
}
