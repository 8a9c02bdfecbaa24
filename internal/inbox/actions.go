package inbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// ErrNotOffered: Innboks does not carry this out (an API action that is not a safe one to run
// from a button, content that is not a front-channel embed).
var ErrNotOffered = errors.New("inbox: not offered here")

// GUIAction finds the GUI action actionID of d: ErrNotFound for a malformed id, ErrActionGone
// for one the dialog no longer has, ErrNotAuthorized when the user may not perform it, and the
// outbound fence's refusal when Innboks would not call its URL.
func (s *Dialogs) GUIAction(d *dpclient.Dialog, actionID string) (*dpclient.GuiAction, error) {
	if !ValidID(actionID) {
		return nil, fmt.Errorf("%w: malformed action id", ErrNotFound)
	}
	for i := range d.GuiActions {
		a := &d.GuiActions[i]
		if !strings.EqualFold(a.ID, actionID) {
			continue
		}
		if err := s.GUIActionRefusal(a); err != nil {
			return nil, err
		}
		return a, nil
	}
	return nil, ErrActionGone
}

// GUIActionRefusal is why a GUI action cannot be performed (nil when it can): the one rule the
// dialog page draws with and the click path applies.
func (s *Dialogs) GUIActionRefusal(a *dpclient.GuiAction) error {
	if !a.IsAuthorized || dpclient.IsPlaceholderURL(a.URL) {
		return ErrNotAuthorized
	}
	if !ValidID(a.ID) {
		// Ids are put into Innboks' own URLs, where "../../inbox/bulk?…" would post elsewhere
		// with the user's CSRF token.
		return ErrNotOffered
	}
	return s.Permits(methodOf(a.HTTPMethod), a.URL)
}

func methodOf(m dpclient.HTTPMethod) string {
	if m == "" {
		return http.MethodGet
	}
	return string(m)
}

// ActResult is what became of a GUI action.
type ActResult struct {
	// Navigate is where to send the browser for a GET action (the service owner's page).
	Navigate string
	// Accepted: the service owner works on it asynchronously (202), the change may not show yet.
	Accepted bool
}

// Act performs GUI action a of d: a GET action is navigation, so the checked URL is handed back
// for the browser; a write action is called with the dialog token and an empty body.
func (s *Dialogs) Act(ctx context.Context, u *User, d *dpclient.Dialog, a *dpclient.GuiAction) (*ActResult, error) {
	if err := s.GUIActionRefusal(a); err != nil {
		return nil, err
	}
	method := methodOf(a.HTTPMethod)
	if method == http.MethodGet {
		target, err := url.Parse(a.URL)
		if err != nil {
			return nil, fmt.Errorf("%w: unparsable URL", outbound.ErrURLRefused)
		}
		return &ActResult{Navigate: target.String()}, nil
	}
	var resp *outbound.Response
	err := s.withToken(ctx, u, d, a.URL, func(token string, guard func(*url.URL) error) (err error) {
		resp, err = s.out.Call(ctx, outbound.Request{Method: method, URL: a.URL, Token: token, Guard: guard})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ActResult{Accepted: resp.StatusCode == http.StatusAccepted}, nil
}

// APIEndpoint picks the endpoint of an API action to call: the first one that is not
// deprecated, else the first.
func APIEndpoint(a dpclient.APIAction) (dpclient.APIActionEndpoint, bool) {
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

// APIActionRefusal is why an API action is not offered as a button (nil when it is): a person
// may fetch (GET, e.g. a correspondence, which records it as fetched) or confirm / mark as read
// (POST …/confirm, …/markasread); downloads are offered as attachments instead, anything else
// (purge, writes with a body) is listed, not offered; and the outbound fence must allow it.
func (s *Dialogs) APIActionRefusal(a dpclient.APIAction) error {
	if !a.IsAuthorized {
		return ErrNotAuthorized
	}
	ep, ok := APIEndpoint(a)
	if !ok || !ValidID(a.ID) || dpclient.IsPlaceholderURL(ep.URL) {
		return ErrNotOffered
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return ErrNotOffered
	}
	p := strings.ToLower(strings.TrimSuffix(u.Path, "/"))
	switch ep.HTTPMethod {
	case dpclient.HTTPMethodGet:
		if strings.Contains(p, "/attachment") || strings.Contains(p, "download") {
			return ErrNotOffered
		}
	case dpclient.HTTPMethodPost:
		if !strings.HasSuffix(p, "/confirm") && !strings.HasSuffix(p, "/markasread") {
			return ErrNotOffered
		}
	default:
		return ErrNotOffered
	}
	return s.Permits(string(ep.HTTPMethod), ep.URL)
}

// APIAct runs API action actionID of d (one APIActionRefusal allows). The answer's body is not
// read (the dialog page shows the effect): a large overview must not fail the action on the
// content size limit.
func (s *Dialogs) APIAct(ctx context.Context, u *User, d *dpclient.Dialog, actionID string) error {
	if !ValidID(actionID) {
		return fmt.Errorf("%w: malformed action id", ErrNotFound)
	}
	for _, a := range d.APIActions {
		if !strings.EqualFold(a.ID, actionID) {
			continue
		}
		if err := s.APIActionRefusal(a); err != nil {
			return err
		}
		ep, _ := APIEndpoint(a)
		return s.withToken(ctx, u, d, ep.URL, func(token string, guard func(*url.URL) error) error {
			dl, err := s.out.Download(ctx, outbound.Request{Method: string(ep.HTTPMethod), URL: ep.URL, Token: token, Guard: guard})
			if err == nil {
				_ = dl.Body.Close()
			}
			return err
		})
	}
	return ErrActionGone
}
