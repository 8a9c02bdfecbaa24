package inbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/cache"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/richtext"
)

// DialogSource is what Dialogs needs of Dialogporten and the Altinn platform;
// *dpclient.Client satisfies it.
type DialogSource interface {
	GetDialog(ctx context.Context, id string, opts ...dpclient.CallOption) (*dpclient.Dialog, error)
	// DialogLookup resolves an instance reference (here urn:altinn:correspondence-id:…) to its
	// dialog: how a Correspondence URL is tied to the dialog that names it (corrguard.go).
	DialogLookup(ctx context.Context, instanceRef string, opts ...dpclient.CallOption) (*dpclient.DialogLookup, error)
	SetSystemLabels(ctx context.Context, dialogID string, req dpclient.SetSystemLabelsRequest, ifMatch string, opts ...dpclient.CallOption) (string, error)
	BulkSetSystemLabels(ctx context.Context, req dpclient.BulkSetSystemLabelsRequest, opts ...dpclient.CallOption) error
}

// TokenExchanger swaps the user's ID-porten token for an Altinn platform token;
// *dpclient.Client satisfies it.
type TokenExchanger interface {
	ExchangeIDPortenToken(ctx context.Context, opts ...dpclient.CallOption) (string, error)
}

// Outbound is the fenced HTTP client for service-owner URLs; *outbound.Client satisfies it.
type Outbound interface {
	Call(ctx context.Context, r outbound.Request) (*outbound.Response, error)
	Download(ctx context.Context, r outbound.Request) (*outbound.Download, error)
	Permits(method, rawURL string) error
}

// The errors Dialogs returns besides Dialogporten's own (dpclient.ErrGone, ErrUnauthorized, …).
var (
	// ErrNotFound: a dialog, transmission, action or attachment that is malformed, unknown or
	// not the user's. One answer for all, so ids cannot be probed.
	ErrNotFound = errors.New("inbox: not found")
	// ErrActionGone: a well-formed action id the user's own dialog no longer has (a double
	// submit after the service owner removed it). Nothing was called.
	ErrActionGone = errors.New("inbox: the action is no longer there")
	// ErrNotAuthorized: the dialog marks the action or attachment as not authorized.
	ErrNotAuthorized = errors.New("inbox: not authorized")
	// ErrExpired: the attachment has expired.
	ErrExpired = errors.New("inbox: expired")
	// ErrCorrespondenceMismatch: a dialog named a Correspondence URL whose correspondence is
	// not that dialog's. It wraps outbound.ErrURLRefused.
	ErrCorrespondenceMismatch = fmt.Errorf("%w: the correspondence does not belong to this dialog", outbound.ErrURLRefused)
)

