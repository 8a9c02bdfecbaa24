package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// withToken runs call with the dialog token, the token service owners' endpoints take. When the
// target is on the Altinn platform (Correspondence and its attachments) and refuses the dialog
// token with 401 or 403, it runs call once more with an Altinn token exchanged from the user's
// ID-porten token (AUTH-AND-NEIGHBOURS.md §A.6, §C). Other hosts never see that token, nor do
// other platform APIs (see exchangeAllowed). A Correspondence URL must name the dialog's own
// correspondence (checkCorrespondence) before any token goes to it.
func (b *dialogBase) withToken(ctx context.Context, u *user, d *dpclient.Dialog, target string, call func(token string) error) error {
	t := &dialogTokens{b: b, u: u, d: d}
	if err := b.checkCorrespondence(ctx, t, target); err != nil {
		return err
	}
	return t.call(ctx, target, call)
}

// dialogTokens are the credentials of one request for one dialog: its dialog token and, once
// a platform URL has refused that, the exchanged Altinn token (exchanged at most once).
type dialogTokens struct {
	b      *dialogBase
	u      *user
	d      *dpclient.Dialog
	altinn string
}

// call runs call with the dialog token, then, where withToken allows it, the Altinn token.
func (t *dialogTokens) call(ctx context.Context, target string, call func(token string) error) error {
	err := call(t.d.DialogToken)
	var se *outbound.StatusError
	if err == nil || t.b.exch == nil || !t.b.exchangeAllowed(target) || !errors.As(err, &se) ||
		(se.StatusCode != http.StatusUnauthorized && se.StatusCode != http.StatusForbidden) {
		return err
	}
	if t.altinn == "" {
		tok, xerr := t.b.exch.ExchangeIDPortenToken(ctx, t.u.opts...)
		if xerr != nil {
			return errors.Join(err, xerr)
		}
		t.altinn = tok
	}
	return call(t.altinn)
}

// exchangeAllowed reports whether target may get the exchanged Altinn token: only a
// Correspondence URL on the Altinn platform. That token is the user's key to every platform API
// (Access Management, Storage, Events, …), and the URL comes from a service owner: it must not
// let one service owner's dialog act as the user on the rest of the platform. Dot segments and
// backslashes are refused, since a client, proxy or server may resolve them out of
// correspondence/.
func (b *dialogBase) exchangeAllowed(target string) bool {
	u, _ := b.correspondenceURL(target)
	return u != nil
}

// correspondenceURL parses target when it is under the platform's correspondence/ (under is
// false otherwise, also when no platform is configured). u is nil when its path is ambiguous:
// backslashes or dot segments, which a client, proxy or server may resolve out of
// correspondence/.
func (b *dialogBase) correspondenceURL(target string) (u *url.URL, under bool) {
	if b.platform == "" || !strings.HasPrefix(target, b.platform+"correspondence/") {
		return nil, false
	}
	u, err := url.Parse(target)
	if err != nil || strings.Contains(u.Path, `\`) {
		return nil, true
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, true
		}
	}
	return u, true
}
