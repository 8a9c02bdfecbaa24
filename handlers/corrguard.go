package handlers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// errCorrespondenceMismatch: a dialog named a Correspondence URL whose correspondence is not
// that dialog's. It wraps outbound.ErrURLRefused, so it is shown as any refused URL is (no
// retry).
var errCorrespondenceMismatch = fmt.Errorf("%w: the correspondence does not belong to this dialog", outbound.ErrURLRefused)

// Correspondence accepts a dialog token whatever dialog it was issued for, as long as its `a`
// claim holds read and the person in it may read the correspondence (altinn-correspondence
// asks Altinn Authorization about the correspondence's own resource and recipient), and the
// exchanged Altinn token opens every correspondence the person may read. So a dialog whose
// content, attachment or action URL names another correspondence would make Innboks read,
// mark as read, confirm or purge that one in the user's name: one service owner acting on
// another's message. Before any call with a credential to a Correspondence URL, Innboks asks
// Dialogporten which dialog that correspondence is (GET /enduser/dialoglookup with
// urn:altinn:correspondence-id:{id}) and goes on only when it is the dialog at hand. The
// answer is a fact about the correspondence, cached for corrFactsTTL.
const (
	corrFactsTTL  = 10 * time.Minute
	corrFactsMax  = 10_000
	corrPathStart = "correspondence/api/v1/correspondence/"
)

// corrDialog is the dialog one correspondence belongs to, as Dialogporten said at a time.
type corrDialog struct {
	dialogID string // "" when Dialogporten knows no dialog for it (404)
	at       time.Time
}

// corrCache remembers corrDialog by correspondence id; safe for concurrent use.
type corrCache struct {
	mu sync.Mutex
	m  map[string]corrDialog
}

func (c *corrCache) get(id string, now time.Time) (corrDialog, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.m[id]
	if !ok || now.Sub(f.at) > corrFactsTTL {
		return corrDialog{}, false
	}
	return f, true
}

func (c *corrCache) put(id string, f corrDialog) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= corrFactsMax {
		c.m = make(map[string]corrDialog) // crude but bounded: a fact is one cheap call to learn again
	}
	c.m[id] = f
}

// correspondenceID returns the correspondence id in a URL under the platform's Correspondence
// API ("{platform}correspondence/api/v1/correspondence/{id}/…") and whether target is under
// Correspondence at all. Under it without a well-formed id, or with a path a server could
// resolve to another one (dot segments, backslashes, encoded slashes), is ("", true).
func (b *dialogBase) correspondenceID(target string) (string, bool) {
	u, under := b.correspondenceURL(target)
	if !under {
		return "", false
	}
	if u == nil || u.RawPath != "" {
		return "", true
	}
	rest, ok := strings.CutPrefix(u.Path, b.corrPath)
	if !ok || b.corrPath == "" {
		return "", true
	}
	id, _, _ := strings.Cut(rest, "/")
	if !validID(id) {
		return "", true
	}
	return strings.ToLower(id), true
}

// checkCorrespondence refuses a call to a Correspondence URL unless Dialogporten says the
// correspondence it names is t's dialog (see corrFactsTTL's comment). Other URLs pass.
func (b *dialogBase) checkCorrespondence(ctx context.Context, t *dialogTokens, target string) error {
	id, isCorr := b.correspondenceID(target)
	if !isCorr {
		return nil
	}
	if id == "" {
		return fmt.Errorf("%w: a Correspondence URL without a correspondence id", outbound.ErrURLRefused)
	}
	f, ok := b.corr.get(id, b.now())
	if !ok {
		l, err := b.dp.DialogLookup(ctx, "urn:altinn:correspondence-id:"+id, t.u.opts...)
		switch {
		case err == nil:
			f = corrDialog{dialogID: strings.ToLower(l.DialogID), at: b.now()}
		case errors.Is(err, dpclient.ErrNotFound), errors.Is(err, dpclient.ErrGone), errors.Is(err, dpclient.ErrBadRequest):
			f = corrDialog{at: b.now()} // no dialog has it
		case errors.Is(err, dpclient.ErrForbidden), errors.Is(err, dpclient.ErrAuthLevelTooLow):
			return errCorrespondenceMismatch // the user may not see the correspondence's dialog
		default:
			return fmt.Errorf("dialog lookup for a correspondence: %w", err)
		}
		b.corr.put(id, f)
	}
	if f.dialogID == "" || f.dialogID != strings.ToLower(t.d.ID) {
		// A service owner's dialog pointing at someone else's message is worth a look.
		b.logger.LogAttrs(ctx, slog.LevelWarn, "refused a Correspondence URL of another dialog",
			slog.String("dialog", t.d.ID), slog.String("org", t.d.Org), slog.String("correspondence", id),
			slog.String("its_dialog", f.dialogID))
		return errCorrespondenceMismatch
	}
	return nil
}
