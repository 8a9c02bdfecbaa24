package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// withToken runs call with the dialog token, the token service owners' endpoints take. When the
// target is on the Altinn platform (Correspondence and its attachments) and refuses the dialog
// token with 401 or 403, it runs call once more with an Altinn token exchanged from the user's
// ID-porten token (AUTH-AND-NEIGHBOURS.md §A.6, §C). Other hosts never see that token.
func (b *dialogBase) withToken(ctx context.Context, u *user, d *dpclient.Dialog, target string, call func(token string) error) error {
	err := call(d.DialogToken)
	var se *outbound.StatusError
	if err == nil || b.exch == nil || !strings.HasPrefix(target, b.platform) || !errors.As(err, &se) ||
		(se.StatusCode != http.StatusUnauthorized && se.StatusCode != http.StatusForbidden) {
		return err
	}
	tok, xerr := b.exch.ExchangeIDPortenToken(ctx, u.opts...)
	if xerr != nil {
		return errors.Join(err, xerr)
	}
	return call(tok)
}
