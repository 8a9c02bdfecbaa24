package inbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
	"github.com/innboks/innboks/internal/outbound"
)

// The service-layer tests of Dialogs run a real dpclient.Client against dpDouble (Dialogporten's
// end-user API on an httptest server) and a real outbound.Client against soDouble (a service
// owner, and the Altinn platform's Correspondence under /platform, on an httptest TLS server).
// Each test builds its own pair, so they run in parallel.

// Ids and tokens of the fixture (canonical UUIDs, as Dialogporten sends them).
const (
	svDialog      = "0190fbd7-1111-7000-8000-000000000001" // the fixture dialog, the user's own
	svOther       = "0190fbd7-1111-7000-8000-000000000002" // another dialog of the user's
	svForeign     = "0190fbd7-1111-7000-8000-000000000003" // a dialog of a party the user lacks
	svUnknown     = "0190fbd7-1111-7000-8000-000000000004"
	svActGet      = "0190fbd7-2222-7000-8000-000000000001"
	svActPost     = "0190fbd7-2222-7000-8000-000000000002"
	svActAsync    = "0190fbd7-2222-7000-8000-000000000003"
	svActNoAuth   = "0190fbd7-2222-7000-8000-000000000004"
	svActHTTP     = "0190fbd7-2222-7000-8000-000000000005"
	svActCorr     = "0190fbd7-2222-7000-8000-000000000006"
	svActMissing  = "0190fbd7-2222-7000-8000-0000000000ff"
	svAPIRead     = "0190fbd7-3333-7000-8000-000000000001"
	svAPIConfirm  = "0190fbd7-3333-7000-8000-000000000002"
	svAPIPurge    = "0190fbd7-3333-7000-8000-000000000003"
	svAPIDownload = "0190fbd7-3333-7000-8000-000000000004"
	svAPINoAuth   = "0190fbd7-3333-7000-8000-000000000005"
	svAPICorr     = "0190fbd7-3333-7000-8000-000000000006"
	svAttPDF      = "0190fbd7-4444-7000-8000-000000000001"
	svAttHTML     = "0190fbd7-4444-7000-8000-000000000002"
	svAttNoAuth   = "0190fbd7-4444-7000-8000-000000000003"
	svAttExpURL   = "0190fbd7-4444-7000-8000-000000000004"
	svAttExpired  = "0190fbd7-4444-7000-8000-000000000005"
	svAttTx       = "0190fbd7-4444-7000-8000-000000000006"
	svAttFail     = "0190fbd7-4444-7000-8000-000000000007"
	svURLGui      = "0190fbd7-5555-7000-8000-000000000001"
	svURLAPI      = "0190fbd7-5555-7000-8000-000000000002"
	svTx          = "0190fbd7-6666-7000-8000-000000000001"
	svCorr        = "0190fbd7-7777-7000-8000-000000000001" // the fixture dialog's own correspondence
	svCorrOther   = "0190fbd7-7777-7000-8000-000000000002" // svOther's correspondence
	svCorrUnknown = "0190fbd7-7777-7000-8000-000000000003" // one Dialogporten does not know

	svSelfURN     = "urn:altinn:person:identifier-no:01017012345" // in dpclienttest.Parties
	svForeignURN  = "urn:altinn:organization:identifier-no:999999999"
	svUserToken   = "user-idporten-token"
	svDialogToken = "dialog-token-xyz"
	svAltinnToken = "altinn-token-abc"
	svLang        = "en"

	svCorrPath = "/platform/correspondence/api/v1/correspondence/"
)

// svPDF is the fixture attachment.
var svPDF = []byte("%PDF-1.7\n" + strings.Repeat("x", 5000) + "\n%%EOF")

// seen is one request a double received.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

func record(mu *sync.Mutex, into *[]seen, r *http.Request) seen {
	b, _ := io.ReadAll(r.Body)
	s := seen{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Header: r.Header.Clone(), Body: b}
	mu.Lock()
	*into = append(*into, s)
	mu.Unlock()
	return s
}

func filterSeen(mu *sync.Mutex, all []seen, path string) []seen {
	mu.Lock()
	defer mu.Unlock()
	var out []seen
	for _, s := range all {
		if path == "" || s.Path == path {
			out = append(out, s)
		}
	}
	return out
}

