package handlers

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// present maps a dialog's details to the page's props in the user's language.
func (b *Dialog) present(c echo.Context, u *user, d *dpclient.Dialog) views.DialogProps {
	lang := string(u.lang)
	now := b.now()
	me := d.CurrentActor()
	sender := richtext.Text(cmp.Or(d.Content.SenderName.Best(lang), d.Org))
	ctx := c.Request().Context()
	p := views.DialogProps{
		Lang: u.lang, CSRF: web.PageFrom(c.Request().Context()).CSRF, ID: d.ID,
		Header:   b.header(u, d, sender, now),
		Revision: d.EndUserContext.Revision,
		BackURL:  backURL(u, d),
	}
	p.Summary = b.ownText(ctx, richtext.Summary, 1, d.Content.Summary, lang)
	p.AdditionalInfo = b.ownText(ctx, richtext.AdditionalInfo, 2, d.Content.AdditionalInfo, lang)
	p.Content = b.contentSlot(u.lang, d)
	p.Attachments = b.attachments(u.lang, d.ID, d.Attachments, now)
	p.Thread = b.thread(ctx, u, d, sender, me, now)
	p.Log = activityLog(u.lang, d, sender, me, b.loc)
	p.SeenBy, p.SeenByNames = seenBy(u.lang, d.SeenSinceLastUpdate)
	p.Actions = b.actions(u.lang, d)
	p.Labels = labelActions(u.lang, d.EndUserContext)
	return p
}

func (b *Dialog) header(u *user, d *dpclient.Dialog, sender string, now time.Time) views.DialogHeaderProps {
	lang := string(u.lang)
	h := views.DialogHeaderProps{
		Title:          richtext.Text(cmp.Or(d.Content.Title.Best(lang), d.ServiceResource)),
		Sender:         sender,
		StatusKey:      string(d.Status),
		ExtendedStatus: richtext.Text(d.Content.ExtendedStatus.Best(lang)),
		Created:        d.CreatedAt.In(b.loc),
		Updated:        d.UpdatedAt.In(b.loc),
	}
	if !strings.EqualFold(sender, d.Org) {
		h.ServiceOwner = strings.ToUpper(d.Org)
	}
	h.Status = statusText(u.lang, d.Status)
	if p, ok := u.parties.ByURN(d.Party); ok {
		h.Party = p.Name
	}
	if d.DueAt != nil {
		due := d.DueAt.In(b.loc)
		h.Due = &due
		h.Overdue = d.DueAt.Before(now) && d.Status != dpclient.DialogStatusCompleted
	}
	h.Folder = inbox.FolderOf(d.EndUserContext)
	return h
}

// backURL is the inbox of the dialog's party, in the folder the dialog sits in.
func backURL(u *user, d *dpclient.Dialog) string {
	q := url.Values{}
	if p, ok := u.parties.ByURN(d.Party); ok {
		q.Set("party", p.UUID)
	}
	if f := inbox.FolderOf(d.EndUserContext); f != "" {
		q.Set("folder", f)
	}
	if len(q) == 0 {
		return "/inbox"
	}
	return "/inbox?" + q.Encode()
}

// who names an actor for people: "You", the service owner's sender name, or the actor's name.
func who(lang i18n.Lang, a dpclient.Actor, sender, me string) string {
	switch {
	case me != "" && a.ActorID == me:
		return lang.T("dialog.you")
	case a.ActorType == dpclient.ActorTypeServiceOwner:
		return cmp.Or(sender, lang.T("dialog.serviceOwner"))
	}
	return cmp.Or(inbox.ActorName(a), lang.T("dialog.someone"))
}

