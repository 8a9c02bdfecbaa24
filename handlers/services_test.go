package handlers

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/internal/richtext"
)

// The handler tests run over these hand-written fakes of the service interfaces the handlers
// declare (PartyService, SearchService, BulkLabeler), scripted by the harness's data (fakeDP):
// no batching, merging, caching or splitting happens here. That is internal/inbox's work, and
// its tests assert it; wiring_test.go runs a few routes over the real service layer.

// fakeParties is PartyService: the harness's parties (dp.parties, dp.partiesErr), indexed once
// per session, as the service keeps them (dp.partyCalls counts the indexings).
type fakeParties struct {
	dp     *fakeDP
	mu     sync.Mutex
	cached map[string]*inbox.PartyIndex
}

func newFakeParties(dp *fakeDP) *fakeParties {
	return &fakeParties{dp: dp, cached: map[string]*inbox.PartyIndex{}}
}

func (f *fakeParties) Get(ctx context.Context, u *inbox.User) (*inbox.PartyIndex, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ix, ok := f.cached[u.Key]; ok {
		return ix, nil
	}
	res, err := f.dp.GetParties(ctx)
	if err != nil {
		return nil, err
	}
	ix := inbox.NewPartyIndex(res)
	f.cached[u.Key] = ix
	return ix, nil
}

func (f *fakeParties) Cached(key string) (*inbox.PartyIndex, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ix, ok := f.cached[key]
	return ix, ok
}

// fakeSearch is SearchService: every Dialogs call is one answer of dp.search, asked with the
// parties and cursor of the call (recorded in dp.searches); Facets answers dp.facets (nil: no
// choices), or fails with dp.facetsErr.
type fakeSearch struct{ dp *fakeDP }

func (f fakeSearch) Dialogs(ctx context.Context, u *inbox.User, parties []string, p dpclient.SearchParams, cursor string) (*inbox.Page, error) {
	p.Party, p.ContinuationToken = slices.Clone(parties), cursor
	res, err := f.dp.SearchDialogs(ctx, &p)
	if err != nil {
		return nil, err
	}
	page := &inbox.Page{Items: res.Items, Batches: 1, Parties: len(parties)}
	if res.HasNextPage {
		page.Cursor = res.ContinuationToken
	}
	return page, nil
}

func (f fakeSearch) Facets(ctx context.Context, u *inbox.User, scope string, parties []string) (*inbox.Facets, error) {
	f.dp.mu.Lock()
	defer f.dp.mu.Unlock()
	if f.dp.facetsErr != nil {
		return nil, f.dp.facetsErr
	}
	if f.dp.facets == nil {
		return &inbox.Facets{}, nil
	}
	return f.dp.facets, nil
}

func (dp *fakeDP) partyService() *fakeParties { return newFakeParties(dp) }

func (dp *fakeDP) searchService() fakeSearch { return fakeSearch{dp} }

// bulkCall is one BulkLabel call.
type bulkCall struct {
	ids   []string
	label dpclient.SystemLabel
}

// fakeBulk is BulkLabeler: it records every call and answers with fail (nil: all done).
type fakeBulk struct {
	mu    sync.Mutex
	calls []bulkCall
	fail  func(ids []string) (map[string]error, error)
}

func (f *fakeBulk) BulkLabel(ctx context.Context, u *inbox.User, ids []string, label dpclient.SystemLabel) (map[string]error, error) {
	f.mu.Lock()
	f.calls = append(f.calls, bulkCall{ids: slices.Clone(ids), label: label})
	fail := f.fail
	f.mu.Unlock()
	if fail == nil {
		return map[string]error{}, nil
	}
	return fail(ids)
}

func (f *fakeBulk) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// withBulk is a DialogService whose BulkLabel is the fake's.
type withBulk struct {
	DialogService
	bulk *fakeBulk
}

func (d withBulk) BulkLabel(ctx context.Context, u *inbox.User, ids []string, label dpclient.SystemLabel) (map[string]error, error) {
	return d.bulk.BulkLabel(ctx, u, ids, label)
}

// stubDialogs is the DialogService of a server without dialogs: every dialog is unknown.
type stubDialogs struct{}

