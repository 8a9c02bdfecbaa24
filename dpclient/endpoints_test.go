package dpclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestSubResources checks method, path, headers and decoding of the dialog sub-resources.
func TestSubResources(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	routes := map[string]string{
		"/activities":                        "activities.json",
		"/activities/" + fxActivityID:        "activity.json",
		"/transmissions":                     "transmissions.json",
		"/transmissions/" + fxTransmissionID: "transmission.json",
		"/seenlog":                           "seenlog.json",
		"/seenlog/" + fxSeenLogID:            "seenlog_entry.json",
		"/context/labellog":                  "labellog.json",
	}
	for sub, file := range routes {
		mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs/"+fxDialogID+sub, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, http.MethodGet)
			testHeader(t, r, "Authorization", "Bearer "+testToken)
			testHeader(t, r, "Accept", "application/json")
			testHeader(t, r, "Accept-Language", "nb")
			serveJSON(w, http.StatusOK, fixture(t, file))
		})
	}
	ctx := context.Background()
	nb := WithLanguage("nb")

	acts, err := c.ListActivities(ctx, fxDialogID, nb)
	if err != nil {
		t.Fatalf("ListActivities: %v", err)
	}
	if got, want := len(acts), 3; got != want {
		t.Fatalf("activities = %d, want %d", got, want)
	}
	if got := acts[0].PerformedBy; got != (Actor{}) {
		t.Errorf("list activity PerformedBy = %+v, want zero (not in list items)", got)
	}
	if got, want := *acts[0].CreatedAt, ts(t, "2025-02-03T08:15:00.1234567Z"); !got.Equal(want) {
		t.Errorf("CreatedAt = %v, want %v", got, want)
	}

	act, err := c.GetActivity(ctx, fxDialogID, fxActivityID, nb)
	if err != nil {
		t.Fatalf("GetActivity: %v", err)
	}
	if got, want := act.PerformedBy.ActorName, "Ola Nordmann"; got != want {
		t.Errorf("PerformedBy.ActorName = %q, want %q", got, want)
	}
	if got, want := act.TransmissionID, "0194f1a2-5000-7abc-8def-000000000c02"; got != want {
		t.Errorf("TransmissionID = %q, want %q", got, want)
	}

	trs, err := c.ListTransmissions(ctx, fxDialogID, nb)
	if err != nil {
		t.Fatalf("ListTransmissions: %v", err)
	}
	if got, want := len(trs), 2; got != want {
		t.Fatalf("transmissions = %d, want %d", got, want)
	}
	if trs[0].DeletedAt != nil {
		t.Errorf("DeletedAt = %v, want nil", trs[0].DeletedAt)
	}
	if got, want := *trs[1].DeletedAt, ts(t, "2025-03-01T00:00:00Z"); !got.Equal(want) {
		t.Errorf("DeletedAt = %v, want %v", got, want)
	}
	tr, err := c.GetTransmission(ctx, fxDialogID, fxTransmissionID, nb)
	if err != nil {
		t.Fatalf("GetTransmission: %v", err)
	}
	if got, want := tr.Attachments[0].Name, "grunnlag"; got != want {
		t.Errorf("attachment Name = %q, want %q", got, want)
	}
	if got, want := tr.Content.ContentReference.MediaType, MediaTypeEmbedMarkdown; got != want {
		t.Errorf("contentReference media type = %q, want %q", got, want)
	}

	seen, err := c.ListSeenLog(ctx, fxDialogID, nb)
	if err != nil {
		t.Fatalf("ListSeenLog: %v", err)
	}
	if got, want := len(seen), 2; got != want {
		t.Fatalf("seen log = %d, want %d", got, want)
	}
	if !seen[0].IsViaServiceOwner || seen[0].SeenBy.ActorType != ActorTypeServiceOwner {
		t.Errorf("seen[0] = %+v, want via service owner", seen[0])
	}
	one, err := c.GetSeenLog(ctx, fxDialogID, fxSeenLogID, nb)
	if err != nil {
		t.Fatalf("GetSeenLog: %v", err)
	}
	if one.ID != fxSeenLogID || !one.IsCurrentEndUser {
		t.Errorf("GetSeenLog = %+v, want id %s and current end user", one, fxSeenLogID)
	}

	labels, err := c.ListLabelLog(ctx, fxDialogID, nb)
	if err != nil {
		t.Fatalf("ListLabelLog: %v", err)
	}
	want := []LabelLog{
		{ts(t, "2025-03-01T09:00:00Z"), "systemlabel:Archive", LabelLogActionSet, Actor{ActorTypePartyRepresentative, "urn:altinn:person:identifier-ephemeral:0a1b2c3d4e", "Ola Nordmann"}},
		{ts(t, "2025-03-02T09:00:00Z"), "systemlabel:Archive", LabelLogActionRemove, Actor{ActorTypePartyRepresentative, "", "Kari Nordmann"}},
		{ts(t, "2025-03-02T09:00:01Z"), "systemlabel:Sent", LabelLogActionSet, Actor{ActorType: ActorTypeServiceOwner}},
	}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("ListLabelLog = %+v, want %+v", labels, want)
	}
}

