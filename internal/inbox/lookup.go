package inbox

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/innboks/innboks/dpclient"
)

// ErrBadReference: a deep link's instance reference is none of the forms Dialogporten knows.
var ErrBadReference = errors.New("inbox: not an instance reference")

// instanceRef is the three forms a deep link may name (ENDUSER-API.md §4.11): an app instance
// (party id / instance guid), a correspondence, a dialog.
var instanceRef = regexp.MustCompile(`^urn:altinn:(?:instance-id:[0-9]{1,12}/|correspondence-id:|dialog-id:)[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// Found is where a deep link leads: one of the user's dialogs, the party it belongs to, and why
// the user may see it (the access evidence Dialogporten gives with the lookup).
type Found struct {
	DialogID string
	Party    Party
	Evidence dpclient.AuthorizationEvidence
}

// Lookup resolves an instance reference (a notification's or another Altinn service's link to
// an app instance, a correspondence or a dialog) to one of the user's dialogs through
// Dialogporten's dialog lookup. A reference of no known form is ErrBadReference without a call;
// one that is unknown, not the user's or of a party outside their list is ErrNotFound (one
// answer for all, so references cannot be probed).
func (s *Dialogs) Lookup(ctx context.Context, u *User, ix *PartyIndex, ref string) (*Found, error) {
	ref = strings.TrimSpace(ref)
	if !instanceRef.MatchString(ref) {
		return nil, ErrBadReference
	}
	l, err := s.dp.DialogLookup(ctx, ref, u.opts()...)
	switch {
	case errors.Is(err, dpclient.ErrNotFound),
		errors.Is(err, dpclient.ErrForbidden) && !errors.Is(err, dpclient.ErrAuthLevelTooLow):
		return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
	case errors.Is(err, dpclient.ErrBadRequest):
		return nil, fmt.Errorf("%w: %w", ErrBadReference, err)
	case err != nil:
		return nil, err
	case !ValidID(l.DialogID):
		return nil, fmt.Errorf("%w: the lookup named no dialog", ErrNotFound)
	}
	p, ok := ix.ByURN(l.Party)
	if !ok || p.NoAccess {
		return nil, fmt.Errorf("%w: dialog of a party not in the user's list", ErrNotFound)
	}
	return &Found{DialogID: strings.ToLower(l.DialogID), Party: p, Evidence: l.AuthorizationEvidence}, nil
}