func (stubDialogs) Load(context.Context, *inbox.User, *inbox.PartyIndex, string) (*dpclient.Dialog, error) {
	return nil, inbox.ErrNotFound
}
func (stubDialogs) Prefetch(context.Context, *inbox.User, *inbox.PartyIndex, string) error {
	return inbox.ErrNotFound
}
func (stubDialogs) Content(context.Context, *inbox.User, *dpclient.Dialog, *dpclient.ContentValue, bool, int) (richtext.Result, error) {
	return richtext.Result{}, inbox.ErrNotFound
}
func (stubDialogs) SetLabel(context.Context, *inbox.User, string, dpclient.SystemLabel, string) error {
	return inbox.ErrNotFound
}
func (stubDialogs) EmbedRefusal(*dpclient.ContentValue, bool, string) error {
	return inbox.ErrNotOffered
}
func (stubDialogs) GUIActionRefusal(*dpclient.GuiAction) error { return inbox.ErrNotOffered }
func (stubDialogs) APIActionRefusal(dpclient.APIAction) error  { return inbox.ErrNotOffered }
func (stubDialogs) LinkRefusal(string, *time.Time) error       { return inbox.ErrNotOffered }
func (stubDialogs) GUIAction(*dpclient.Dialog, string) (*dpclient.GuiAction, error) {
	return nil, inbox.ErrActionGone
}
func (stubDialogs) Act(context.Context, *inbox.User, *dpclient.Dialog, *dpclient.GuiAction) (*inbox.ActResult, error) {
	return nil, inbox.ErrNotOffered
}
func (stubDialogs) APIAct(context.Context, *inbox.User, *dpclient.Dialog, string) error {
	return inbox.ErrNotOffered
}
func (stubDialogs) Download(context.Context, *inbox.User, *dpclient.Dialog, string, string) (*inbox.Attachment, error) {
	return nil, inbox.ErrNotFound
}
func (stubDialogs) BulkLabel(context.Context, *inbox.User, []string, dpclient.SystemLabel) (map[string]error, error) {
	return nil, inbox.ErrNotFound
}
func (stubDialogs) WatchTokens(context.Context, *inbox.User, *inbox.PartyIndex, string) (inbox.DialogTokenSource, error) {
	return nil, inbox.ErrNotFound
}
func (stubDialogs) Lookup(context.Context, *inbox.User, *inbox.PartyIndex, string) (*inbox.Found, error) {
	return nil, inbox.ErrNotFound
}

// fakeDialogService is DialogService for the dialog page: it loads the user's dialogs from
// dialogs (any other id is inbox.ErrNotFound, as the service answers for a dialog that is not
// the user's; err, when set, is every load's answer) and counts the loads. What is offered on
// the page is decided by the service's own rules (inbox.Dialogs' pure decisions, which make no
// call); every method that would call out is the fake's.
type fakeDialogService struct {
	*inbox.Dialogs // the rules (EmbedRefusal, …, GUIAction): no calls
	mu             sync.Mutex
	dialogs        map[string]*dpclient.Dialog
	err            error
	gets           int
	prefetches     int
	acts           []string
	labels         []setLabelCall
	labelErr       error
	contents       []contentCall
	contentErr     error
}

func (f *fakeDialogService) Prefetch(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) error {
	f.mu.Lock()
	f.prefetches++
	f.mu.Unlock()
	_, err := f.Load(ctx, u, ix, id)
	return err
}

func (f *fakeDialogService) Load(ctx context.Context, u *inbox.User, ix *inbox.PartyIndex, id string) (*dpclient.Dialog, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.err != nil {
		return nil, f.err
	}
	d, ok := f.dialogs[id]
	if !ok {
		return nil, inbox.ErrNotFound
	}
	cp := *d
	return &cp, nil
}

// contentCall is one Content call.
type contentCall struct {
	lang, url     string
	headingOffset int
}

// fxContentHTML is what the fake's Content renders, its h1 demoted by the heading offset as the
// service does (the service renders the embed: inbox's TestDialogsContent).
func fxContentHTML(headingOffset int) template.HTML {
	return template.HTML(fmt.Sprintf(`<h%[1]d>Hei</h%[1]d><p>Dette er <em>innholdet</em>.</p>`, 1+headingOffset))
}

// Content fetches an embed: inbox.ErrNotAuthorized for one that is not authorized (the service
// makes no call for it), contentErr when set, else fxContentHTML. Calls are recorded.
func (f *fakeDialogService) Content(_ context.Context, u *inbox.User, _ *dpclient.Dialog, ref *dpclient.ContentValue, authorized bool, headingOffset int) (richtext.Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !authorized {
		return richtext.Result{}, inbox.ErrNotAuthorized
	}
	f.contents = append(f.contents, contentCall{lang: u.Lang, url: ref.Value.Best(u.Lang), headingOffset: headingOffset})
	if f.contentErr != nil {
		return richtext.Result{}, f.contentErr
	}
	return richtext.Result{HTML: fxContentHTML(headingOffset)}, nil
}

func (f *fakeDialogService) contentCalls() []contentCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.contents)
}

// setLabelCall is one SetLabel call.
type setLabelCall struct {
	id, revision string
	label        dpclient.SystemLabel
}

func (f *fakeDialogService) SetLabel(_ context.Context, _ *inbox.User, id string, label dpclient.SystemLabel, revision string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.labels = append(f.labels, setLabelCall{id, revision, label})
	return f.labelErr
}

