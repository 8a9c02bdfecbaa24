package handlers

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// priorityRank orders GUI actions: primary, secondary, tertiary.
func priorityRank(p dpclient.GuiActionPriority) int {
	switch p {
	case dpclient.GuiActionPriorityPrimary:
		return 0
	case dpclient.GuiActionPrioritySecondary:
		return 1
	}
	return 2
}

// actions maps the dialog's GUI and API actions to buttons. GET actions without a prompt are
// plain links to the service owner; actions with a prompt lead to a confirmation page; the rest
// post ids to the action proxy. Unauthorized ones are disabled with the reason. An id that is
// not a UUID is not offered: ids come from the service owner and are put into Innboks' own
// URLs, where "../../inbox/bulk?…" would post elsewhere with the user's CSRF token.
func (b *dialogBase) actions(lang i18n.Lang, d *dpclient.Dialog) views.DialogActionsProps {
	l := string(lang)
	gui := slices.Clone(d.GuiActions)
	slices.SortStableFunc(gui, func(a, b dpclient.GuiAction) int {
		return cmp.Compare(priorityRank(a.Priority), priorityRank(b.Priority))
	})
	var out views.DialogActionsProps
	for _, a := range gui {
		p := views.GuiActionProps{ID: a.ID, Title: cmp.Or(a.Title.Best(l), a.Action), Delete: a.IsDeleteDialogAction}
		route := "/dialogs/" + d.ID + "/actions/" + a.ID
		switch {
		case !a.IsAuthorized || dpclient.IsPlaceholderURL(a.URL):
			p.Disabled, p.Reason = true, lang.T("dialog.unauthorized")
		case !validID(a.ID):
			p.Disabled, p.Reason = true, lang.T("dialog.notOffered")
		case len(a.Prompt) > 0:
			p.ConfirmURL = route
		case a.HTTPMethod == dpclient.HTTPMethodGet || a.HTTPMethod == "":
			if _, err := b.out.Check(a.URL); err != nil {
				p.Disabled, p.Reason = true, lang.T("dialog.notOffered")
			} else {
				p.Link = a.URL
			}
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
		ep, ok := apiEndpoint(a)
		p := views.APIActionProps{Name: cmp.Or(a.Name, a.Action)}
		if ok {
			p.Method = string(ep.HTTPMethod)
		}
		switch {
		case !a.IsAuthorized:
			p.Disabled, p.Reason = true, lang.T("dialog.unauthorized")
		case ok && safeAPIEndpoint(ep) && validID(a.ID):
			p.PostURL = "/dialogs/" + d.ID + "/api-actions/" + a.ID
		}
		out.API = append(out.API, p)
	}
	return out
}

// apiEndpoint picks the endpoint to call: the first one that is not deprecated, else the first.
func apiEndpoint(a dpclient.APIAction) (dpclient.APIActionEndpoint, bool) {
	for _, ep := range a.Endpoints {
		if !ep.Deprecated {
			return ep, true
		}
	}
	if len(a.Endpoints) > 0 {
		return a.Endpoints[0], true
	}
	return dpclient.APIActionEndpoint{}, false
}

// safeAPIEndpoint reports whether a person may run an API endpoint from a button: fetching
// (GET, e.g. a correspondence, which records it as fetched) or confirming/marking as read (POST
// …/confirm, …/markasread). Downloads are offered as attachments instead; anything else (purge,
// writes with a request body) is listed, not offered.
func safeAPIEndpoint(ep dpclient.APIActionEndpoint) bool {
	if dpclient.IsPlaceholderURL(ep.URL) {
		return false
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return false
	}
	p := strings.ToLower(strings.TrimSuffix(u.Path, "/"))
	switch ep.HTTPMethod {
	case dpclient.HTTPMethodGet:
		return !strings.Contains(p, "/attachment") && !strings.Contains(p, "download")
	case dpclient.HTTPMethodPost:
		return strings.HasSuffix(p, "/confirm") || strings.HasSuffix(p, "/markasread")
	}
	return false
}