func TestSetSystemLabels(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPut)
		testHeader(t, r, "If-Match", "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f")
		testHeader(t, r, "Content-Type", "application/json")
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		testBody(t, r, `{"addLabels":["Archive"],"removeLabels":["MarkedAsUnopened"]}`)
		w.Header().Set("Etag", "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
		w.WriteHeader(http.StatusNoContent)
	})
	rev, err := c.SetSystemLabels(context.Background(), fxDialogID,
		SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelArchive}, RemoveLabels: []SystemLabel{SystemLabelMarkedAsUnopened}},
		"7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f")
	if err != nil {
		t.Fatalf("SetSystemLabels: %v", err)
	}
	if want := "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"; rev != want {
		t.Errorf("new revision = %q, want %q", rev, want)
	}
}

func TestSetSystemLabelsWithoutIfMatch(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("PUT /dialogporten/api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		if v, ok := r.Header["If-Match"]; ok {
			t.Errorf("If-Match = %q, want absent", v)
		}
		testBody(t, r, `{"addLabels":["Bin"]}`)
		w.Header().Set("Etag", "rev-2")
		w.WriteHeader(http.StatusNoContent)
	})
	rev, err := c.SetSystemLabels(context.Background(), fxDialogID, SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelBin}}, "")
	if err != nil || rev != "rev-2" {
		t.Errorf("SetSystemLabels = %q, %v; want rev-2, nil", rev, err)
	}
}

func TestSetSystemLabelsPreconditionFailed(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("PUT /dialogporten/api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		serveProblem(w, http.StatusPreconditionFailed, fixture(t, "problem_precondition.json"))
	})
	rev, err := c.SetSystemLabels(context.Background(), fxDialogID, SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelBin}}, "stale")
	if !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("err = %v, want ErrPreconditionFailed", err)
	}
	if rev != "" {
		t.Errorf("revision = %q, want empty on error", rev)
	}
}

func TestBulkSetSystemLabels(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs/context/systemlabels/actions/bulkset", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodPost)
		testHeader(t, r, "Content-Type", "application/json")
		testHeader(t, r, "Authorization", "Bearer bulk-token")
		testBody(t, r, `{"dialogs":[{"dialogId":"d1","endUserContextRevision":"r1"},{"dialogId":"d2"}],"addLabels":["Bin"],"removeLabels":["Archive"]}`)
		w.WriteHeader(http.StatusNoContent)
	})
	err := c.BulkSetSystemLabels(context.Background(), BulkSetSystemLabelsRequest{
		Dialogs:      []BulkSetDialog{{DialogID: "d1", EndUserContextRevision: "r1"}, {DialogID: "d2"}},
		AddLabels:    []SystemLabel{SystemLabelBin},
		RemoveLabels: []SystemLabel{SystemLabelArchive},
	}, WithCallToken(TokenFunc(func(context.Context) (string, error) { return "bulk-token", nil })))
	if err != nil {
		t.Fatalf("BulkSetSystemLabels: %v", err)
	}
}