// testHeader fails the test when r's header is not want (go-github's helper).
func testHeader(t *testing.T, r *http.Request, header, want string) {
	t.Helper()
	if got := r.Header.Get(header); got != want {
		t.Errorf("%s %s: header %s = %q, want %q", r.Method, r.URL.Path, header, got, want)
	}
}

// dpAnswer is what dpDouble answers for one dialog id: the dialog, or a status with a problem.
type dpAnswer struct {
	status int
	detail string // the problem's detail
	dialog *dpclient.Dialog
}

// dpDouble is Dialogporten's end-user API and the platform's token exchange. Every call must
// carry the user's ID-porten token and language; it records them all.
type dpDouble struct {
	t   *testing.T
	srv *httptest.Server

	mu      sync.Mutex
	reqs    []seen
	dialogs map[string]dpAnswer
	// corrs maps a correspondence id to its dialog (absent: 404).
	corrs map[string]string
	// bulkStatus answers a bulk label call for these ids (nil: 204).
	bulkStatus func(ids []string) int
	bulkDone   []string // the dialogs a successful bulk call changed
	labelErr   int      // status of the single-dialog label change (0: 204 with an ETag)
}

func newDPDouble(t *testing.T) *dpDouble {
	dp := &dpDouble{t: t, dialogs: map[string]dpAnswer{}, corrs: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
		dp.check(r)
		testHeader(t, r, "Accept", "application/json")
		dp.mu.Lock()
		a, ok := dp.dialogs[r.PathValue("id")]
		dp.mu.Unlock()
		switch {
		case !ok:
			problem(w, http.StatusNotFound, "")
		case a.status != 0:
			problem(w, a.status, a.detail)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("ETag", `"etag-1"`)
			_ = json.NewEncoder(w).Encode(a.dialog)
		}
	})
	mux.HandleFunc("GET /api/v1/enduser/dialoglookup", func(w http.ResponseWriter, r *http.Request) {
		dp.check(r)
		ref := r.URL.Query().Get("instanceRef")
		id, ok := strings.CutPrefix(ref, "urn:altinn:correspondence-id:")
		if !ok {
			t.Errorf("dialoglookup: instanceRef %q is no correspondence reference", ref)
		}
		dp.mu.Lock()
		dialog, ok := dp.corrs[id]
		dp.mu.Unlock()
		if !ok {
			problem(w, http.StatusNotFound, "")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(dpclient.DialogLookup{DialogID: dialog, InstanceRef: ref, Party: svSelfURN})
	})
	mux.HandleFunc("PUT /api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		dp.check(r)
		testHeader(t, r, "Content-Type", "application/json")
		dp.mu.Lock()
		status := dp.labelErr
		dp.mu.Unlock()
		if status != 0 {
			problem(w, status, "")
			return
		}
		w.Header().Set("Etag", `"ctx-rev-2"`)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /api/v1/enduser/dialogs/context/systemlabels/actions/bulkset", func(w http.ResponseWriter, r *http.Request) {
		s := dp.check(r)
		testHeader(t, r, "Content-Type", "application/json")
		var req dpclient.BulkSetSystemLabelsRequest
		if err := json.Unmarshal(s.Body, &req); err != nil {
			t.Errorf("bulkset body: %v", err)
		}
		ids := make([]string, len(req.Dialogs))
		for i, d := range req.Dialogs {
			ids[i] = d.DialogID
		}
		dp.mu.Lock()
		status := http.StatusNoContent
		if dp.bulkStatus != nil {
			status = dp.bulkStatus(ids)
		}
		if status == http.StatusNoContent {
			dp.bulkDone = append(dp.bulkDone, ids...)
		}
		dp.mu.Unlock()
		if status != http.StatusNoContent {
			problem(w, status, "")
			return
		}
		w.WriteHeader(status)
	})
	mux.HandleFunc("GET /authentication/api/v1/exchange/id-porten", func(w http.ResponseWriter, r *http.Request) {
		dp.check(r)
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, svAltinnToken)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("Dialogporten double: unexpected %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})
	dp.srv = httptest.NewServer(mux)
	t.Cleanup(dp.srv.Close)
	return dp
}

// check records r and requires the user's token and language on it.
func (dp *dpDouble) check(r *http.Request) seen {
	dp.t.Helper()
	testHeader(dp.t, r, "Authorization", "Bearer "+svUserToken)
	testHeader(dp.t, r, "Accept-Language", svLang)
	return record(&dp.mu, &dp.reqs, r)
}

func (dp *dpDouble) calls(path string) []seen { return filterSeen(&dp.mu, dp.reqs, path) }

func (dp *dpDouble) exchanges() int {
	return len(dp.calls("/authentication/api/v1/exchange/id-porten"))
}

func (dp *dpDouble) lookups() []seen { return dp.calls("/api/v1/enduser/dialoglookup") }

// problem writes an RFC 7807 answer as Dialogporten does.
func problem(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(dpclient.ProblemDetails{Title: http.StatusText(status), Status: status, Detail: detail})
}

// soDouble is the service owner (embeds, actions, attachments) and, under /platform, the Altinn
// platform with Correspondence, on one loopback TLS server; plain is the same handler over plain
// http, so a call the fence should refuse would be seen if it were made.
type soDouble struct {
	srv, plain *httptest.Server

	mu   sync.Mutex
	reqs []seen
	// content is what GET /content answers: its body and ETag ("" for none).
	contentBody, contentETag string
}

func newSODouble(t *testing.T) *soDouble {
	so := &soDouble{contentBody: "# Hello\n\nThis is *the content*.\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1))\n"}
	mux := http.NewServeMux()
	rec := func(r *http.Request) seen { return record(&so.mu, &so.reqs, r) }
	mux.HandleFunc("GET /content", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		so.mu.Lock()
		body, etag := so.contentBody, so.contentETag
		so.mu.Unlock()
		if etag != "" {
			w.Header().Set("ETag", etag)
		}
		w.Header().Set("Content-Type", "text/markdown; charset=utf-8")
		fmt.Fprint(w, body)
	})
	mux.HandleFunc("POST /act/{name}", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		switch r.PathValue("name") {
		case "async":
			w.WriteHeader(http.StatusAccepted)
		case "fail":
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("GET /api/c1", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		fmt.Fprint(w, `{"overview":"a large answer nobody reads"}`)
	})
	mux.HandleFunc("/api/c1/{op}", func(w http.ResponseWriter, r *http.Request) { rec(r); w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("GET /att/{name}", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		if r.PathValue("name") == "fail" {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", r.URL.Query().Get("ct"))
		w.Header().Set("Content-Length", strconv.Itoa(len(svPDF)))
		_, _ = w.Write(svPDF)
	})
	mux.HandleFunc("GET /refuse", func(w http.ResponseWriter, r *http.Request) { rec(r); w.WriteHeader(http.StatusForbidden) })
	mux.HandleFunc("GET /redirect", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	})
	mux.HandleFunc("/platform/storage/", func(w http.ResponseWriter, r *http.Request) { rec(r); w.WriteHeader(http.StatusUnauthorized) })
	// Correspondence refuses the dialog token (403) and takes the exchanged Altinn token, for
	// any correspondence: binding it to a dialog is the portal's job (corrguard.go). …/deny
	// refuses both; …/goto redirects wherever ?to= says.
	mux.HandleFunc(svCorrPath+"{id}/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		switch {
		case r.PathValue("rest") == "goto":
			http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
		case r.PathValue("rest") == "deny" || r.Header.Get("Authorization") != "Bearer "+svAltinnToken:
			w.WriteHeader(http.StatusForbidden)
		case r.Method == http.MethodGet:
			w.Header().Set("Content-Type", "text/markdown")
			fmt.Fprint(w, "# Message\n\nRead with the Altinn token.")
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		rec(r)
		t.Errorf("service owner double: unexpected %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})
	so.srv = httptest.NewTLSServer(mux)
	so.plain = httptest.NewServer(mux)
	t.Cleanup(so.srv.Close)
	t.Cleanup(so.plain.Close)
	return so
}

func (so *soDouble) calls(path string) []seen { return filterSeen(&so.mu, so.reqs, path) }

func (so *soDouble) total() int { return len(so.calls("")) }

func (so *soDouble) setContent(body, etag string) {
	so.mu.Lock()
	defer so.mu.Unlock()
	so.contentBody, so.contentETag = body, etag
}

// svHarness is a Dialogs service over the two doubles, the user and their parties.
type svHarness struct {
	dp   *dpDouble
	so   *soDouble
	svc  *Dialogs
	user *User
	ix   *PartyIndex
	// d is the fixture dialog (its URLs on so); dp serves it as svDialog.
	d *dpclient.Dialog
}

// newSV builds the harness; with adjusts the service's config (the limiter, the clock).
func newSV(t *testing.T, with ...func(*DialogsConfig)) *svHarness {
	t.Helper()
	dp, so := newDPDouble(t), newSODouble(t)
	client, err := dpclient.New(dp.srv.URL, dpclient.WithHTTPClient(dp.srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	out := outbound.New(outbound.Config{
		AllowPrivateNetworks: true,
		RootCAs:              so.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs,
	})
	cfg := DialogsConfig{DP: client, Out: out, Exchanger: client, PlatformURL: so.srv.URL + "/platform"}
	for _, w := range with {
		w(&cfg)
	}
	h := &svHarness{dp: dp, so: so, svc: NewDialogs(cfg),
		user: &User{Key: "session-1", Lang: svLang, Token: dpclient.StaticToken(svUserToken)},
		ix:   NewPartyIndex(dpclienttest.Parties()),
		d:    svFixture(so.srv.URL, so.plain.URL)}
	other := svFixture(so.srv.URL, so.plain.URL)
	other.ID = svOther
	foreign := svFixture(so.srv.URL, so.plain.URL)
	foreign.ID, foreign.Party = svForeign, svForeignURN
	dp.dialogs[svDialog] = dpAnswer{dialog: h.d}
	dp.dialogs[svOther] = dpAnswer{dialog: other}
	dp.dialogs[svForeign] = dpAnswer{dialog: foreign}
	dp.corrs[svCorr] = svDialog
	dp.corrs[svCorrOther] = svOther
	return h
}

func svLoc(nb, en string) dpclient.Localizations {
	return dpclient.Localizations{{Value: nb, LanguageCode: "nb"}, {Value: en, LanguageCode: "en"}}
}

func svGUI(u, mediaType string) dpclient.AttachmentURL {
	return dpclient.AttachmentURL{ID: svURLGui, URL: u, MediaType: mediaType, ConsumerType: dpclient.AttachmentURLConsumerGUI}
}

func svAPI(id, method, u string) dpclient.APIAction {
	return dpclient.APIAction{ID: id, Action: "read", IsAuthorized: true,
		Endpoints: []dpclient.APIActionEndpoint{{ID: "e-" + id[len(id)-1:], URL: u, HTTPMethod: dpclient.HTTPMethod(method)}}}
}

// svFixture is the user's dialog with its URLs on so (https) and plain (http).
func svFixture(so, plain string) *dpclient.Dialog {
	yes := true
	corr := so + svCorrPath + svCorr
	return &dpclient.Dialog{
		ID: svDialog, Org: "skd", Party: svSelfURN, DialogToken: svDialogToken, Revision: "rev-1",
		Content: dpclient.DialogContent{
			Title: dpclient.ContentValue{Value: svLoc("Tittel", "Title"), MediaType: dpclient.MediaTypePlain},
			MainContentReference: &dpclient.ContentValue{Value: svLoc(so+"/content?lang=nb", so+"/content?lang=en"),
				MediaType: dpclient.MediaTypeEmbedMarkdown, IsAuthorized: &yes},
		},
		Attachments: []dpclient.Attachment{
			{ID: svAttPDF, Name: "decision.pdf", URLs: []dpclient.AttachmentURL{
				svGUI(so+"/att/pdf?ct=text/html", "application/pdf"),
				{ID: svURLAPI, URL: so + "/att/api", ConsumerType: dpclient.AttachmentURLConsumerAPI}}},
			{ID: svAttHTML, Name: "page.html", URLs: []dpclient.AttachmentURL{svGUI(so+"/att/html?ct=text/html", "text/html")}},
			{ID: svAttNoAuth, URLs: []dpclient.AttachmentURL{svGUI(dpclient.URLUnauthorized, "application/pdf")}},
			{ID: svAttExpURL, URLs: []dpclient.AttachmentURL{svGUI(dpclient.URLExpired, "application/pdf")}},
			{ID: svAttFail, URLs: []dpclient.AttachmentURL{svGUI(so+"/att/fail", "application/pdf")}},
		},
		Transmissions: []dpclient.Transmission{{ID: svTx, IsAuthorized: true, Type: dpclient.TransmissionTypeInformation,
			Attachments: []dpclient.Attachment{{ID: svAttTx, Name: "tx.pdf", URLs: []dpclient.AttachmentURL{svGUI(so+"/att/tx?ct=application/pdf", "application/pdf")}}}}},
		GuiActions: []dpclient.GuiAction{
			{ID: svActGet, Action: "read", URL: "https://forms.example.no/open?case=1", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodGet},
			{ID: svActPost, Action: "submit", URL: so + "/act/submit", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost},
			{ID: svActAsync, Action: "order", URL: so + "/act/async", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost},
			{ID: svActNoAuth, Action: "admin", URL: dpclient.URLUnauthorized, IsAuthorized: false, HTTPMethod: dpclient.HTTPMethodPost},
			{ID: svActHTTP, Action: "submit", URL: plain + "/act/submit", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost},
			{ID: svActCorr, Action: "confirm", URL: so + svCorrPath + svCorrOther + "/confirm", IsAuthorized: true, HTTPMethod: dpclient.HTTPMethodPost},
		},
		APIActions: []dpclient.APIAction{
			svAPI(svAPIRead, "GET", so+"/api/c1"),
			svAPI(svAPIConfirm, "POST", so+"/api/c1/confirm"),
			svAPI(svAPIPurge, "DELETE", so+"/api/c1/purge"),
			svAPI(svAPIDownload, "GET", so+"/api/c1/attachment/a1/download"),
			{ID: svAPINoAuth, Action: "write", IsAuthorized: false, Endpoints: []dpclient.APIActionEndpoint{{URL: dpclient.URLUnauthorized, HTTPMethod: dpclient.HTTPMethodPost}}},
			svAPI(svAPICorr, "POST", corr+"/confirm"),
		},
	}
}

// TestDialogsLoad: Load asks Dialogporten with the user's token and language, and a malformed,
// unknown, foreign or not-listed dialog is a not-found, while "gone" and "step up" keep their
// meaning.
func TestDialogsLoad(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	h.dp.dialogs[svUnknown] = dpAnswer{status: http.StatusNotFound}
	const (
		gone      = "0190fbd7-1111-7000-8000-0000000000a1"
		notMine   = "0190fbd7-1111-7000-8000-0000000000a2"
		stepUp    = "0190fbd7-1111-7000-8000-0000000000a3"
		wrongEcho = "0190fbd7-1111-7000-8000-0000000000a4"
	)
	h.dp.dialogs[gone] = dpAnswer{status: http.StatusGone}
	h.dp.dialogs[notMine] = dpAnswer{status: http.StatusForbidden}
	h.dp.dialogs[stepUp] = dpAnswer{status: http.StatusForbidden, detail: "Altinn authentication level too low."}
	h.dp.dialogs[wrongEcho] = dpAnswer{dialog: h.d} // answers with svDialog

	tests := []struct {
		name    string
		id      string
		calls   int     // requests Dialogporten gets
		want    error   // errors.Is must hold
		notWant []error // errors.Is must not hold
	}{
		{"malformed", "not-a-uuid", 0, ErrNotFound, nil},
		{"malformed upper case braces", "{" + strings.ToUpper(svDialog) + "}", 0, ErrNotFound, nil},
		// An unknown id keeps Dialogporten's own not-found (mapped to the same page).
		{"unknown", svUnknown, 1, dpclient.ErrNotFound, []error{dpclient.ErrGone}},
		{"another person's", notMine, 1, ErrNotFound, []error{dpclient.ErrAuthLevelTooLow}},
		{"of a party not in the index", svForeign, 1, ErrNotFound, nil},
		{"upstream answers another dialog", wrongEcho, 1, ErrNotFound, nil},
		{"gone", gone, 1, dpclient.ErrGone, []error{ErrNotFound, dpclient.ErrNotFound}},
		{"authentication level too low", stepUp, 1, dpclient.ErrAuthLevelTooLow, []error{ErrNotFound}},
	}
	for _, tt := range tests {
		before := len(h.dp.calls(""))
		d, err := h.svc.Load(t.Context(), h.user, h.ix, tt.id)
		if d != nil {
			t.Errorf("%s: got dialog %s, want none", tt.name, d.ID)
		}
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got error %v, want %v", tt.name, err, tt.want)
		}
		for _, nw := range tt.notWant {
			if errors.Is(err, nw) {
				t.Errorf("%s: got error %v, which must not be %v", tt.name, err, nw)
			}
		}
		if got := len(h.dp.calls("")) - before; got != tt.calls {
			t.Errorf("%s: got %d calls to Dialogporten, want %d", tt.name, got, tt.calls)
		}
	}
	// "Unknown" and "another person's" are the same not-found to a caller that maps both.
	notFound := func(err error) bool { return errors.Is(err, ErrNotFound) || errors.Is(err, dpclient.ErrNotFound) }
	_, errUnknown := h.svc.Load(t.Context(), h.user, h.ix, svUnknown)
	_, errForeign := h.svc.Load(t.Context(), h.user, h.ix, notMine)
	if !notFound(errUnknown) || !notFound(errForeign) {
		t.Errorf("unknown: %v, foreign: %v; want both not found", errUnknown, errForeign)
	}
}

// TestDialogsLoadOwn: the user's own dialog comes back as Dialogporten sent it, fetched with
// GET /api/v1/enduser/dialogs/{id}, the user's token and language.
func TestDialogsLoadOwn(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	d, err := h.svc.Load(t.Context(), h.user, h.ix, svDialog)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if d.ID != svDialog || d.DialogToken != svDialogToken || d.ETag != "etag-1" || len(d.GuiActions) != len(h.d.GuiActions) {
		t.Errorf("got dialog %s (token %q, ETag %q, %d GUI actions), want the fixture", d.ID, d.DialogToken, d.ETag, len(d.GuiActions))
	}
	calls := h.dp.calls("/api/v1/enduser/dialogs/" + svDialog)
	if len(calls) != 1 || calls[0].Method != http.MethodGet || calls[0].RawQuery != "" {
		t.Errorf("got calls %+v, want one GET without a query", calls)
	}
	// Fresh every time: a second Load asks again.
	if _, err := h.svc.Load(t.Context(), h.user, h.ix, svDialog); err != nil {
		t.Fatal(err)
	}
	if got := len(h.dp.calls("/api/v1/enduser/dialogs/" + svDialog)); got != 2 {
		t.Errorf("got %d fetches after two loads, want 2", got)
	}
}

// svNoCall fails when so received anything since before.
func svNoCall(t *testing.T, so *soDouble, before int, what string) {
	t.Helper()
	if got := so.total() - before; got != 0 {
		t.Errorf("%s: the service owner got %d calls, want none", what, got)
	}
}

// TestDialogsPrefetch: the fetch started on the press of a link serves the click's Load once;
// the Load after that asks Dialogporten again, and a prefetch of a dialog that is not the
// user's leaves nothing for a Load to take.
func TestDialogsPrefetch(t *testing.T) {
	t.Parallel()
	h := newSV(t)
	path := "/api/v1/enduser/dialogs/" + svDialog
	if err := h.svc.Prefetch(t.Context(), h.user, h.ix, svDialog); err != nil {
		t.Fatalf("Prefetch: %v", err)
	}
	d, err := h.svc.Load(t.Context(), h.user, h.ix, strings.ToUpper(svDialog[:1])+svDialog[1:])
	if err != nil || d.ID != svDialog {
		t.Fatalf("Load after Prefetch: %v, %v", d, err)
	}
	if got := len(h.dp.calls(path)); got != 1 {
		t.Errorf("prefetch then load: %d fetches, want 1", got)
	}
	if _, err := h.svc.Load(t.Context(), h.user, h.ix, svDialog); err != nil {
		t.Fatal(err)
	}
	if got := len(h.dp.calls(path)); got != 2 {
		t.Errorf("a second load: %d fetches in all, want 2 (a prefetch serves one click)", got)
	}
	if err := h.svc.Prefetch(t.Context(), h.user, h.ix, svForeign); !errors.Is(err, ErrNotFound) {
		t.Errorf("prefetch of another party's dialog: %v, want ErrNotFound", err)
	}
	before := len(h.dp.calls(""))
	if _, err := h.svc.Load(t.Context(), h.user, h.ix, svForeign); !errors.Is(err, ErrNotFound) {
		t.Errorf("load of another party's dialog after its prefetch: %v, want ErrNotFound", err)
	}
	if got := len(h.dp.calls("")) - before; got != 1 {
		t.Errorf("load after a refused prefetch: %d calls, want 1 (nothing kept)", got)
	}
}
