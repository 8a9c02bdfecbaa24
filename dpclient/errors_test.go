package dpclient

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

var allSentinels = []error{
	ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrAuthLevelTooLow, ErrNotFound, ErrConflict,
	ErrGone, ErrPreconditionFailed, ErrUnprocessable, ErrRateLimited, ErrUnavailable,
}

func TestErrorStatusMapping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		ctype       string
		body        string
		retryAfter  string
		want        []error // sentinels that must match; every other one must not
		wantTitle   string
		wantRetry   time.Duration
		wantErrKey  string
		wantProblem bool
	}{
		{name: "400 validation", status: 400, ctype: "application/problem+json", body: string(mustFixture("problem_validation.json")),
			want: []error{ErrBadRequest}, wantTitle: "One or more validation errors occurred.", wantErrKey: "Limit", wantProblem: true},
		{name: "401 empty", status: 401, want: []error{ErrUnauthorized}},
		{name: "403 empty", status: 403, want: []error{ErrForbidden}},
		{name: "403 auth level", status: 403, ctype: "application/problem+json", body: string(mustFixture("problem_authlevel.json")),
			want: []error{ErrForbidden, ErrAuthLevelTooLow}, wantTitle: "Forbidden.", wantErrKey: "Forbidden", wantProblem: true},
		{name: "403 other problem", status: 403, ctype: "application/problem+json", body: `{"title":"Forbidden.","status":403,"errors":{"Type":["The user type is not supported."]}}`,
			want: []error{ErrForbidden}, wantTitle: "Forbidden.", wantErrKey: "Type", wantProblem: true},
		{name: "404", status: 404, ctype: "application/problem+json", body: string(mustFixture("problem_notfound.json")),
			want: []error{ErrNotFound}, wantTitle: "Resource not found.", wantErrKey: "DialogEntity", wantProblem: true},
		{name: "409", status: 409, want: []error{ErrConflict}},
		{name: "410", status: 410, ctype: "application/problem+json", body: `{"title":"Resource no longer available.","status":410,"errors":{"DialogEntity":["Entity 'DialogEntity' with key(s) (x) is removed."]}}`,
			want: []error{ErrGone}, wantTitle: "Resource no longer available.", wantErrKey: "DialogEntity", wantProblem: true},
		{name: "412", status: 412, ctype: "application/problem+json", body: string(mustFixture("problem_precondition.json")),
			want: []error{ErrPreconditionFailed}, wantTitle: "Precondition failed.", wantProblem: true},
		{name: "422", status: 422, ctype: "application/problem+json; charset=utf-8", body: `{"title":"Unprocessable request.","status":422,"errors":{"Search":["Search is too broad."]}}`,
			want: []error{ErrUnprocessable}, wantTitle: "Unprocessable request.", wantErrKey: "Search", wantProblem: true},
		{name: "429 seconds", status: 429, retryAfter: "120", want: []error{ErrRateLimited}, wantRetry: 2 * time.Minute},
		{name: "502 problem", status: 502, ctype: "application/problem+json", body: `{"title":"Bad gateway.","status":502}`,
			want: []error{ErrUnavailable}, wantTitle: "Bad gateway.", wantProblem: true},
		{name: "503 text/plain date", status: 503, ctype: "text/plain", body: "Service Unavailable",
			retryAfter: "Wed, 21 Oct 2015 07:30:00 GMT", want: []error{ErrUnavailable}, wantRetry: 90 * time.Second},
		{name: "504", status: 504, want: []error{ErrUnavailable}},
		{name: "500", status: 500, ctype: "application/problem+json", body: `{"title":"An error occurred while processing the request.","status":500}`,
			want: nil, wantTitle: "An error occurred while processing the request.", wantProblem: true},
		{name: "bad retry-after", status: 429, retryAfter: "soon", want: []error{ErrRateLimited}},
		{name: "past retry-after", status: 503, retryAfter: "Wed, 21 Oct 2015 07:00:00 GMT", want: []error{ErrUnavailable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, mux, _ := setup(t)
			// A fixed clock 90 s before the HTTP-date Retry-After values above.
			c.now = func() time.Time { return time.Date(2015, 10, 21, 7, 28, 30, 0, time.UTC) }
			mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs/{id}", func(w http.ResponseWriter, r *http.Request) {
				if tt.ctype != "" {
					w.Header().Set("Content-Type", tt.ctype)
				}
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := c.GetDialog(context.Background(), fxDialogID)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *Error", err, err)
			}
			if e.StatusCode != tt.status {
				t.Errorf("StatusCode = %d, want %d", e.StatusCode, tt.status)
			}
			for _, s := range allSentinels {
				want := false
				for _, w := range tt.want {
					want = want || w == s
				}
				if got := errors.Is(err, s); got != want {
					t.Errorf("errors.Is(err, %v) = %t, want %t", s, got, want)
				}
			}
			if got := e.Problem != nil; got != tt.wantProblem {
				t.Fatalf("Problem decoded = %t, want %t (body %q)", got, tt.wantProblem, e.Body)
			}
			if e.Problem != nil {
				if e.Problem.Title != tt.wantTitle {
					t.Errorf("Problem.Title = %q, want %q", e.Problem.Title, tt.wantTitle)
				}
				if e.Problem.Status != tt.status {
					t.Errorf("Problem.Status = %d, want %d", e.Problem.Status, tt.status)
				}
				if tt.wantErrKey != "" && len(e.Problem.Errors[tt.wantErrKey]) == 0 {
					t.Errorf("Problem.Errors = %v, want key %q", e.Problem.Errors, tt.wantErrKey)
				}
			}
			if e.RetryAfter != tt.wantRetry {
				t.Errorf("RetryAfter = %v, want %v", e.RetryAfter, tt.wantRetry)
			}
			if e.Body != tt.body {
				t.Errorf("Body = %q, want %q", e.Body, tt.body)
			}
			if got, want := e.Temporary(), tt.status == 429 || tt.status == 502 || tt.status == 503 || tt.status == 504; got != want {
				t.Errorf("Temporary() = %t, want %t", got, want)
			}
		})
	}
}

