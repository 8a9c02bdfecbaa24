package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// Correspondence accepts a dialog token whatever dialog it was issued for, as long as its `a`
// claim holds read and the person in it may read the correspondence, and the exchanged Altinn
// token opens every correspondence the person may read. So a dialog whose content, attachment
// or action URL names another correspondence would make Innboks read, mark as read, confirm or
// purge that one in the user's name: one service owner acting on another's message. Before any
// call with a credential to a Correspondence URL, Innboks asks Dialogporten which dialog that
// correspondence is (GET /enduser/dialoglookup with urn:altinn:correspondence-id:{id}) and goes
// on only when it is the dialog at hand. A found answer is a fact about the correspondence,
// cached for corrFactsTTL for everyone; a "not found" may depend on who asks and is not cached.
//
// Whether a URL is Correspondence's is decided on the parsed URL as it will be sent, not its
// spelling: the platform is recognised by its canonical origin (lower-case host, no trailing
// dot, no default port) and the path is decoded with its dot segments resolved and compared
// case-insensitively; anything that cannot be read so (an encoded slash, a backslash) gets no
// token. The same check runs again on every redirect the call follows.
const (
	corrFactsTTL  = 10 * time.Minute
	corrFactsMax  = 10_000
	corrPathStart = "correspondence/api/v1/correspondence/"
)

// platform is the Altinn platform as the guard compares it.
type platform struct {
	origin   string // canonical origin
	prefix   string // canonical path of the platform's root, ending in "/"
	corrPath string // lower-cased canonical path of Correspondence's recipient API
}

func newPlatform(raw string) *platform {
	u, err := url.Parse(strings.TrimSuffix(raw, "/") + "/")
	if err != nil {
		return nil
	}
	p, err := outbound.CanonicalPath(u)
	if err != nil {
		return nil
	}
	p = strings.TrimSuffix(p, "/") + "/"
	return &platform{origin: outbound.CanonicalOrigin(u), prefix: p, corrPath: strings.ToLower(p + corrPathStart)}
}

// target is what the guard decided about one URL.
type target struct {
	platform bool   // on the Altinn platform
	corrID   string // the correspondence it names, "" when it is no Correspondence URL
}

// classify reads u: on the platform or not, and which correspondence it names. An error means
// the URL is on the platform but cannot be read safely, or names no well-formed correspondence.
func (p *platform) classify(u *url.URL) (target, error) {
	if p == nil || outbound.CanonicalOrigin(u) != p.origin {
		return target{}, nil
	}
	path, err := outbound.CanonicalPath(u)
	if err != nil {
		return target{platform: true}, fmt.Errorf("%w: an ambiguous platform URL", outbound.ErrURLRefused)
	}
	lp := strings.ToLower(path)
	if !strings.HasPrefix(lp+"/", strings.ToLower(p.prefix)+"correspondence/") {
		return target{platform: true}, nil
	}
	rest, ok := strings.CutPrefix(lp, p.corrPath)
	if !ok {
		return target{platform: true}, fmt.Errorf("%w: a Correspondence URL without a correspondence id", outbound.ErrURLRefused)
	}
	id, _, _ := strings.Cut(rest, "/")
	if !ValidID(id) {
		return target{platform: true}, fmt.Errorf("%w: a Correspondence URL without a correspondence id", outbound.ErrURLRefused)
	}
	return target{platform: true, corrID: id}, nil
}

// checkTarget decides what may go to raw for dialog d: nil when the dialog token may (and, for
// the dialog's own correspondence, the exchanged token too), an error (wrapping
// outbound.ErrURLRefused) when no credential may.
func (s *Dialogs) checkTarget(ctx context.Context, u *User, d *dpclient.Dialog, raw *url.URL) (target, error) {
	t, err := s.platform.classify(raw)
	if err != nil || t.corrID == "" {
		return t, err
	}
	dialogID, found := s.corr.Peek(t.corrID)
	if !found {
		l, err := s.dp.DialogLookup(ctx, "urn:altinn:correspondence-id:"+t.corrID, u.opts()...)
		switch {
		case err == nil:
			dialogID = strings.ToLower(l.DialogID)
			s.corr.Put(t.corrID, dialogID)
		case errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone), errors.Is(err, dpclient.ErrBadRequest),
			errors.Is(err, dpclient.ErrForbidden), errors.Is(err, dpclient.ErrAuthLevelTooLow):
			dialogID = "" // no dialog of this user's has it
		default:
			return t, fmt.Errorf("dialog lookup for a correspondence: %w", err)
		}
	}
	if dialogID == "" || dialogID != strings.ToLower(d.ID) {
		// A service owner's dialog pointing at someone else's message is worth a look.
		s.logger.LogAttrs(ctx, slog.LevelWarn, "refused a Correspondence URL of another dialog",
			slog.String("dialog", d.ID), slog.String("org", d.Org), slog.String("correspondence", t.corrID),
			slog.String("its_dialog", dialogID))
		return t, ErrCorrespondenceMismatch
	}
	return t, nil
}
