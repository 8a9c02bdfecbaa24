package handlers

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/outbound"
)

// Ids of the dialog fixture (canonical UUIDs, as Dialogporten sends them).
const (
	fxDialog        = "0190fbd7-1111-7000-8000-000000000001"
	fxOtherDialog   = "0190fbd7-1111-7000-8000-000000000002"
	fxForeign       = "0190fbd7-1111-7000-8000-000000000003"
	fxActPrimary    = "0190fbd7-2222-7000-8000-000000000001"
	fxActGet        = "0190fbd7-2222-7000-8000-000000000002"
	fxActPrompt     = "0190fbd7-2222-7000-8000-000000000003"
	fxActDelete     = "0190fbd7-2222-7000-8000-000000000004"
	fxActNoAuth     = "0190fbd7-2222-7000-8000-000000000005"
	fxActAsync      = "0190fbd7-2222-7000-8000-000000000006"
	fxActDown       = "0190fbd7-2222-7000-8000-000000000007"
	fxAPIRead       = "0190fbd7-3333-7000-8000-000000000001"
	fxAPIConfirm    = "0190fbd7-3333-7000-8000-000000000002"
	fxAPIPurge      = "0190fbd7-3333-7000-8000-000000000003"
	fxAPIDownload   = "0190fbd7-3333-7000-8000-000000000004"
	fxAttPDF        = "0190fbd7-4444-7000-8000-000000000001"
	fxAttNoAuth     = "0190fbd7-4444-7000-8000-000000000002"
	fxAttExpired    = "0190fbd7-4444-7000-8000-000000000003"
	fxAttHuge       = "0190fbd7-4444-7000-8000-000000000004"
	fxAttTx         = "0190fbd7-4444-7000-8000-000000000005"
	fxAttRedirect   = "0190fbd7-4444-7000-8000-000000000006"
	fxURLGui        = "0190fbd7-5555-7000-8000-000000000001"
	fxURLAPI        = "0190fbd7-5555-7000-8000-000000000002"
	fxTx1           = "0190fbd7-6666-7000-8000-000000000001"
	fxTx2           = "0190fbd7-6666-7000-8000-000000000002"
	fxTx3           = "0190fbd7-6666-7000-8000-000000000003"
	fxCorr          = "0190fbd7-7777-7000-8000-000000000001" // the fixture dialog's own correspondence
	fxCorrOther     = "0190fbd7-7777-7000-8000-000000000002" // another dialog's correspondence
	fxCorrElse      = "0190fbd7-7777-7000-8000-000000000003" // a correspondence without a dialog
	fxCorrForbidden = "0190fbd7-7777-7000-8000-000000000004" // one whose dialog the user may not see
	fxMe            = "urn:altinn:person:identifier-ephemeral:aaaaaaaaaa"
	fxDialogToken   = "dialog-token-xyz"
	fxSelfURN       = "urn:altinn:person:identifier-no:01017012345"
)

// hugeSize is the size of the fixture's large attachment.
const hugeSize = 128 << 20

func loc(nb, en string) dpclient.Localizations {
	l := dpclient.Localizations{{Value: nb, LanguageCode: "nb"}}
	if en != "" {
		l = append(l, dpclient.Localization{Value: en, LanguageCode: "en"})
	}
	return l
}

func plain(nb string) *dpclient.ContentValue {
	return &dpclient.ContentValue{Value: loc(nb, ""), MediaType: dpclient.MediaTypePlain}
}

func gui(id, u, mt string) dpclient.AttachmentURL {
	return dpclient.AttachmentURL{ID: id, URL: u, MediaType: mt, ConsumerType: dpclient.AttachmentURLConsumerGUI}
}