func TestMetadataEndpoints(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	routes := map[string]string{
		"/enduser/parties":                        "parties.json",
		"/enduser/serviceresources":               "serviceresources.json",
		"/enduser/dialoglookup":                   "lookup.json",
		"/metadata/limits":                        "limits.json",
		"/metadata/serviceresources":              "metadata_serviceresources.json",
		"/.well-known/jwks.json":                  "jwks.json",
		"/.well-known/oauth-authorization-server": "oauth.json",
	}
	queries := make(map[string]string)
	for p, file := range routes {
		mux.HandleFunc("GET /dialogporten/api/v1"+p, func(w http.ResponseWriter, r *http.Request) {
			testHeader(t, r, "Accept", "application/json")
			queries[p] = r.URL.RawQuery
			serveJSON(w, http.StatusOK, fixture(t, file))
		})
	}
	ctx := context.Background()

	parties, err := c.GetParties(ctx)
	if err != nil {
		t.Fatalf("GetParties: %v", err)
	}
	if got, want := len(parties.AuthorizedParties), 3; got != want {
		t.Fatalf("parties = %d, want %d", got, want)
	}
	me, org, gone := parties.AuthorizedParties[0], parties.AuthorizedParties[1], parties.AuthorizedParties[2]
	if !me.IsCurrentEndUser || me.PartyType != PartyTypePerson || me.DateOfBirth != "1984-08-08" || me.PartyID != 50001337 {
		t.Errorf("person party = %+v", me)
	}
	if org.PartyType != PartyTypeOrganization || !org.HasKeyRole || !org.IsMainAdministrator || !org.IsAccessManager ||
		len(org.SubParties) != 1 || org.SubParties[0].Name != "SKOGSBRUK OG SAGBRUK AS AVD SAGA" || org.PartyUUID != "0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d" {
		t.Errorf("organisation party = %+v", org)
	}
	if !gone.IsDeleted || !gone.HasOnlyAccessToSubParties {
		t.Errorf("deleted party = %+v", gone)
	}

	sr, err := c.ServiceResources(ctx, []string{"urn:altinn:organization:identifier-no:312345678", "urn:altinn:person:identifier-no:08844397713"})
	if err != nil {
		t.Fatalf("ServiceResources: %v", err)
	}
	if want := "party=urn%3Aaltinn%3Aorganization%3Aidentifier-no%3A312345678&party=urn%3Aaltinn%3Aperson%3Aidentifier-no%3A08844397713"; queries["/enduser/serviceresources"] != want {
		t.Errorf("serviceresources query = %q, want %q", queries["/enduser/serviceresources"], want)
	}
	if sr.IsFullCatalogueFallback == nil || *sr.IsFullCatalogueFallback {
		t.Errorf("IsFullCatalogueFallback = %v, want false", sr.IsFullCatalogueFallback)
	}
	item := sr.Items[0]
	if item.ServiceResource.MinimumAuthenticationLevel != 3 || item.ServiceOwner.OrgNumber != "974761076" ||
		item.Roles[0].URN != "urn:altinn:external-role:ccr:daglig-leder" || item.AccessPackages[0].Name.Best() != "Skattegrunnlag" ||
		item.ServiceResource.Links.Metadata == "" || item.ServiceResource.Name.Best("en") != "Tax return" {
		t.Errorf("service resource item = %+v", item)
	}

	lk, err := c.DialogLookup(ctx, "urn:altinn:correspondence-id:0194f1a2-aaaa-7bbb-8ccc-ddddeeeeffff")
	if err != nil {
		t.Fatalf("DialogLookup: %v", err)
	}
	if want := "instanceRef=urn%3Aaltinn%3Acorrespondence-id%3A0194f1a2-aaaa-7bbb-8ccc-ddddeeeeffff"; queries["/enduser/dialoglookup"] != want {
		t.Errorf("lookup query = %q, want %q", queries["/enduser/dialoglookup"], want)
	}
	ev := lk.AuthorizationEvidence
	if lk.DialogID != "0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e02" || !ev.ViaRole || ev.CurrentAuthenticationLevel != 3 ||
		len(ev.Evidence) != 2 || ev.Evidence[0].GrantType != GrantTypeRole || ev.Evidence[0].Links == nil || ev.Evidence[1].Links != nil ||
		lk.ServiceOwner.Code != "digdir" || lk.ServiceResource.ID != "urn:altinn:resource:digdir-correspondence-melding" {
		t.Errorf("lookup = %+v", lk)
	}

	lim, err := c.Limits(ctx)
	if err != nil {
		t.Fatalf("Limits: %v", err)
	}
	if want := (Limits{EndUserSearchLimits{100, 20, 20, 20}, ServiceOwnerSearchLimits{20, 20, 20}}); *lim != want {
		t.Errorf("Limits = %+v, want %+v", *lim, want)
	}

	meta, err := c.ServiceResourceMetadata(ctx)
	if err != nil {
		t.Fatalf("ServiceResourceMetadata: %v", err)
	}
	if meta.IsFullCatalogueFallback != nil || len(meta.Items) != 1 {
		t.Errorf("ServiceResourceMetadata = %+v", meta)
	}

	jwks, err := c.JWKS(ctx)
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	if want := (JWK{"OKP", "sig", "dp-sign-primary", "Ed25519", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "EdDSA"}); len(jwks.Keys) != 2 || jwks.Keys[0] != want {
		t.Errorf("JWKS = %+v", jwks)
	}
	asm, err := c.AuthorizationServerMetadata(ctx)
	if err != nil {
		t.Fatalf("AuthorizationServerMetadata: %v", err)
	}
	if asm.Issuer != "https://platform.tt02.altinn.no/dialogporten/api/v1" || !strings.HasSuffix(asm.JWKSURI, "/.well-known/jwks.json") {
		t.Errorf("AuthorizationServerMetadata = %+v", asm)
	}
}

