package inbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// withToken runs call with the dialog token, the token service owners' endpoints take, and a
// guard the outbound client applies to every URL it sends to (the first and each redirect): a
// redirect may not lead anywhere the first URL's check would not have allowed. When the target
// is the dialog's own correspondence (checkTarget) and refuses the dialog token with 401 or 403,
// call runs once more with an Altinn token exchanged from the user's ID-porten token
// (AUTH-AND-NEIGHBOURS.md §A.6, §C). Other URLs never see that token: it is the user's key to
// every platform API, and the URL comes from a service owner.
func (s *Dialogs) withToken(ctx context.Context, u *User, d *dpclient.Dialog, raw string, call func(token string, guard func(*url.URL) error) error) error {
	pu, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%w: unparsable URL", outbound.ErrURLRefused)
	}
	t, err := s.checkTarget(ctx, u, d, pu)
	if err != nil {
		return err
	}
	guard := func(next *url.URL) error {
		nt, err := s.checkTarget(ctx, u, d, next)
		if err != nil {
			return err
		}
		if nt != t {
			return fmt.Errorf("%w: a redirect to another kind of platform URL", outbound.ErrRedirectRefused)
		}
		return nil
	}
	err = call(d.DialogToken, guard)
	var se *outbound.StatusError
	if err == nil || t.corrID == "" || s.exch == nil || !errors.As(err, &se) ||
		(se.StatusCode != http.StatusUnauthorized && se.StatusCode != http.StatusForbidden) {
		return err
	}
	altinn, xerr := s.exch.ExchangeIDPortenToken(ctx, u.opts()...)
	if xerr != nil {
		return errors.Join(err, xerr)
	}
	return call(altinn, guard)
}