// fixtureDialog is a rich dialog whose service-owner URLs point at so (the service-owner
// server of the test) and, for the redirect case, at other.
func fixtureDialog(so, other string) *dpclient.Dialog {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(h int) *time.Time { t := t0.Add(time.Duration(h) * time.Hour); return &t }
	yes := true
	past := t0.Add(-time.Hour)
	return &dpclient.Dialog{
		ID: fxDialog, Revision: "rev-1", Org: "skd", ServiceResource: "urn:altinn:resource:skattemelding",
		Party: fxSelfURN, Status: dpclient.DialogStatusRequiresAttention, ExtendedStatus: "SKD-1",
		CreatedAt: t0, UpdatedAt: t0.Add(5 * time.Hour), ContentUpdatedAt: t0.Add(5 * time.Hour),
		DueAt: at(24 * 400), DialogToken: fxDialogToken,
		Content: dpclient.DialogContent{
			Title:          dpclient.ContentValue{Value: loc("Skattemeldingen din", "Your tax return"), MediaType: dpclient.MediaTypePlain},
			Summary:        plain("Du må <b>levere</b> innen fristen."),
			SenderName:     plain("Skatteetaten"),
			ExtendedStatus: plain("Til behandling"),
			AdditionalInfo: &dpclient.ContentValue{Value: loc("## Mer\n\n[Les mer](https://www.skatteetaten.no/) og [ikke dette](javascript:alert(1))", ""), MediaType: dpclient.MediaTypeMarkdown},
			MainContentReference: &dpclient.ContentValue{
				Value:     dpclient.Localizations{{Value: so + "/content?lang=nb", LanguageCode: "nb"}, {Value: so + "/content?lang=en", LanguageCode: "en"}},
				MediaType: dpclient.MediaTypeEmbedMarkdown, IsAuthorized: &yes,
			},
		},
		Attachments: []dpclient.Attachment{
			{ID: fxAttPDF, DisplayName: loc("Vedtak æøå.pdf", ""), Name: "vedtak-æøå.pdf", URLs: []dpclient.AttachmentURL{
				gui(fxURLGui, so+"/att/pdf", "application/pdf"),
				{ID: fxURLAPI, URL: so + "/att/pdf-api", MediaType: "application/pdf", ConsumerType: dpclient.AttachmentURLConsumerAPI},
			}},
			{ID: fxAttNoAuth, DisplayName: loc("Hemmelig", ""), URLs: []dpclient.AttachmentURL{gui(fxURLGui, dpclient.URLUnauthorized, "application/pdf")}},
			{ID: fxAttExpired, DisplayName: loc("Gammel", ""), ExpiresAt: &past, URLs: []dpclient.AttachmentURL{gui(fxURLGui, dpclient.URLExpired, "application/pdf")}},
			{ID: fxAttHuge, DisplayName: loc("Stor fil", ""), Name: "stor.bin", URLs: []dpclient.AttachmentURL{gui(fxURLGui, so+"/att/huge", "application/octet-stream")}},
			{ID: fxAttRedirect, DisplayName: loc("Omdirigert", ""), URLs: []dpclient.AttachmentURL{gui(fxURLGui, so+"/redirect?to="+other+"/att/pdf", "application/pdf")}},
			{ID: "0190fbd7-4444-7000-8000-0000000000ff", DisplayName: loc("Bare for maskiner", ""), URLs: []dpclient.AttachmentURL{
				{ID: fxURLAPI, URL: so + "/att/api-only", ConsumerType: dpclient.AttachmentURLConsumerAPI}}},
		},
		Transmissions: []dpclient.Transmission{
			{ID: fxTx1, CreatedAt: t0.Add(1 * time.Hour), IsAuthorized: true, Type: dpclient.TransmissionTypeRequest, IsOpened: true,
				Sender:              dpclient.Actor{ActorType: dpclient.ActorTypeServiceOwner},
				Content:             dpclient.TransmissionContent{Title: dpclient.ContentValue{Value: loc("Vi trenger opplysninger", "")}, ContentReference: &dpclient.ContentValue{Value: loc(so+"/tx/1/content", ""), MediaType: dpclient.MediaTypeEmbedHTML}},
				Attachments:         []dpclient.Attachment{{ID: fxAttTx, DisplayName: loc("Skjema", ""), URLs: []dpclient.AttachmentURL{gui(fxURLGui, so+"/att/pdf", "application/pdf")}}},
				NavigationalActions: []dpclient.NavigationalAction{{Title: loc("Gå til skjema", ""), URL: "https://skjema.example.no/x"}, {Title: loc("Lurt", ""), URL: "javascript:alert(1)"}},
			},
			{ID: fxTx2, CreatedAt: t0.Add(2 * time.Hour), IsAuthorized: true, Type: dpclient.TransmissionTypeSubmission, RelatedTransmissionID: fxTx1,
				Sender:  dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: fxMe, ActorName: "KARI NORDMANN"},
				Content: dpclient.TransmissionContent{Title: dpclient.ContentValue{Value: loc("Svar med opplysninger", "")}},
			},
			{ID: fxTx3, CreatedAt: t0.Add(3 * time.Hour), IsAuthorized: false, Type: dpclient.TransmissionTypeDecision,
				Sender:  dpclient.Actor{ActorType: dpclient.ActorTypeServiceOwner},
				Content: dpclient.TransmissionContent{Title: dpclient.ContentValue{Value: loc("Vedtak", "")}, ContentReference: &dpclient.ContentValue{Value: loc(dpclient.URLUnauthorized, ""), MediaType: dpclient.MediaTypeEmbedMarkdown}},
			},
		},
		GuiActions: []dpclient.GuiAction{
			{ID: fxActGet, Action: "read", URL: "https://skjema.example.no/open", IsAuthorized: true, Priority: dpclient.GuiActionPrioritySecondary, HTTPMethod: dpclient.HTTPMethodGet, Title: loc("Åpne skjema", "")},
			{ID: fxActPrimary, Action: "submit", URL: so + "/actions/submit", IsAuthorized: true, Priority: dpclient.GuiActionPriorityPrimary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Send inn", "Submit")},
			{ID: fxActPrompt, Action: "sign", URL: so + "/actions/sign", IsAuthorized: true, Priority: dpclient.GuiActionPriorityTertiary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Signer", ""), Prompt: loc("Vil du virkelig signere?", "")},
			{ID: fxActDelete, Action: "delete", URL: so + "/actions/delete", IsAuthorized: true, IsDeleteDialogAction: true, Priority: dpclient.GuiActionPriorityTertiary, HTTPMethod: dpclient.HTTPMethodDelete, Title: loc("Slett", ""), Prompt: loc("Slette for godt?", "")},
			{ID: fxActNoAuth, Action: "admin", URL: dpclient.URLUnauthorized, IsAuthorized: false, Priority: dpclient.GuiActionPriorityTertiary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Administrer", "")},
			{ID: fxActAsync, Action: "async", URL: so + "/actions/async", IsAuthorized: true, Priority: dpclient.GuiActionPriorityTertiary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Bestill", "")},
			{ID: fxActDown, Action: "down", URL: so + "/down", IsAuthorized: true, Priority: dpclient.GuiActionPriorityTertiary, HTTPMethod: dpclient.HTTPMethodPost, Title: loc("Feiler", "")},
		},
		APIActions: []dpclient.APIAction{
			{ID: fxAPIRead, Action: "read", Name: "getCorrespondence", IsAuthorized: true, Endpoints: []dpclient.APIActionEndpoint{{ID: "e1", URL: so + "/correspondence/c1", HTTPMethod: dpclient.HTTPMethodGet}}},
			{ID: fxAPIConfirm, Action: "write", Name: "confirmCorrespondence", IsAuthorized: true, Endpoints: []dpclient.APIActionEndpoint{{ID: "e2", URL: so + "/correspondence/c1/confirm", HTTPMethod: dpclient.HTTPMethodPost}}},
			{ID: fxAPIDownload, Action: "read", Name: "downloadCorrespondenceAttachment", IsAuthorized: true, Endpoints: []dpclient.APIActionEndpoint{{ID: "e4", URL: so + "/correspondence/c1/attachment/a1/download", HTTPMethod: dpclient.HTTPMethodGet}}},
			{ID: fxAPIPurge, Action: "write", Name: "purgeCorrespondence", IsAuthorized: true, Endpoints: []dpclient.APIActionEndpoint{{ID: "e3", URL: so + "/correspondence/c1/purge", HTTPMethod: dpclient.HTTPMethodDelete}}},
		},
		Activities: []dpclient.Activity{
			{ID: "a1", CreatedAt: at(0), Type: dpclient.ActivityTypeDialogCreated, PerformedBy: dpclient.Actor{ActorType: dpclient.ActorTypeServiceOwner}},
			{ID: "a2", CreatedAt: at(4), Type: dpclient.ActivityTypeTransmissionOpened, TransmissionID: fxTx1, PerformedBy: dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: fxMe, ActorName: "KARI NORDMANN"}},
			{ID: "a3", CreatedAt: at(5), Type: dpclient.ActivityTypeInformation, Description: loc("Saken er mottatt", ""), PerformedBy: dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: "urn:altinn:person:identifier-ephemeral:bbbbbbbbbb", ActorName: "OLA NORDMANN"}},
		},
		SeenSinceLastUpdate: []dpclient.SeenLog{
			{ID: "s1", SeenBy: dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: fxMe, ActorName: "KARI NORDMANN"}, IsCurrentEndUser: true},
			{ID: "s2", SeenBy: dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: "urn:altinn:person:identifier-ephemeral:bbbbbbbbbb"}},
			{ID: "s3", SeenBy: dpclient.Actor{ActorType: dpclient.ActorTypePartyRepresentative, ActorID: "urn:altinn:person:identifier-ephemeral:cccccccccc"}},
		},
		EndUserContext: dpclient.EndUserContext{Revision: "ctx-rev-1", SystemLabels: []dpclient.SystemLabel{dpclient.SystemLabelDefault}},
	}
}