func TestProblemDetailsAllFields(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("PUT /dialogporten/api/v1/enduser/dialogs/{id}/context/systemlabels", func(w http.ResponseWriter, r *http.Request) {
		serveProblem(w, http.StatusBadRequest, fixture(t, "problem_validation.json"))
	})
	_, err := c.SetSystemLabels(context.Background(), fxDialogID, SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelSent}}, "")
	var e *Error
	if !errors.As(err, &e) || e.Problem == nil {
		t.Fatalf("err = %v, want *Error with a problem", err)
	}
	p := e.Problem
	if p.Type != "https://datatracker.ietf.org/doc/html/rfc7231#section-6.5.1" || p.Instance != "/api/v1/enduser/dialogs" ||
		p.TraceID != "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b8-00" || p.Code != "DP-400" || p.Detail != "Validation failed" {
		t.Errorf("problem = %+v", p)
	}
	if len(p.ValidationErrors) != 1 || p.ValidationErrors[0].Paths[0] != "limit" || p.ValidationErrors[0].Code != "limit" {
		t.Errorf("ValidationErrors = %+v", p.ValidationErrors)
	}
	if got := len(p.Messages()); got != 3 {
		t.Errorf("Messages() = %d messages, want 3", got)
	}
}

func TestErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/parties", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(strings.Repeat("x", 1<<20)))
	})
	_, err := c.GetParties(context.Background())
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want *Error", err)
	}
	if got := len(e.Body); got != maxErrorBody {
		t.Errorf("len(Body) = %d, want %d", got, maxErrorBody)
	}
	if e.Problem != nil {
		t.Errorf("Problem = %+v, want nil for an HTML body", e.Problem)
	}
}