func TestAnonymousClientSendsNoAuthorization(t *testing.T) {
	t.Parallel()
	_, mux, srv := setup(t)
	mux.HandleFunc("GET /dialogporten/api/v1/metadata/limits", func(w http.ResponseWriter, r *http.Request) {
		if v, ok := r.Header["Authorization"]; ok {
			t.Errorf("Authorization = %q, want absent", v)
		}
		testHeader(t, r, "User-Agent", "innboks-test/1")
		serveJSON(w, http.StatusOK, fixture(t, "limits.json"))
	})
	c, err := New(srv.URL+basePath+"/", WithHTTPClient(srv.Client()), WithUserAgent("innboks-test/1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Limits(context.Background()); err != nil {
		t.Fatalf("Limits: %v", err)
	}
}

func TestTokenSourceError(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	called := false
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { called = true })
	boom := errors.New("refresh failed")
	_, err := c.GetParties(context.Background(), WithCallToken(TokenFunc(func(context.Context) (string, error) { return "", boom })))
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want to wrap %v", err, boom)
	}
	if called {
		t.Error("request sent although the token source failed")
	}
}

func TestExchangeIDPortenToken(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/authentication/api/v1/exchange/id-porten", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer idporten-access-token")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "eyJhbGciOiJSUzI1NiJ9.eyJwaWQiOiJ4In0.sig\n")
	})
	tok, err := c.ExchangeIDPortenToken(context.Background(), WithCallToken(StaticToken("idporten-access-token")))
	if err != nil {
		t.Fatalf("ExchangeIDPortenToken: %v", err)
	}
	if want := "eyJhbGciOiJSUzI1NiJ9.eyJwaWQiOiJ4In0.sig"; tok != want {
		t.Errorf("token = %q, want %q", tok, want)
	}
}

func TestExchangeIDPortenTokenErrors(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/authentication/api/v1/exchange/id-porten", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	})
	if _, err := c.ExchangeIDPortenToken(context.Background()); !errors.Is(err, ErrForbidden) {
		t.Errorf("err = %v, want ErrForbidden", err)
	}
	anon, err := New("https://platform.example/dialogporten")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := anon.ExchangeIDPortenToken(context.Background()); err == nil {
		t.Error("exchange without a token: err = nil, want an error")
	}
}

func TestPlatformURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, platform, want string
	}{
		{"https://platform.tt02.altinn.no/dialogporten", "", "https://platform.tt02.altinn.no"},
		{"https://platform.altinn.no/dialogporten/", "", "https://platform.altinn.no"},
		{"http://127.0.0.1:8080/dp", "", "http://127.0.0.1:8080/dp"},
		{"https://platform.tt02.altinn.no/dialogporten", "https://other.example/", "https://other.example"},
	}
	for _, tt := range tests {
		var opts []Option
		if tt.platform != "" {
			opts = append(opts, WithPlatformURL(tt.platform))
		}
		c, err := New(tt.base, opts...)
		if err != nil {
			t.Fatalf("New(%q): %v", tt.base, err)
		}
		if got := c.PlatformURL(); got != tt.want {
			t.Errorf("New(%q, %q).PlatformURL() = %q, want %q", tt.base, tt.platform, got, tt.want)
		}
	}
	for _, bad := range []string{"", "platform.altinn.no", "ftp://x/y", "://"} {
		if _, err := New(bad); err == nil {
			t.Errorf("New(%q): err = nil, want an error", bad)
		}
	}
	if _, err := New("https://ok.example", WithPlatformURL("nope")); err == nil {
		t.Error("bad platform URL: err = nil, want an error")
	}
}

