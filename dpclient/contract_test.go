package dpclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/innboks/innboks/internal/contract"
)

// specServer answers every end-user route with spec-valid fixtures, plus a few documented
// error answers, so the client's requests and decoding can be checked against the contract.
func specServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	api := "GET " + basePath + "/api/v1"
	static := map[string]string{
		"/enduser/dialogs/{id}/activities":          "activities.json",
		"/enduser/dialogs/{id}/activities/{aid}":    "activity.json",
		"/enduser/dialogs/{id}/transmissions":       "transmissions.json",
		"/enduser/dialogs/{id}/transmissions/{tid}": "transmission.json",
		"/enduser/dialogs/{id}/seenlog":             "seenlog.json",
		"/enduser/dialogs/{id}/seenlog/{sid}":       "seenlog_entry.json",
		"/enduser/dialogs/{id}/context/labellog":    "labellog.json",
		"/enduser/parties":                          "parties.json",
		"/enduser/serviceresources":                 "serviceresources.json",
		"/enduser/dialoglookup":                     "lookup.json",
		"/metadata/limits":                          "limits.json",
		"/metadata/serviceresources":                "metadata_serviceresources.json",
		"/.well-known/jwks.json":                    "jwks.json",
		"/.well-known/oauth-authorization-server":   "oauth.json",
	}
	for p, file := range static {
		body := fixture(t, file)
		mux.HandleFunc(api+p, func(w http.ResponseWriter, r *http.Request) { serveJSON(w, http.StatusOK, body) })
	}

	page1 := fixture(t, "search.json")
	var last map[string]any
	if err := json.Unmarshal(page1, &last); err != nil {
		t.Fatal(err)
	}
	last["hasNextPage"] = false
	last["items"] = last["items"].([]any)[:1]
	page2, _ := json.Marshal(last)
	mux.HandleFunc(api+"/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("search") {
		case "overload":
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("Service Unavailable"))
			return
		case "broad":
			serveProblem(w, http.StatusUnprocessableEntity, []byte(`{"type":"https://datatracker.ietf.org/doc/html/rfc4918#section-11.2","title":"Unprocessable request.","status":422,"errors":{"Search":["The search took too long. Narrow it with contentUpdatedAfter."]}}`))
			return
		}
		if r.URL.Query().Get("continuationToken") == "" {
			serveJSON(w, http.StatusOK, page1)
			return
		}
		serveJSON(w, http.StatusOK, page2)
	})

	details := fixture(t, "dialog.json")
	notFound := fixture(t, "problem_notfound.json")
	mux.HandleFunc(api+"/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("id") != fxDialogID {
			serveProblem(w, http.StatusNotFound, notFound)
			return
		}
		w.Header().Set("ETag", "5b0e8f62-9c1d-4e3f-a2b1-c0d9e8f7a601")
		serveJSON(w, http.StatusOK, details)
	})
	precondition := fixture(t, "problem_precondition.json")
	mux.HandleFunc("PUT "+basePath+"/api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-Match") != "" && r.Header.Get("If-Match") != "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f" {
			serveProblem(w, http.StatusPreconditionFailed, precondition)
			return
		}
		w.Header().Set("Etag", "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b")
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST "+basePath+"/api/v1/enduser/dialogs/context/systemlabels/actions/bulkset", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestContract drives every Dialogporten method through contract.Transport: each request the
// client builds and each response it decodes must be valid against the pinned spec.
func TestContract(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := specServer(t)
	tr := &contract.Transport{Base: srv.Client().Transport, Validator: v}
	c, err := New(srv.URL+basePath, WithHTTPClient(&http.Client{Transport: tr, Timeout: 10 * time.Second}),
		WithTokenSource(StaticToken("eyJ.test.token")))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	nb := WithLanguage("nb,en;q=0.8")
	tm := time.Date(2025, 1, 1, 0, 0, 0, 0, time.FixedZone("", 3600))
	full := SearchParams{
		Party:                []string{"urn:altinn:organization:identifier-no:312345678", "urn:altinn:person:identifier-no:08844397713"},
		ServiceResource:      []string{"urn:altinn:resource:skd-skattemelding"},
		Org:                  []string{"skd"},
		ExtendedStatus:       []string{"urn:skd:status:venter-pa-kontroll"},
		ExternalReference:    "SKM-2025-000123",
		Status:               []DialogStatus{DialogStatusRequiresAttention, DialogStatusInProgress},
		Process:              "urn:no:skatteetaten:skattemelding:2025:312345678",
		SystemLabel:          []SystemLabel{SystemLabelDefault},
		IsContentSeen:        ptr(false),
		ExcludeAPIOnly:       ptr(true),
		CreatedAfter:         &tm,
		CreatedBefore:        ptr(tm.AddDate(1, 0, 0)),
		UpdatedAfter:         &tm,
		UpdatedBefore:        ptr(tm.AddDate(1, 0, 0)),
		ContentUpdatedAfter:  &tm,
		ContentUpdatedBefore: ptr(tm.AddDate(1, 0, 0)),
		DueAfter:             &tm,
		DueBefore:            ptr(tm.AddDate(1, 0, 0)),
		Search:               "skattemelding",
		SearchLanguageCode:   "nb",
		OrderBy:              "createdAt_asc",
		Limit:                3,
	}

	calls := []struct {
		name string
		call func() error
		want error // nil for success, else the sentinel
	}{
		{"SearchAll", func() error {
			n := 0
			for _, err := range c.SearchAll(ctx, full, nb) {
				if err != nil {
					return err
				}
				n++
			}
			if n != 2 {
				t.Errorf("SearchAll pages = %d, want 2", n)
			}
			return nil
		}, nil},
		{"Search 503", func() error {
			_, err := c.SearchDialogs(ctx, &SearchParams{Party: full.Party, Search: "overload"})
			return err
		}, ErrUnavailable},
		{"Search 422", func() error {
			_, err := c.SearchDialogs(ctx, &SearchParams{Party: full.Party, Search: "broad"})
			return err
		}, ErrUnprocessable},
		{"GetDialog", func() error { _, err := c.GetDialog(ctx, fxDialogID, nb); return err }, nil},
		{"GetDialog 404", func() error {
			_, err := c.GetDialog(ctx, "0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e09")
			return err
		}, ErrNotFound},
		{"ListActivities", func() error { _, err := c.ListActivities(ctx, fxDialogID, nb); return err }, nil},
		{"GetActivity", func() error { _, err := c.GetActivity(ctx, fxDialogID, fxActivityID, nb); return err }, nil},
		{"ListTransmissions", func() error { _, err := c.ListTransmissions(ctx, fxDialogID, nb); return err }, nil},
		{"GetTransmission", func() error { _, err := c.GetTransmission(ctx, fxDialogID, fxTransmissionID, nb); return err }, nil},
		{"ListSeenLog", func() error { _, err := c.ListSeenLog(ctx, fxDialogID); return err }, nil},
		{"GetSeenLog", func() error { _, err := c.GetSeenLog(ctx, fxDialogID, fxSeenLogID); return err }, nil},
		{"ListLabelLog", func() error { _, err := c.ListLabelLog(ctx, fxDialogID); return err }, nil},
		{"SetSystemLabels", func() error {
			_, err := c.SetSystemLabels(ctx, fxDialogID, SetSystemLabelsRequest{
				AddLabels: []SystemLabel{SystemLabelArchive}, RemoveLabels: []SystemLabel{SystemLabelMarkedAsUnopened},
			}, "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f")
			return err
		}, nil},
		{"SetSystemLabels 412", func() error {
			_, err := c.SetSystemLabels(ctx, fxDialogID, SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelBin}},
				"00000000-0000-4000-8000-000000000000")
			return err
		}, ErrPreconditionFailed},
		{"BulkSetSystemLabels", func() error {
			return c.BulkSetSystemLabels(ctx, BulkSetSystemLabelsRequest{
				Dialogs: []BulkSetDialog{
					{DialogID: fxDialogID, EndUserContextRevision: "7c9d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f"},
					{DialogID: "0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e02"},
				},
				AddLabels: []SystemLabel{SystemLabelBin},
			})
		}, nil},
		{"GetParties", func() error { _, err := c.GetParties(ctx); return err }, nil},
		{"ServiceResources", func() error { _, err := c.ServiceResources(ctx, full.Party, nb); return err }, nil},
		{"DialogLookup", func() error { _, err := c.DialogLookup(ctx, "urn:altinn:dialog-id:"+fxDialogID, nb); return err }, nil},
		{"Limits", func() error { _, err := c.Limits(ctx); return err }, nil},
		{"ServiceResourceMetadata", func() error { _, err := c.ServiceResourceMetadata(ctx, nb); return err }, nil},
		{"JWKS", func() error { _, err := c.JWKS(ctx); return err }, nil},
		{"AuthorizationServerMetadata", func() error { _, err := c.AuthorizationServerMetadata(ctx); return err }, nil},
	}
	for _, cl := range calls {
		err := cl.call()
		switch {
		case cl.want == nil && err != nil:
			t.Errorf("%s: %v", cl.name, err)
		case cl.want != nil && !errors.Is(err, cl.want):
			t.Errorf("%s: err = %v, want %v", cl.name, err, cl.want)
		}
	}
	for _, err := range tr.Errors() {
		t.Errorf("contract: %v", err)
	}
	// One exchange per call, two for the two search pages.
	if got, want := tr.Checked(), len(calls)+1; got != want {
		t.Errorf("Checked() = %d, want %d", got, want)
	}
}
