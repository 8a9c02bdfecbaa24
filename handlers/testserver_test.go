package handlers

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
)

// DialogDeps (tests) are the fakes the dialog routes run over: Dialogporten's dialog endpoints,
// the outbound client and the token exchange. The service layer itself is the real one
// (internal/inbox), so these handler tests go through it to the fakes without a network.
type DialogDeps struct {
	Auth        *fakeAuth // unused: the server's own fake session
	DP          dialogFake
	Out         inbox.Outbound
	Exchanger   inbox.TokenExchanger
	PlatformURL string
}

// dialogFake is Dialogporten's dialog endpoints as the fakes have them.
type dialogFake interface {
	GetDialog(ctx context.Context, id string, opts ...dpclient.CallOption) (*dpclient.Dialog, error)
	DialogLookup(ctx context.Context, instanceRef string, opts ...dpclient.CallOption) (*dpclient.DialogLookup, error)
	SetSystemLabels(ctx context.Context, dialogID string, req dpclient.SetSystemLabelsRequest, ifMatch string, opts ...dpclient.CallOption) (string, error)
}

// dialogsAndBulk is a dialogFake with the bulk endpoint of the list's fake.
type dialogsAndBulk struct {
	dialogFake
	bulk *fakeDP
}

func (d dialogsAndBulk) BulkSetSystemLabels(ctx context.Context, req dpclient.BulkSetSystemLabelsRequest, opts ...dpclient.CallOption) error {
	return d.bulk.BulkSetSystemLabels(ctx, req, opts...)
}

// noDialogs answers every dialog 404 (servers built without dialog fakes).
type noDialogs struct{}

func (noDialogs) GetDialog(context.Context, string, ...dpclient.CallOption) (*dpclient.Dialog, error) {
	return nil, &dpclient.Error{StatusCode: http.StatusNotFound}
}
func (noDialogs) DialogLookup(context.Context, string, ...dpclient.CallOption) (*dpclient.DialogLookup, error) {
	return nil, &dpclient.Error{StatusCode: http.StatusNotFound}
}
func (noDialogs) SetSystemLabels(context.Context, string, dpclient.SetSystemLabelsRequest, string, ...dpclient.CallOption) (string, error) {
	return "", &dpclient.Error{StatusCode: http.StatusNotFound}
}

// newTestServer builds the handlers as app.New does, over fakes of the service interfaces
// (services_test.go) scripted by dp; with dd, the dialog routes run over the real dialog service
// (internal/inbox) on dd's fakes of Dialogporten and the service owner.
func newTestServer(cfg Config, a *fakeAuth, dp *fakeDP, dd ...DialogDeps) *Server {
	return newLoggingServer(cfg, a, dp, nil, dd...)
}

// newLoggingServer is newTestServer logging to logger (nil: nowhere).
func newLoggingServer(cfg Config, a *fakeAuth, dp *fakeDP, logger *slog.Logger, dd ...DialogDeps) *Server {
	var dialogs DialogService = stubDialogs{}
	if len(dd) > 0 {
		dialogs = realDialogs(dd[0], dp, logger)
	}
	return New(Deps{
		Config:   cfg,
		Login:    a.routes(),
		Sessions: a,
		Parties:  dp.partyService(),
		Search:   dp.searchService(),
		Dialogs:  withBulk{dialogs, &dp.bulk},
		Logger:   logger,
	})
}

// realDialogs is the dialog service of internal/inbox over the dialog fakes d.
func realDialogs(d DialogDeps, dp *fakeDP, logger *slog.Logger) *inbox.Dialogs {
	out := d.Out
	if out == nil {
		out = outbound.New(outbound.Config{})
	}
	return inbox.NewDialogs(inbox.DialogsConfig{DP: dialogsAndBulk{d.DP, dp}, Out: out,
		Exchanger: d.Exchanger, PlatformURL: d.PlatformURL, Limit: inbox.NewLimiter(4), Logger: logger})
}

// routes are the fake's login routes.
func (a *fakeAuth) routes() LoginRoutes {
	return LoginRoutes{Login: a.Login, StepUp: a.StepUp, Callback: a.Callback, Logout: a.Logout,
		FrontChannelLogout: a.FrontChannelLogout, Require: a.Require, Optional: a.Optional}
}

// mount rebuilds the harness's server with the dialog fakes dd.
func (h *harness) mount(dd DialogDeps) {
	h.dd = dd
	h.srv = newTestServer(h.cfg, h.auth, h.dp, dd)
}

// Names the tests used before the service layer took them over.
const (
	AllOrgs             = inbox.AllOrgs
	AllPersons          = inbox.AllPersons
	maxBulk             = 100
	maxPartiesPerSearch = inbox.MaxPartiesPerSearch
)

var NewPartyIndex = inbox.NewPartyIndex

func manyParties(n int) *dpclient.PartiesResult { return dpclienttest.ManyParties(n) }