// fakeDialogs is a DialogSource over fixed dialogs.
type fakeDialogs struct {
	// corrs are correspondences (id → dialog) the lookup knows besides the fixture's own.
	corrs    map[string]string
	mu       sync.Mutex
	dialogs  map[string]*dpclient.Dialog
	err      error
	gets     int
	lookups  int
	labels   []labelCall
	labelErr error
}

type labelCall struct {
	ID      string
	Req     dpclient.SetSystemLabelsRequest
	IfMatch string
}

func (f *fakeDialogs) GetDialog(ctx context.Context, id string, opts ...dpclient.CallOption) (*dpclient.Dialog, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.err != nil {
		return nil, f.err
	}
	d, ok := f.dialogs[id]
	if !ok {
		return nil, &dpclient.Error{StatusCode: http.StatusNotFound}
	}
	cp := *d
	return &cp, nil
}

// DialogLookup knows the fixture's correspondences: fxCorr is fxDialog's, fxCorrOther is
// fxOtherDialog's, fxCorrForbidden's dialog the user may not see; any other is unknown.
func (f *fakeDialogs) DialogLookup(ctx context.Context, ref string, opts ...dpclient.CallOption) (*dpclient.DialogLookup, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lookups++
	if id, ok := f.corrs[strings.TrimPrefix(ref, "urn:altinn:correspondence-id:")]; ok {
		return &dpclient.DialogLookup{DialogID: id, InstanceRef: ref}, nil
	}
	switch strings.TrimPrefix(ref, "urn:altinn:correspondence-id:") {
	case fxCorr:
		return &dpclient.DialogLookup{DialogID: fxDialog, InstanceRef: ref}, nil
	case fxCorrOther:
		return &dpclient.DialogLookup{DialogID: fxOtherDialog, InstanceRef: ref}, nil
	case fxCorrForbidden:
		return nil, &dpclient.Error{StatusCode: http.StatusForbidden}
	}
	return nil, &dpclient.Error{StatusCode: http.StatusNotFound}
}

