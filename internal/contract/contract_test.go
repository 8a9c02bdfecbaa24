package contract

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestSpecLoads(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Paths.Value("/api/v1/enduser/dialogs") == nil {
		t.Fatal("spec has no /api/v1/enduser/dialogs")
	}
}

func TestValidatorRequest(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, url string
		body              string
		wantErr           bool
		notInSpec         bool
	}{
		{"search ok", "GET", "http://x/dialogporten/api/v1/enduser/dialogs?party=urn:altinn:person:identifier-no:1&limit=10&status=InProgress", "", false, false},
		{"bad limit", "GET", "http://x/api/v1/enduser/dialogs?limit=abc", "", true, false},
		{"bad status enum", "GET", "http://x/api/v1/enduser/dialogs?status=Whatever", "", true, false},
		{"bad uuid", "GET", "http://x/api/v1/enduser/dialogs/not-a-uuid", "", true, false},
		{"unknown path", "GET", "http://x/api/v1/enduser/nothing", "", true, true},
		{"outside api", "GET", "http://x/correspondence/api/v2/x", "", true, true},
		{"labels ok", "PUT", "http://x/api/v1/enduser/dialogs/0190fbd7-0000-7000-8000-000000000001/context/systemlabels", `{"addLabels":["Archive"]}`, false, false},
		{"labels bad", "PUT", "http://x/api/v1/enduser/dialogs/0190fbd7-0000-7000-8000-000000000001/context/systemlabels", `{"addLabels":["Nope"]}`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, strings.NewReader(tt.body))
			r.Header.Set("Accept-Language", "nb,en;q=0.8")
			if tt.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			err := v.Request(r, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("got err %v, want error %v", err, tt.wantErr)
			}
			if got := errors.Is(err, ErrNotInSpec); got != tt.notInSpec {
				t.Fatalf("got ErrNotInSpec %v, want %v (%v)", got, tt.notInSpec, err)
			}
		})
	}
}

func TestValidatorResponse(t *testing.T) {
	v, err := New()
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "http://x/api/v1/enduser/parties", nil)
	h := http.Header{"Content-Type": {"application/json"}}
	ok := `{"authorizedParties":[{"party":"urn:altinn:person:identifier-no:08844397713","partyUuid":"0190fbd7-0000-7000-8000-000000000001","partyId":1,"partyType":"Person","isDeleted":false,"name":"KARI","subParties":[]}]}`
	if err := v.Response(r, 200, h, []byte(ok)); err != nil {
		t.Fatalf("valid parties response rejected: %v", err)
	}
	bad := `{"authorizedParties":[{"partyId":"one"}]}`
	if err := v.Response(r, 200, h, []byte(bad)); err == nil {
		t.Fatal("got nil error for a partyId string, want a validation error")
	}
	if err := v.Response(r, 418, h, []byte(`{}`)); err == nil {
		t.Fatal("got nil error for an undocumented status, want an error")
	}
}