func TestCorrespondence(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	const id = "0194f1a2-aaaa-7bbb-8ccc-ddddeeeeffff"
	const att = "0194f1a2-bbbb-7ccc-8ddd-eeeeffff0000"
	prefix := "/correspondence/api/v1/correspondence/" + id
	mux.HandleFunc(prefix+"/content", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer dialog-token")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "# Hei\n\nDette er **innholdet**.")
	})
	var posted []string
	for _, sub := range []string{"/markasread", "/confirm"} {
		mux.HandleFunc(prefix+sub, func(w http.ResponseWriter, r *http.Request) {
			testMethod(t, r, http.MethodPost)
			testHeader(t, r, "Authorization", "Bearer dialog-token")
			posted = append(posted, sub)
			serveJSON(w, http.StatusOK, []byte(`"`+id+`"`))
		})
	}
	payload := strings.Repeat("%PDF-1.7 ", 1000)
	mux.HandleFunc(prefix+"/attachment/"+att+"/download", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, http.MethodGet)
		testHeader(t, r, "Authorization", "Bearer dialog-token")
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="vedtak.pdf"`)
		w.Header().Set("Content-Length", fmt.Sprint(len(payload)))
		fmt.Fprint(w, payload)
	})
	ctx := context.Background()
	tok := WithCallToken(StaticToken("dialog-token"))

	body, err := c.CorrespondenceContent(ctx, id, tok)
	if err != nil {
		t.Fatalf("CorrespondenceContent: %v", err)
	}
	if want := "# Hei\n\nDette er **innholdet**."; body != want {
		t.Errorf("content = %q, want %q", body, want)
	}
	if err := c.MarkCorrespondenceRead(ctx, id, tok); err != nil {
		t.Fatalf("MarkCorrespondenceRead: %v", err)
	}
	if err := c.ConfirmCorrespondence(ctx, id, tok); err != nil {
		t.Fatalf("ConfirmCorrespondence: %v", err)
	}
	if want := []string{"/markasread", "/confirm"}; !reflect.DeepEqual(posted, want) {
		t.Errorf("posted = %v, want %v", posted, want)
	}
	dl, err := c.DownloadCorrespondenceAttachment(ctx, id, att, tok)
	if err != nil {
		t.Fatalf("DownloadCorrespondenceAttachment: %v", err)
	}
	defer dl.Body.Close()
	got, err := io.ReadAll(dl.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != payload || dl.ContentType != "application/pdf" ||
		dl.ContentDisposition != `attachment; filename="vedtak.pdf"` || dl.ContentLength != int64(len(payload)) {
		t.Errorf("download = %d bytes, %q, %q, %d", len(got), dl.ContentType, dl.ContentDisposition, dl.ContentLength)
	}
}

func TestCorrespondenceErrors(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/correspondence/api/v1/correspondence/{id}/", func(w http.ResponseWriter, r *http.Request) {
		serveProblem(w, http.StatusNotFound, []byte(`{"title":"Not found","status":404,"code":1001,"detail":"The requested correspondence was not found"}`))
	})
	ctx := context.Background()
	_, err := c.DownloadCorrespondenceAttachment(ctx, "c1", "a1")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want *Error matching ErrNotFound", err)
	}
	if e.Problem == nil || e.Problem.Code != "1001" {
		t.Errorf("Problem = %+v, want numeric code kept as \"1001\"", e.Problem)
	}
	if err := c.ConfirmCorrespondence(ctx, "c1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("confirm err = %v, want ErrNotFound", err)
	}
	if _, err := c.CorrespondenceContent(ctx, "c1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("content err = %v, want ErrNotFound", err)
	}
}
