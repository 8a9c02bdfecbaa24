package inbox

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/dpclient/dpclienttest"
)

// TestLookup: a deep link's instance reference resolves through Dialogporten's dialog lookup
// to one of the user's dialogs with its party and the access evidence; a reference of no known
// form is refused without a call; unknown, refused and other people's references are one
// not-found.
func TestLookup(t *testing.T) {
	t.Parallel()
	const (
		dialog  = "0194b5a6-0000-7000-8000-00000000d001"
		alta    = "urn:altinn:organization:identifier-no:310000002"
		foreign = "urn:altinn:organization:identifier-no:999999999"
	)
	evidence := dpclient.AuthorizationEvidence{CurrentAuthenticationLevel: 3, ViaAccessPackage: true,
		Evidence: []dpclient.AuthorizationEvidenceItem{{GrantType: "AccessPackage", Subject: "urn:altinn:accesspackage:skattegrunnlag"}}}
	var calls atomic.Int32
	answers := map[string]func(w http.ResponseWriter){
		"urn:altinn:dialog-id:" + dialog: func(w http.ResponseWriter) {
			_ = json.NewEncoder(w).Encode(dpclient.DialogLookup{DialogID: dialog, Party: alta, AuthorizationEvidence: evidence})
		},
		"urn:altinn:instance-id:51001234/0194b5a6-0000-7000-8000-00000000a001": func(w http.ResponseWriter) {
			_ = json.NewEncoder(w).Encode(dpclient.DialogLookup{DialogID: dialog, Party: alta})
		},
		"urn:altinn:correspondence-id:0194b5a6-0000-7000-8000-00000000c001": func(w http.ResponseWriter) {
			_ = json.NewEncoder(w).Encode(dpclient.DialogLookup{DialogID: dialog, Party: foreign})
		},
		"urn:altinn:dialog-id:0194b5a6-0000-7000-8000-00000000d403": func(w http.ResponseWriter) {
			w.WriteHeader(http.StatusForbidden)
		},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.URL.Path != "/api/v1/enduser/dialoglookup" || r.Header.Get("Authorization") != "Bearer "+svUserToken {
			t.Errorf("unexpected %s %s (auth %q)", r.Method, r.URL.Path, r.Header.Get("Authorization"))
		}
		if a, ok := answers[r.URL.Query().Get("instanceRef")]; ok {
			w.Header().Set("Content-Type", "application/json")
			a(w)
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)
	client, err := dpclient.New(srv.URL, dpclient.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	svc := NewDialogs(DialogsConfig{DP: client})
	u := &User{Key: "s", Lang: "nb", Token: dpclient.StaticToken(svUserToken)}
	ix := NewPartyIndex(dpclienttest.Parties())

	f, err := svc.Lookup(t.Context(), u, ix, "  urn:altinn:dialog-id:"+dialog+" ")
	if err != nil {
		t.Fatalf("Lookup(dialog-id): %v", err)
	}
	if f.DialogID != dialog || f.Party.URN != alta || !f.Evidence.ViaAccessPackage || len(f.Evidence.Evidence) != 1 {
		t.Errorf("Lookup(dialog-id) = %+v, want %s of %s with the access-package evidence", f, dialog, alta)
	}
	if f, err := svc.Lookup(t.Context(), u, ix, "urn:altinn:instance-id:51001234/0194b5a6-0000-7000-8000-00000000a001"); err != nil || f.DialogID != dialog {
		t.Errorf("Lookup(instance-id) = %+v, %v; want %s", f, err, dialog)
	}

	before := calls.Load()
	for _, bad := range []string{"", "urn:altinn:dialog-id:nope", "https://evil.example/x", "urn:altinn:instance-id:/0194b5a6-0000-7000-8000-00000000a001",
		"urn:altinn:party-id:1", "urn:altinn:dialog-id:" + dialog + "&x=1"} {
		if _, err := svc.Lookup(t.Context(), u, ix, bad); !errors.Is(err, ErrBadReference) {
			t.Errorf("Lookup(%q) = %v, want ErrBadReference", bad, err)
		}
	}
	if calls.Load() != before {
		t.Errorf("malformed references made %d upstream calls, want none", calls.Load()-before)
	}
	for _, ref := range []string{
		"urn:altinn:correspondence-id:0194b5a6-0000-7000-8000-00000000c001", // a party not in the user's list
		"urn:altinn:dialog-id:0194b5a6-0000-7000-8000-00000000d403",         // 403
		"urn:altinn:dialog-id:0194b5a6-0000-7000-8000-00000000d404",         // 404
	} {
		if _, err := svc.Lookup(t.Context(), u, ix, ref); !errors.Is(err, ErrNotFound) {
			t.Errorf("Lookup(%q) = %v, want ErrNotFound", ref, err)
		}
	}
}