// DialogsConfig is what Dialogs is built from.
type DialogsConfig struct {
	DP  DialogSource
	Out Outbound
	// Exchanger (optional) swaps the user's token for an Altinn token when a Correspondence URL
	// refuses the dialog token; the exchanged token is never sent anywhere else.
	Exchanger TokenExchanger
	// PlatformURL (optional) is the Altinn platform base: URLs under its correspondence/ are
	// Correspondence's, and a token goes to one only for the dialog's own correspondence.
	PlatformURL string
	// Limit bounds downloads and bulk changes per user; nil: no limit.
	Limit *Limiter
	// Renderer renders service-owner content; the one the handlers use too, so one bound on
	// concurrent renders covers both (richtext.New() when nil).
	Renderer *richtext.Renderer
	Logger   *slog.Logger
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Dialogs is what a person does with one dialog: load it, read its content, download its
// attachments, press its actions and file it (labels), always on fresh details.
type Dialogs struct {
	dp       DialogSource
	out      Outbound
	exch     TokenExchanger
	platform *platform // nil: no Altinn platform configured
	corr     *cache.Cache[string]
	rt       [4]*richtext.Renderer // by heading offset, sharing one bound on concurrent renders
	rendered *cache.Cache[richtext.Result]
	early    *cache.Cache[*dpclient.Dialog] // fetched on the press of a link, for its click (Load)
	limit    *Limiter
	logger   *slog.Logger
	now      func() time.Time
}

// NewDialogs returns the dialog service.
func NewDialogs(cfg DialogsConfig) *Dialogs {
	s := &Dialogs{dp: cfg.DP, out: cfg.Out, exch: cfg.Exchanger, limit: cfg.Limit, logger: cfg.Logger, now: cfg.Now,
		corr:     cache.New[string](corrFactsTTL, corrFactsMax),
		rendered: cache.New[richtext.Result](10*time.Minute, 2_000),
		early:    cache.New[*dpclient.Dialog](5*time.Second, 1_000)}
	rt := cfg.Renderer
	if rt == nil {
		rt = richtext.New()
	}
	for i := range s.rt {
		s.rt[i] = rt.HeadingOffset(i)
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if cfg.PlatformURL != "" {
		s.platform = newPlatform(cfg.PlatformURL)
	}
	return s
}

// ValidID reports whether s is a UUID in its canonical 36-character form (dialog, action,
// attachment and URL ids all are).
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// Load fetches dialog id for the user: fresh from Dialogporten (so the dialog token and every
// isAuthorized flag are current) and only when it belongs to one of the user's parties. A
// malformed id, an unknown dialog and another person's dialog all answer ErrNotFound. A fetch
// the press of the dialog's link started (Prefetch) is joined, or taken if it answered in the
// last few seconds; either way once.
func (s *Dialogs) Load(ctx context.Context, u *User, ix *PartyIndex, id string) (*dpclient.Dialog, error) {
	key := u.Key + "/" + strings.ToLower(id)
	defer s.early.Delete(key)
	return s.early.Get(ctx, key, func(ctx context.Context) (*dpclient.Dialog, error) { return s.fetch(ctx, u, ix, id) })
}

// Prefetch fetches dialog id as the press of its link begins (htmx's preload), so that the
// Load of the click, a tenth of a second later, does not wait for Dialogporten again.
func (s *Dialogs) Prefetch(ctx context.Context, u *User, ix *PartyIndex, id string) error {
	_, err := s.early.Get(ctx, u.Key+"/"+strings.ToLower(id), func(ctx context.Context) (*dpclient.Dialog, error) { return s.fetch(ctx, u, ix, id) })
	return err
}

func (s *Dialogs) fetch(ctx context.Context, u *User, ix *PartyIndex, id string) (*dpclient.Dialog, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("%w: malformed dialog id", ErrNotFound)
	}
	d, err := s.dp.GetDialog(ctx, id, u.opts()...)
	switch {
	case errors.Is(err, dpclient.ErrNotFound),
		errors.Is(err, dpclient.ErrForbidden) && !errors.Is(err, dpclient.ErrAuthLevelTooLow):
		// Dialogporten says 403 for a dialog that exists but is not the user's, 404 for one
		// that does not: the same answer for both, so dialog ids cannot be probed.
		return nil, fmt.Errorf("%w: %w", ErrNotFound, err)
	case err != nil:
		return nil, err
	case d.ID != "" && !strings.EqualFold(d.ID, id):
		return nil, fmt.Errorf("%w: upstream answered with another dialog", ErrNotFound)
	}
	if _, ok := ix.ByURN(d.Party); !ok {
		// Dialogporten already decides access; this second check keeps a dialog of a party the
		// user did not get in their party list (stale cache, upstream mistake) off the page and
		// away from the proxy.
		return nil, fmt.Errorf("%w: dialog of a party not in the user's list", ErrNotFound)
	}
	return d, nil
}

// Permits reports whether the portal would call rawURL with method for the user (nil), or why
// not: the outbound fence's rule (https only, the host allow-list, the methods), decided without
// a call. The dialog page draws what it refuses as disabled with the reason; the click path
// applies the same rule again.
func (s *Dialogs) Permits(method, rawURL string) error { return s.out.Permits(method, rawURL) }
