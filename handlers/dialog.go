package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/richtext"
	"github.com/innboks/innboks/views"
)

// DialogReader is what the dialog page and the action proxy need from dpclient: the details,
// with a fresh dialog token and fresh authorization, on every call.
type DialogReader interface {
	GetDialog(ctx context.Context, id string, opts ...dpclient.CallOption) (*dpclient.Dialog, error)
	// DialogLookup resolves an instance reference (here urn:altinn:correspondence-id:…) to
	// its dialog: how a Correspondence URL is tied to the dialog that names it (corrguard.go).
	DialogLookup(ctx context.Context, instanceRef string, opts ...dpclient.CallOption) (*dpclient.DialogLookup, error)
}

// DialogLabeler changes one dialog's system labels (If-Match on the end-user context revision).
type DialogLabeler interface {
	SetSystemLabels(ctx context.Context, dialogID string, req dpclient.SetSystemLabelsRequest, ifMatch string, opts ...dpclient.CallOption) (string, error)
}

// DialogSource is DialogReader and DialogLabeler; *dpclient.Client satisfies it.
type DialogSource interface {
	DialogReader
	DialogLabeler
}

// Outbound is the fenced HTTP client for service-owner URLs; *outbound.Client satisfies it.
type Outbound interface {
	Fetch(ctx context.Context, url, token, acceptLanguage string) (*outbound.Response, error)
	Call(ctx context.Context, r outbound.Request) (*outbound.Response, error)
	Download(ctx context.Context, r outbound.Request) (*outbound.Download, error)
	Check(raw string) (*url.URL, error)
}

var (
	_ DialogSource = (*dpclient.Client)(nil)
	_ Outbound     = (*outbound.Client)(nil)
)

// TokenExchanger swaps the user's ID-porten token for an Altinn platform token;
// *dpclient.Client satisfies it.
type TokenExchanger interface {
	ExchangeIDPortenToken(ctx context.Context, opts ...dpclient.CallOption) (string, error)
}

// DialogDeps is what the dialog page, the action proxy and the attachment downloads are built
// from.
type DialogDeps struct {
	Auth    Auth
	Parties *PartyCache // Server.MountDialogs fills in the server's own
	DP      DialogSource
	Out     Outbound
	Logger  *slog.Logger
	// PlatformURL (optional) is the Altinn platform base: URLs under its correspondence/ are
	// Correspondence's, and a token goes to one only for the dialog's own correspondence
	// (corrguard.go). With an Exchanger too, when such a URL refuses the dialog token with
	// 401/403, the call is made once more with an Altinn token exchanged from the user's
	// ID-porten token; the exchanged token is never sent anywhere else.
	Exchanger   TokenExchanger
	PlatformURL string
}

// dialogBase is shared by Dialog, Proxy and Attachments: loading a dialog safely, presenting it.
type dialogBase struct {
	base
	dp   DialogSource
	out  Outbound
	exch TokenExchanger
	// platform is the Altinn platform base ("https://platform.altinn.no/"), "" when not
	// configured (then no URL is known to be Correspondence's and nothing is exchanged).
	platform string
	// corrPath is the path Correspondence's recipient API has under platform
	// ("/correspondence/api/v1/correspondence/" below a platform at the host's root).
	corrPath string
	corr     *corrCache            // what Correspondence said about its correspondences (corrguard.go)
	rt       [4]*richtext.Renderer // by heading offset: content under an h1, h2 or h3
	loc      *time.Location
	now      func() time.Time
	logger   *slog.Logger
}

func newDialogBase(d DialogDeps) dialogBase {
	logger := d.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	platform, corrPath := "", ""
	if d.PlatformURL != "" {
		platform = strings.TrimSuffix(d.PlatformURL, "/") + "/"
		if u, err := url.Parse(platform); err == nil {
			corrPath = u.Path + corrPathStart
		}
	}
	return dialogBase{
		base: base{auth: d.Auth, parties: d.Parties}, dp: d.DP, out: d.Out, exch: d.Exchanger, platform: platform, corrPath: corrPath, corr: &corrCache{},
		rt: [4]*richtext.Renderer{richtext.New(richtext.WithHeadingOffset(0)), richtext.New(),
			richtext.New(richtext.WithHeadingOffset(2)), richtext.New(richtext.WithHeadingOffset(3))},
		loc: norwegianTime(), now: time.Now, logger: logger,
	}
}

// errNoDialog is what any malformed, unknown or foreign id ends in: the same 404 whatever the
// reason, so ids cannot be probed.
func errNoDialog(msg string) error {
	return &Error{Status: http.StatusNotFound, Kind: views.ErrNotFound, Msg: msg}
}

// validID reports whether s is a UUID in its canonical 36-character form (dialog, action,
// attachment and URL ids all are).
func validID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// load fetches the dialog named by the route's :id for the logged-in user: fresh from
// Dialogporten (so the dialog token and every isAuthorized flag are current) and only when it
// belongs to one of the user's parties.
func (b *dialogBase) load(c echo.Context) (*user, *dpclient.Dialog, error) {
	id := c.Param("id")
	if !validID(id) {
		return nil, nil, errNoDialog("malformed dialog id")
	}
	u, err := b.userFrom(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := b.dp.GetDialog(c.Request().Context(), id, u.opts...)
	if err != nil {
		return nil, nil, err
	}
	if d.ID != "" && d.ID != id {
		return nil, nil, errNoDialog("upstream answered with another dialog")
	}
	if _, ok := u.parties.ByURN(d.Party); !ok {
		// Dialogporten already decides access; this second check keeps a dialog of a party the
		// user did not get in their party list (stale cache, upstream mistake) off the page and
		// away from the proxy.
		return nil, nil, &Error{Status: http.StatusForbidden, Kind: views.ErrForbidden, Msg: "dialog of a party not in the user's list"}
	}
	return u, d, nil
}

// dialogURL is the dialog page, with an optional notice to show.
func dialogURL(id, done string) string {
	if done == "" {
		return "/dialogs/" + id
	}
	return "/dialogs/" + id + "?done=" + url.QueryEscape(done)
}

// redirectAfterPost sends the browser on after a state change: 303 for plain forms and for
// htmx-boosted forms that return to the dialog (the XHR follows it and htmx swaps in the page).
// Anywhere else (the inbox, a service owner) an XHR must not follow, since those answer htmx
// with fragments or live on another origin: htmx is told to navigate with HX-Redirect instead.
func redirectAfterPost(c echo.Context, target string) error {
	if isHTMX(c.Request()) && !strings.HasPrefix(target, "/dialogs/") {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// Dialog is one dialog's page: details, its content and label changes.
type Dialog struct {
	dialogBase
	live *Live // tells the page when the dialog changes; nil: nothing
}

// NewDialog returns the dialog page handler.
func NewDialog(d DialogDeps) *Dialog { return &Dialog{dialogBase: newDialogBase(d)} }

// Show handles GET /dialogs/:id: the whole page (also for htmx-boosted navigation, which swaps
// the body). ?done= names what just happened, for the notice.
func (h *Dialog) Show(c echo.Context) error {
	u, d, err := h.load(c)
	if err != nil {
		return err
	}
	p := h.present(c, u, d)
	p.Notice, p.NoticeColor = doneNotice(u, c.QueryParam("done"))
	p.Live = h.live.Props("", "", p.ID)
	ch := h.chrome(c, u, p.Header.Title)
	return render(c, http.StatusOK, views.DialogPage(ch, p))
}