// Act carries out a GUI action: actAnswers[id] when scripted (fxActGet navigates, fxActAsync is
// accepted, fxActDown fails as a service owner that is down), else done. Done ones are recorded.
func (f *fakeDialogService) Act(_ context.Context, _ *inbox.User, d *dpclient.Dialog, a *dpclient.GuiAction) (*inbox.ActResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	res, err := &inbox.ActResult{}, error(nil)
	switch a.ID {
	case fxActGet:
		res.Navigate = a.URL
	case fxActAsync:
		res.Accepted = true
	case fxActDown:
		return nil, &outbound.StatusError{StatusCode: http.StatusServiceUnavailable}
	}
	f.acts = append(f.acts, d.ID+"/"+a.ID)
	return res, err
}

// APIAct runs an API action of d: one d does not have is inbox.ErrActionGone, the ones the
// service does not offer (download, purge) inbox.ErrNotOffered; done ones are recorded.
func (f *fakeDialogService) APIAct(_ context.Context, _ *inbox.User, d *dpclient.Dialog, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.ContainsFunc(d.APIActions, func(a dpclient.APIAction) bool { return a.ID == id }) {
		return inbox.ErrActionGone
	}
	if id == fxAPIDownload || id == fxAPIPurge {
		return inbox.ErrNotOffered
	}
	f.acts = append(f.acts, d.ID+"/"+id)
	return nil
}

// done is what the fake carried out: "dialog/action" for every action done.
func (f *fakeDialogService) done() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.acts)
}

// downloadRefusals are the service's answers for the fixture's attachments it will not
// download (inbox.TestDialogsDownloadRefusals asserts them).
var downloadRefusals = map[string]error{
	fxAttNoAuth:   inbox.ErrNotAuthorized,
	fxAttExpired:  inbox.ErrExpired,
	fxAttRedirect: outbound.ErrRedirectRefused,
}

// Download starts a download of attachment attID's Gui URL urlID (on d or a transmission): the
// fixture's PDF (pdfBytes), its name as the dialog gives it; downloadRefusals, or
// inbox.ErrNotFound for an attachment or URL d does not have. Downloads are recorded.
func (f *fakeDialogService) Download(_ context.Context, _ *inbox.User, d *dpclient.Dialog, attID, urlID string) (*inbox.Attachment, error) {
	if err, ok := downloadRefusals[attID]; ok {
		return nil, err
	}
	atts := slices.Clone(d.Attachments)
	for _, t := range d.Transmissions {
		atts = append(atts, t.Attachments...)
	}
	for _, a := range atts {
		if a.ID != attID {
			continue
		}
		for _, u := range a.URLs {
			if u.ID == urlID && u.ConsumerType == dpclient.AttachmentURLConsumerGUI {
				f.mu.Lock()
				f.acts = append(f.acts, d.ID+"/"+attID)
				f.mu.Unlock()
				return &inbox.Attachment{Body: io.NopCloser(bytes.NewReader(pdfBytes)), ContentType: "application/pdf",
					Name: a.Name, Length: int64(len(pdfBytes)), Meta: &a}, nil
			}
		}
	}
	return nil, inbox.ErrNotFound
}
func (f *fakeDialogService) BulkLabel(context.Context, *inbox.User, []string, dpclient.SystemLabel) (map[string]error, error) {
	return nil, inbox.ErrNotOffered
}
func (f *fakeDialogService) Lookup(context.Context, *inbox.User, *inbox.PartyIndex, string) (*inbox.Found, error) {
	return nil, inbox.ErrNotFound
}

// dialogPageHarness is the web layer with the dialog page over fakeDialogService.
type dialogPageHarness struct {
	*harness
	dialogs *fakeDialogService
}

// The service owner's hosts in the page tests' fixture (never called).
const (
	fxSO      = "https://so.example.no"
	fxSOOther = "https://other.example.no"
)

// newDialogPageHarness serves the fixture dialog (fxDialog) and fxOtherDialog; fxForeign, of a
// party the user does not act for, is not among the user's dialogs.
func newDialogPageHarness(t *testing.T) *dialogPageHarness {
	t.Helper()
	h := newHarness(t)
	other := fixtureDialog(fxSO, fxSOOther)
	other.ID = fxOtherDialog
	other.GuiActions = slices.Clone(other.GuiActions[:1])
	fd := &fakeDialogService{
		Dialogs: inbox.NewDialogs(inbox.DialogsConfig{Out: outbound.New(outbound.Config{})}),
		dialogs: map[string]*dpclient.Dialog{fxDialog: fixtureDialog(fxSO, fxSOOther), fxOtherDialog: other},
	}
	h.srv = New(Deps{Config: h.cfg, Login: h.auth.routes(), Sessions: h.auth,
		Parties: h.dp.partyService(), Search: h.dp.searchService(), Dialogs: fd})
	return &dialogPageHarness{harness: h, dialogs: fd}
}
