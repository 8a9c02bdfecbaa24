package dpclient

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/innboks/innboks/internal/contract"
)

const (
	fxDialogID       = "0194f1a2-3b4c-7d5e-8f60-1a2b3c4d5e01"
	fxTransmissionID = "0194f1a2-5000-7abc-8def-000000000c01"
	fxActivityID     = "0194f1a2-8000-7abc-8def-000000001203"
	fxSeenLogID      = "0194f1a2-9000-7abc-8def-000000001301"
)

// fixtureRoute says which operation's response a fixture is an example of.
type fixtureRoute struct {
	file   string
	path   string // below /api/v1
	status int
	ctype  string
}

// fixtureRoutes lists every fixture in testdata and the GET operation it answers.
var fixtureRoutes = []fixtureRoute{
	{"search.json", "/enduser/dialogs?party=urn:altinn:organization:identifier-no:312345678", 200, "application/json"},
	{"dialog.json", "/enduser/dialogs/" + fxDialogID, 200, "application/json"},
	{"activities.json", "/enduser/dialogs/" + fxDialogID + "/activities", 200, "application/json"},
	{"activity.json", "/enduser/dialogs/" + fxDialogID + "/activities/" + fxActivityID, 200, "application/json"},
	{"transmissions.json", "/enduser/dialogs/" + fxDialogID + "/transmissions", 200, "application/json"},
	{"transmission.json", "/enduser/dialogs/" + fxDialogID + "/transmissions/" + fxTransmissionID, 200, "application/json"},
	{"seenlog.json", "/enduser/dialogs/" + fxDialogID + "/seenlog", 200, "application/json"},
	{"seenlog_entry.json", "/enduser/dialogs/" + fxDialogID + "/seenlog/" + fxSeenLogID, 200, "application/json"},
	{"labellog.json", "/enduser/dialogs/" + fxDialogID + "/context/labellog", 200, "application/json"},
	{"parties.json", "/enduser/parties", 200, "application/json"},
	{"serviceresources.json", "/enduser/serviceresources", 200, "application/json"},
	{"lookup.json", "/enduser/dialoglookup?instanceRef=urn:altinn:dialog-id:" + fxDialogID, 200, "application/json"},
	{"limits.json", "/metadata/limits", 200, "application/json"},
	{"metadata_serviceresources.json", "/metadata/serviceresources", 200, "application/json"},
	{"jwks.json", "/.well-known/jwks.json", 200, "application/json"},
	{"oauth.json", "/.well-known/oauth-authorization-server", 200, "application/json"},
	{"problem_notfound.json", "/enduser/dialogs/" + fxDialogID, 404, "application/problem+json"},
	// 403 on details documents no body; the ProblemDetails schema is shared, so the auth-level
	// body is checked where the spec does document a ProblemDetails (404 of the same route).
	{"problem_authlevel.json", "/enduser/dialogs/" + fxDialogID, 404, "application/problem+json"},
	{"problem_validation.json", "/enduser/dialogs?party=urn:altinn:organization:identifier-no:312345678", 422, "application/problem+json"},
}

// TestFixturesMatchSpec validates every fixture against the pinned spec, so the decoding tests
// stand on data Dialogporten could really send.
func TestFixturesMatchSpec(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fixtureRoutes {
		t.Run(f.file, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "http://dp.test"+basePath+"/api/v1"+f.path, nil)
			h := http.Header{"Content-Type": {f.ctype}}
			if err := v.Response(req, f.status, h, fixture(t, f.file)); err != nil {
				t.Errorf("fixture does not match the spec: %v", err)
			}
		})
	}
}

// TestPreconditionFixtureMatchesSpec checks the 412 problem body against the PUT route.
func TestPreconditionFixtureMatchesSpec(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPut, "http://dp.test"+basePath+"/api/v1/enduser/dialogs/"+fxDialogID+"/context/systemlabels", nil)
	h := http.Header{"Content-Type": {"application/problem+json"}}
	if err := v.Response(req, http.StatusPreconditionFailed, h, fixture(t, "problem_precondition.json")); err != nil {
		t.Errorf("412 fixture does not match the spec: %v", err)
	}
	if err := v.Response(req, http.StatusBadRequest, h, fixture(t, "problem_validation.json")); err != nil {
		t.Errorf("400 fixture does not match the spec: %v", err)
	}
}