// contentSlot decides whether the main content can be loaded, and from where.
func (b *Dialog) contentSlot(lang i18n.Lang, d *dpclient.Dialog) views.ContentSlotProps {
	ref := d.Content.MainContentReference
	if ref == nil || len(ref.Value) == 0 {
		return views.ContentSlotProps{}
	}
	if err := b.rules.EmbedRefusal(ref, ref.IsAuthorized == nil || *ref.IsAuthorized, string(lang)); err != nil {
		return views.ContentSlotProps{Unavailable: embedRefusalText(lang, err)}
	}
	// Ref only versions the slot (views.partVersion): a live update loads the content again
	// when the dialog names other content, not at every change of the dialog.
	return views.ContentSlotProps{URL: "/dialogs/" + d.ID + "/content", Ref: ref.MediaType + " " + ref.Value.Best(string(lang))}
}

// embedRefusalText says why an embed is not loaded.
func embedRefusalText(lang i18n.Lang, err error) string {
	if errors.Is(err, inbox.ErrNotAuthorized) {
		return lang.T("dialog.contentNoAccess")
	}
	return web.RefusalText(lang, err)
}

// attachments maps attachments to their browser links: only Gui URLs are offered; unauthorized
// and expired ones are shown disabled with the reason. Downloads go through Innboks.
func (b *Dialog) attachments(lang i18n.Lang, dialogID string, atts []dpclient.Attachment, now time.Time) []views.AttachmentProps {
	var out []views.AttachmentProps
	for _, a := range atts {
		ap := views.AttachmentProps{ID: a.ID, Name: attachmentName(a, string(lang))}
		for _, au := range a.URLs {
			if au.ConsumerType != dpclient.AttachmentURLConsumerGUI {
				continue
			}
			l := views.AttachmentLink{MediaType: au.MediaType, TypeLabel: web.TypeLabel(au.MediaType)}
			switch err := b.rules.LinkRefusal(au.URL, a.ExpiresAt); {
			case err != nil:
				l.Disabled, l.Reason = true, web.RefusalText(lang, err)
			case !inbox.ValidID(a.ID) || !inbox.ValidID(au.ID):
				// Ids go into our own URL; only UUIDs (see actions).
				l.Disabled, l.Reason = true, lang.T("dialog.notOffered")
			default:
				l.Href = "/dialogs/" + dialogID + "/attachments/" + a.ID + "/" + au.ID
			}
			ap.Links = append(ap.Links, l)
		}
		if len(ap.Links) > 0 {
			out = append(out, ap)
		}
	}
	return out
}

// attachmentName is the name people see: the display name, else the file name.
func attachmentName(a dpclient.Attachment, lang string) string {
	return richtext.Text(cmp.Or(strings.TrimSpace(a.DisplayName.Best(lang)), a.Name, "vedlegg"))
}

// labelActions are the folder moves that make sense from where the dialog is, plus unread.
func labelActions(lang i18n.Lang, ctx dpclient.EndUserContext) []views.LabelAction {
	vals := inbox.LabelMoves(inbox.FolderOf(ctx))
	out := make([]views.LabelAction, 0, len(vals))
	for _, v := range vals {
		out = append(out, views.LabelAction{Value: v, Label: lang.T("label." + v)})
	}
	return out
}

// doneNotice is the notice for ?done= after a redirect back to the dialog.
func doneNotice(u *user, done string) (text, color string) {
	switch done {
	case "archive", "bin", "restore", "unread":
		return u.lang.T("dialog.done" + strings.ToUpper(done[:1]) + done[1:]), "success"
	case "action":
		return u.lang.T("dialog.done"), "success"
	case "async":
		return u.lang.T("dialog.doneAsync"), "info"
	case "conflict":
		return u.lang.T("dialog.conflict"), "warning"
	case "stale":
		return u.lang.T("dialog.actionGone"), "warning"
	}
	return "", ""
}

// ownText renders a summary or additional info (nil: none) under a heading of level offset,
// only in the media types the specification allows in field f; "" when the request is gone.
func (b *Dialog) ownText(ctx context.Context, f richtext.Field, offset int, v *dpclient.ContentValue, lang string) template.HTML {
	if v == nil {
		return ""
	}
	res, err := b.text.HeadingOffset(offset).RenderContext(ctx, f, v.MediaType, v.Best(lang))
	if err != nil {
		return ""
	}
	return res.HTML
}
