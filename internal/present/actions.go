package present

import (
	"cmp"
	"errors"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/internal/web"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// actions maps the dialog's GUI and API actions to buttons. GET actions without a prompt are
// plain links to the service owner; actions with a prompt lead to a confirmation page; the rest
// post ids to the action proxy. Unauthorized ones are disabled with the reason. An id that is
// not a UUID is not offered: ids come from the service owner and are put into Innboks' own
// URLs, where "../../inbox/bulk?…" would post elsewhere with the user's CSRF token.
func (dp *Dialog) actions(lang i18n.Lang, d *dpclient.Dialog) views.DialogActionsProps {
	l := string(lang)
	var out views.DialogActionsProps
	for _, a := range d.SortedGUIActions() {
		p := views.GuiActionProps{ID: a.ID, Title: richtext.Text(cmp.Or(a.Title.Best(l), a.Action)), Delete: a.IsDeleteDialogAction}
		route := "/dialogs/" + d.ID + "/actions/" + a.ID
		switch err := dp.Rules.GUIActionRefusal(&a); {
		case err != nil:
			p.Disabled, p.Reason = true, web.RefusalText(lang, err)
		case len(a.Prompt) > 0:
			p.ConfirmURL = route
		case a.HTTPMethod == dpclient.HTTPMethodGet || a.HTTPMethod == "":
			p.Link = a.URL
		default:
			p.PostURL = route
		}
		switch a.Priority {
		case dpclient.GuiActionPriorityPrimary:
			out.Primary = append(out.Primary, p)
		case dpclient.GuiActionPrioritySecondary:
			out.Secondary = append(out.Secondary, p)
		default:
			out.Tertiary = append(out.Tertiary, p)
		}
	}
	for _, a := range d.APIActions {
		ep, ok := inbox.APIEndpoint(a)
		p := views.APIActionProps{Name: cmp.Or(a.Name, a.Action)}
		if ok {
			p.Method = string(ep.HTTPMethod)
		}
		switch err := dp.Rules.APIActionRefusal(a); {
		case errors.Is(err, inbox.ErrNotAuthorized):
			p.Disabled, p.Reason = true, lang.T("dialog.unauthorized")
		case errors.Is(err, inbox.ErrNotOffered):
			// Listed, not offered (purge, writes with a body, downloads).
		case err != nil:
			p.Disabled, p.Reason = true, web.RefusalText(lang, err)
		default:
			p.PostURL = "/dialogs/" + d.ID + "/api-actions/" + a.ID
		}
		out.API = append(out.API, p)
	}
	return out
}

// ActionConfirm is the confirmation page of a GUI action with a prompt (all but its CSRF
// token).
func ActionConfirm(lang i18n.Lang, d *dpclient.Dialog, a *dpclient.GuiAction) views.ConfirmProps {
	l := string(lang)
	title := richtext.Text(cmp.Or(a.Title.Best(l), a.Action))
	return views.ConfirmProps{
		Lang: lang, DialogTitle: richtext.Text(d.Content.Title.Best(l)), Action: title,
		Prompt:  cmp.Or(richtext.Text(a.Prompt.Best(l)), title),
		PostURL: "/dialogs/" + d.ID + "/actions/" + a.ID, CancelURL: "/dialogs/" + d.ID,
		Delete: a.IsDeleteDialogAction,
	}
}