func (f *fakeDialogs) SetSystemLabels(ctx context.Context, id string, req dpclient.SetSystemLabelsRequest, ifMatch string, opts ...dpclient.CallOption) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.labels = append(f.labels, labelCall{id, req, ifMatch})
	if f.labelErr != nil {
		return "", f.labelErr
	}
	return "ctx-rev-2", nil
}

// soCall is one request the service-owner server received.
type soCall struct {
	Method, Path, Auth, Lang string
	BodyLen                  int
}

// serviceOwner is the test's service-owner side: embeds, actions and attachments on a loopback
// TLS server, and a second ("other") host for redirect tests.
type serviceOwner struct {
	srv, other *httptest.Server
	mu         sync.Mutex
	calls      []soCall
	otherCalls int
}

func (s *serviceOwner) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.calls = append(s.calls, soCall{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Accept-Language"), len(b)})
	s.mu.Unlock()
}

func (s *serviceOwner) callsTo(path string) []soCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []soCall
	for _, c := range s.calls {
		if c.Path == path {
			out = append(out, c)
		}
	}
	return out
}

func (s *serviceOwner) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls) + s.otherCalls
}

// pdfBytes is the fixture PDF attachment.
var pdfBytes = []byte("%PDF-1.7\n" + string(make([]byte, 5000)) + "%%EOF")

// hugeChunk is the pattern the huge attachment repeats (deterministic, so bytes can be checked).
func hugeChunk() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}

// correspondenceDouble is Altinn Correspondence under /platform: it refuses the dialog token
// (403) and answers the exchanged Altinn token with the content as Markdown, for any
// correspondence (binding it to a dialog is the portal's job: handlers/corrguard.go).
func correspondenceDouble(record func(*http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		record(r)
		if r.Header.Get("Authorization") != "Bearer "+fxAltinnToken {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "# Melding\n\nLest med Altinn-token.")
	}
}