// TestErrorMessageHidesQuery checks that neither *Error nor transport errors repeat the query
// string, where party URNs (national identity numbers) travel.
func TestErrorMessageHidesQuery(t *testing.T) {
	t.Parallel()
	const fnr = "08844397713"
	c, mux, srv := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	})
	params := &SearchParams{Party: []string{"urn:altinn:person:identifier-no:" + fnr}}
	_, err := c.SearchDialogs(context.Background(), params)
	if err == nil || strings.Contains(err.Error(), fnr) || strings.Contains(err.Error(), testToken) {
		t.Errorf("error %q is nil or leaks the query or token", err)
	}
	if want := "dpclient: GET /dialogporten/api/v1/enduser/dialogs: 403 Forbidden"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	srv.Close() // now a transport error
	_, err = c.SearchDialogs(context.Background(), params)
	if err == nil || strings.Contains(err.Error(), fnr) {
		t.Errorf("transport error %q is nil or leaks the query", err)
	}
}

func TestContextCancellation(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	started := make(chan struct{})
	mux.HandleFunc("/dialogporten/api/v1/enduser/dialogs", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done() // hold the request until the client gives up
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	_, err := c.SearchDialogs(ctx, &SearchParams{Party: []string{"urn:altinn:person:identifier-no:08844397713"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if strings.Contains(err.Error(), "08844397713") {
		t.Errorf("error %q leaks the query", err)
	}
	// An already cancelled context sends nothing and stops SearchAll at once.
	n := 0
	for _, err := range c.SearchAll(ctx, SearchParams{Party: []string{"p"}}) {
		n++
		if !errors.Is(err, context.Canceled) {
			t.Errorf("SearchAll err = %v, want context.Canceled", err)
		}
	}
	if n != 1 {
		t.Errorf("SearchAll yielded %d times, want 1", n)
	}
}

func TestResponseTooLarge(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	c.maxBody, c.maxPartiesBody = 1<<10, 2<<10
	big := `{"authorizedParties":[` + strings.Repeat(`{"name":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},`, 50) + `{}]}`
	mux.HandleFunc("/dialogporten/api/v1/enduser/parties", func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, http.StatusOK, []byte(big))
	})
	mux.HandleFunc("/correspondence/api/v1/correspondence/{id}/content", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(big))
	})
	if _, err := c.GetParties(context.Background()); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("GetParties err = %v, want ErrResponseTooLarge", err)
	}
	if _, err := c.CorrespondenceContent(context.Background(), "c1"); !errors.Is(err, ErrResponseTooLarge) {
		t.Errorf("CorrespondenceContent err = %v, want ErrResponseTooLarge", err)
	}
}

