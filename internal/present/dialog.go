package present

import (
	"cmp"
	"context"
	"errors"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// Dialog draws the dialog page from a dialog's details: Text renders the dialog's own text
// fields, Rules decide what the portal will carry out (the click path applies the same rules),
// Loc is the time zone shown.
type Dialog struct {
	Text  *richtext.Renderer
	Rules Rules
	Loc   *time.Location
}

// Rules are the service layer's decisions on what a dialog offers (*inbox.Dialogs).
type Rules interface {
	EmbedRefusal(ref *dpclient.ContentValue, authorized bool, lang string) error
	GUIActionRefusal(a *dpclient.GuiAction) error
	APIActionRefusal(a dpclient.APIAction) error
	LinkRefusal(raw string, expiresAt *time.Time) error
}

// Page is the dialog page's props (all but the CSRF token, the notice and the live parts) in
// lang; ix names the parties.
func (dp *Dialog) Page(ctx context.Context, lang i18n.Lang, ix *inbox.PartyIndex, d *dpclient.Dialog, now time.Time) views.DialogProps {
	l := string(lang)
	me := d.CurrentActor()
	sender := richtext.Text(cmp.Or(d.Content.SenderName.Best(l), d.Org))
	p := views.DialogProps{
		Lang: lang, ID: d.ID,
		Header:   dp.header(lang, ix, d, sender, now),
		Revision: d.EndUserContext.Revision,
		BackURL:  BackURL(ix, d),
	}
	p.Summary = dp.ownText(ctx, richtext.Summary, 1, d.Content.Summary, l)
	p.AdditionalInfo = dp.ownText(ctx, richtext.AdditionalInfo, 2, d.Content.AdditionalInfo, l)
	p.Content = dp.contentSlot(lang, d)
	p.Attachments = dp.attachments(lang, d.ID, d.Attachments, now)
	p.Thread = dp.thread(ctx, lang, d, sender, me, now)
	p.Log = activityLog(lang, d, sender, me, dp.Loc)
	p.SeenBy, p.SeenByNames = seenBy(lang, d.SeenSinceLastUpdate)
	p.Actions = dp.actions(lang, d)
	p.Labels = labelActions(lang, d.EndUserContext)
	return p
}

func (dp *Dialog) header(lang i18n.Lang, ix *inbox.PartyIndex, d *dpclient.Dialog, sender string, now time.Time) views.DialogHeaderProps {
	l := string(lang)
	h := views.DialogHeaderProps{
		Title:          richtext.Text(cmp.Or(d.Content.Title.Best(l), d.ServiceResource)),
		Sender:         sender,
		StatusKey:      string(d.Status),
		ExtendedStatus: richtext.Text(d.Content.ExtendedStatus.Best(l)),
		Created:        d.CreatedAt.In(dp.Loc),
		Updated:        d.UpdatedAt.In(dp.Loc),
	}
	if !strings.EqualFold(sender, d.Org) {
		h.ServiceOwner = strings.ToUpper(d.Org)
	}
	h.Status = StatusText(lang, d.Status)
	if p, ok := ix.ByURN(d.Party); ok {
		h.Party = p.Name
	}
	if d.DueAt != nil {
		due := d.DueAt.In(dp.Loc)
		h.Due = &due
		h.Overdue = d.DueAt.Before(now) && d.Status != dpclient.DialogStatusCompleted
	}
	h.Folder = inbox.FolderOf(d.EndUserContext)
	return h
}

// BackURL is the inbox of the dialog's party, in the folder the dialog sits in.
func BackURL(ix *inbox.PartyIndex, d *dpclient.Dialog) string {
	q := url.Values{}
	if p, ok := ix.ByURN(d.Party); ok {
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
func (dp *Dialog) contentSlot(lang i18n.Lang, d *dpclient.Dialog) views.ContentSlotProps {
	ref := d.Content.MainContentReference
	if ref == nil || len(ref.Value) == 0 {
		return views.ContentSlotProps{}
	}
	if err := dp.Rules.EmbedRefusal(ref, ref.IsAuthorized == nil || *ref.IsAuthorized, string(lang)); err != nil {
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
func (dp *Dialog) attachments(lang i18n.Lang, dialogID string, atts []dpclient.Attachment, now time.Time) []views.AttachmentProps {
	var out []views.AttachmentProps
	for _, a := range atts {
		ap := views.AttachmentProps{ID: a.ID, Name: AttachmentName(a, string(lang))}
		for _, au := range a.URLs {
			if au.ConsumerType != dpclient.AttachmentURLConsumerGUI {
				continue
			}
			l := views.AttachmentLink{MediaType: au.MediaType, TypeLabel: web.TypeLabel(au.MediaType)}
			switch err := dp.Rules.LinkRefusal(au.URL, a.ExpiresAt); {
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

// AttachmentName is the name people see: the display name, else the file name.
func AttachmentName(a dpclient.Attachment, lang string) string {
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

// DoneNotice is the notice for ?done= after a redirect back to the dialog.
func DoneNotice(lang i18n.Lang, done string) (text, color string) {
	switch done {
	case "archive", "bin", "restore", "unread":
		return lang.T("dialog.done" + strings.ToUpper(done[:1]) + done[1:]), "success"
	case "action":
		return lang.T("dialog.done"), "success"
	case "async":
		return lang.T("dialog.doneAsync"), "info"
	case "conflict":
		return lang.T("dialog.conflict"), "warning"
	case "stale":
		return lang.T("dialog.actionGone"), "warning"
	}
	return "", ""
}

// ownText renders a summary or additional info (nil: none) under a heading of level offset,
// only in the media types the specification allows in field f; "" when the request is gone.
func (dp *Dialog) ownText(ctx context.Context, f richtext.Field, offset int, v *dpclient.ContentValue, lang string) template.HTML {
	if v == nil {
		return ""
	}
	res, err := dp.Text.HeadingOffset(offset).RenderContext(ctx, f, v.MediaType, v.Best(lang))
	if err != nil {
		return ""
	}
	return res.HTML
}