func newServiceOwner(t testing.TB) *serviceOwner {
	s := &serviceOwner{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /content", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		fmt.Fprintf(w, "# Hei (%s)\n\nDette er *innholdet*.\n\n<script>alert(1)</script>\n\n[klikk](javascript:alert(1))\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", r.URL.Query().Get("lang"))
	})
	mux.HandleFunc("GET /tx/1/content", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<h1>Opplysninger</h1><p onclick="x()">Send oss <a href="https://ok.example.no/">dette</a>.</p><iframe src="https://evil.example/"></iframe><form action="https://evil.example/"><input name=pw></form>`)
	})
	for _, p := range []string{"POST /actions/submit", "POST /actions/sign", "DELETE /actions/delete", "POST /correspondence/c1/confirm", "GET /correspondence/c1", "DELETE /correspondence/c1/purge"} {
		mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { s.record(r); w.WriteHeader(http.StatusNoContent) })
	}
	mux.HandleFunc("/platform/correspondence/api/v1/correspondence/", correspondenceDouble(s.record))
	mux.HandleFunc("POST /actions/async", func(w http.ResponseWriter, r *http.Request) { s.record(r); w.WriteHeader(http.StatusAccepted) })
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	mux.HandleFunc("GET /refuse", func(w http.ResponseWriter, r *http.Request) { s.record(r); w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	mux.HandleFunc("GET /att/pdf", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="../../evil.sh"`)
		w.Write(pdfBytes)
	})
	mux.HandleFunc("GET /att/huge", func(w http.ResponseWriter, r *http.Request) {
		s.record(r)
		chunk := hugeChunk()
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(hugeSize))
		for sent := 0; sent < hugeSize; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	s.srv = httptest.NewTLSServer(mux)
	s.other = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.otherCalls++
		s.mu.Unlock()
		w.Write(pdfBytes)
	}))
	t.Cleanup(s.srv.Close)
	t.Cleanup(s.other.Close)
	return s
}

// outboundFor is a real outbound client that trusts the test servers and may reach loopback.
func (s *serviceOwner) outbound() *outbound.Client {
	return outbound.New(outbound.Config{
		AllowPrivateNetworks: true,
		RootCAs:              s.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
	})
}

// dialogHarness is the web layer over fakes with the dialog routes mounted.
type dialogHarness struct {
	*harness
	so      *serviceOwner
	dialogs *fakeDialogs
	exch    *fakeExchanger
}

// newWiredDialogHarness is the dialog routes over the real dialog service (internal/inbox) on
// fakes of Dialogporten (fakeDialogs), the service owner (a TLS test server) and the token
// exchange: for the wiring tests only; the others use newDialogPageHarness.
func newWiredDialogHarness(t *testing.T) *dialogHarness {
	t.Helper()
	h := newHarness(t)
	so := newServiceOwner(t)
	d := fixtureDialog(so.srv.URL, so.other.URL)
	other := fixtureDialog(so.srv.URL, so.other.URL)
	other.ID = fxOtherDialog
	other.GuiActions = slices.Clone(other.GuiActions[:1])
	foreign := fixtureDialog(so.srv.URL, so.other.URL)
	foreign.ID, foreign.Party = fxForeign, "urn:altinn:organization:identifier-no:999999999"
	fd := &fakeDialogs{dialogs: map[string]*dpclient.Dialog{fxDialog: d, fxOtherDialog: other, fxForeign: foreign}}
	fx := &fakeExchanger{}
	h.mount(DialogDeps{Auth: h.auth, DP: fd, Out: so.outbound(), Exchanger: fx, PlatformURL: so.srv.URL + "/platform"})
	return &dialogHarness{harness: h, so: so, dialogs: fd, exch: fx}
}

// fxAltinnToken is what fakeExchanger hands out.
const fxAltinnToken = "altinn-token-abc"

// fakeExchanger counts token exchanges.
type fakeExchanger struct {
	mu sync.Mutex
	n  int
}

func (f *fakeExchanger) ExchangeIDPortenToken(ctx context.Context, opts ...dpclient.CallOption) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	return fxAltinnToken, nil
}

func (f *fakeExchanger) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// sha is a short digest for comparing large bodies.
func sha(b []byte) string { s := sha256.Sum256(b); return fmt.Sprintf("%x", s[:8]) }

var errTest = errors.New("test")

// chunkHasher digests a stream (sha256), for comparing the huge attachment without keeping it.
type chunkHasher struct{ h hash.Hash }

func newChunkHasher() *chunkHasher    { return &chunkHasher{sha256.New()} }
func (c *chunkHasher) Write(b []byte) { c.h.Write(b) }
func (c *chunkHasher) Sum() string    { return fmt.Sprintf("%x", c.h.Sum(nil)) }

// hugeSum is the digest of the huge attachment as the service owner sends it.
func hugeSum() string {
	c, chunk := newChunkHasher(), hugeChunk()
	for sent := 0; sent < hugeSize; sent += len(chunk) {
		c.Write(chunk)
	}
	return c.Sum()
}

func (f *fakeDialogs) lookupCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookups
}