func TestMalformedJSON(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	mux.HandleFunc("/dialogporten/api/v1/enduser/parties", func(w http.ResponseWriter, r *http.Request) {
		serveJSON(w, http.StatusOK, []byte(`{"authorizedParties":[{"partyId":"not a number"}]}`))
	})
	_, err := c.GetParties(context.Background())
	var e *Error
	if err == nil || errors.As(err, &e) {
		t.Errorf("err = %v, want a decode error that is not an *Error", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"5", 5 * time.Second},
		{" 30 ", 30 * time.Second},
		{"-3", 0},
		{"Thu, 01 Jan 2026 12:01:00 GMT", time.Minute},
		{"Thursday, 01-Jan-26 12:00:10 GMT", 10 * time.Second}, // RFC 850
		{"Thu Jan  1 12:00:20 2026", 20 * time.Second},         // ANSI C
		{"Thu, 01 Jan 2026 11:00:00 GMT", 0},
		{"later", 0},
	}
	for _, tt := range tests {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func mustFixture(name string) []byte { return fixture(panicTB{}, name) }

// panicTB lets fixture be used in table initialisers, outside a test function.
type panicTB struct{ testing.TB }

func (panicTB) Helper()                        {}
func (panicTB) Fatalf(format string, a ...any) { panic(format) }

// TestEveryMethodReturnsTypedErrors checks that each method hands back the *Error (and no
// result) when the server refuses it.
func TestEveryMethodReturnsTypedErrors(t *testing.T) {
	t.Parallel()
	c, mux, _ := setup(t)
	var hits int
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.Header().Set("WWW-Authenticate", "Bearer")
		w.WriteHeader(http.StatusUnauthorized)
	})
	ctx := context.Background()
	calls := map[string]func() (any, error){
		"GetParties":    func() (any, error) { return c.GetParties(ctx) },
		"SearchDialogs": func() (any, error) { return c.SearchDialogs(ctx, &SearchParams{Party: []string{"p"}}) },
		"SearchAll": func() (any, error) {
			for res, err := range c.SearchAll(ctx, SearchParams{Party: []string{"p"}}) {
				return res, err
			}
			return nil, nil
		},
		"GetDialog":         func() (any, error) { return c.GetDialog(ctx, "d") },
		"ListActivities":    func() (any, error) { return c.ListActivities(ctx, "d") },
		"GetActivity":       func() (any, error) { return c.GetActivity(ctx, "d", "a") },
		"ListTransmissions": func() (any, error) { return c.ListTransmissions(ctx, "d") },
		"GetTransmission":   func() (any, error) { return c.GetTransmission(ctx, "d", "t") },
		"ListSeenLog":       func() (any, error) { return c.ListSeenLog(ctx, "d") },
		"GetSeenLog":        func() (any, error) { return c.GetSeenLog(ctx, "d", "s") },
		"ListLabelLog":      func() (any, error) { return c.ListLabelLog(ctx, "d") },
		"SetSystemLabels": func() (any, error) {
			rev, err := c.SetSystemLabels(ctx, "d", SetSystemLabelsRequest{AddLabels: []SystemLabel{SystemLabelBin}}, "")
			return nilIfEmpty(rev), err
		},
		"BulkSetSystemLabels": func() (any, error) {
			return nil, c.BulkSetSystemLabels(ctx, BulkSetSystemLabelsRequest{Dialogs: []BulkSetDialog{{DialogID: "d"}}})
		},
		"ServiceResources":            func() (any, error) { return c.ServiceResources(ctx, nil) },
		"DialogLookup":                func() (any, error) { return c.DialogLookup(ctx, "urn:altinn:dialog-id:d") },
		"Limits":                      func() (any, error) { return c.Limits(ctx) },
		"ServiceResourceMetadata":     func() (any, error) { return c.ServiceResourceMetadata(ctx) },
		"JWKS":                        func() (any, error) { return c.JWKS(ctx) },
		"AuthorizationServerMetadata": func() (any, error) { return c.AuthorizationServerMetadata(ctx) },
		"ExchangeIDPortenToken": func() (any, error) {
			tok, err := c.ExchangeIDPortenToken(ctx)
			return nilIfEmpty(tok), err
		},
		"CorrespondenceContent": func() (any, error) {
			s, err := c.CorrespondenceContent(ctx, "c")
			return nilIfEmpty(s), err
		},
		"MarkCorrespondenceRead":           func() (any, error) { return nil, c.MarkCorrespondenceRead(ctx, "c") },
		"ConfirmCorrespondence":            func() (any, error) { return nil, c.ConfirmCorrespondence(ctx, "c") },
		"DownloadCorrespondenceAttachment": func() (any, error) { return c.DownloadCorrespondenceAttachment(ctx, "c", "a") },
	}
	for name, call := range calls {
		res, err := call()
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrUnauthorized) {
			t.Errorf("%s: err = %v, want *Error matching ErrUnauthorized", name, err)
		}
		if v := reflect.ValueOf(res); res != nil && !v.IsNil() {
			t.Errorf("%s: result = %v, want nil on error", name, res)
		}
	}
	if hits != len(calls) {
		t.Errorf("requests = %d, want %d", hits, len(calls))
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return &s
}
