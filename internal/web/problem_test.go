package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/innboks/innboks/dpclient"
	"github.com/innboks/innboks/internal/inbox"
	"github.com/innboks/innboks/internal/outbound"
	"github.com/innboks/innboks/views"
	"github.com/innboks/innboks/views/i18n"
)

// TestClassify: every kind of failure keeps its meaning for the person: Dialogporten's typed
// errors, the service's, the CSRF check's, echo's, a timeout; anything else is internal.
func TestClassify(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
		kind   views.ErrorKind
		retry  time.Duration
	}{
		{&Error{Status: 418, Kind: views.ErrGone, RetryAfter: time.Second}, 418, views.ErrGone, time.Second},
		{fmt.Errorf("wrapped: %w", ErrCSRF), http.StatusForbidden, views.ErrCSRF, 0},
		{inbox.ErrNotFound, http.StatusNotFound, views.ErrNotFound, 0},
		{inbox.ErrBusy, http.StatusTooManyRequests, views.ErrBusy, 2 * time.Second},
		{&dpclient.Error{StatusCode: 401}, http.StatusUnauthorized, views.ErrUnauthorized, 0},
		{&dpclient.Error{StatusCode: 403}, http.StatusForbidden, views.ErrForbidden, 0},
		{&dpclient.Error{StatusCode: 404}, http.StatusNotFound, views.ErrNotFound, 0},
		{&dpclient.Error{StatusCode: 410}, http.StatusGone, views.ErrGone, 0},
		{&dpclient.Error{StatusCode: 429, RetryAfter: 7 * time.Second}, http.StatusTooManyRequests, views.ErrBusy, 7 * time.Second},
		{&dpclient.Error{StatusCode: 503, RetryAfter: 3 * time.Second}, http.StatusServiceUnavailable, views.ErrBusy, 3 * time.Second},
		{&dpclient.Error{StatusCode: 422}, http.StatusUnprocessableEntity, views.ErrTooBroad, 0},
		{&dpclient.Error{StatusCode: 400}, http.StatusBadRequest, views.ErrBadRequest, 0},
		{context.DeadlineExceeded, http.StatusGatewayTimeout, views.ErrBusy, 0},
		{echo.ErrNotFound, http.StatusNotFound, views.ErrNotFound, 0},
		{echo.ErrMethodNotAllowed, http.StatusMethodNotAllowed, views.ErrNotFound, 0},
		{echo.NewHTTPError(http.StatusRequestEntityTooLarge), http.StatusRequestEntityTooLarge, views.ErrBadRequest, 0},
		{echo.NewHTTPError(http.StatusTeapot), http.StatusTeapot, views.ErrInternal, 0},
		{errors.New("anything"), http.StatusInternalServerError, views.ErrInternal, 0},
	}
	for _, tt := range tests {
		status, kind, retry := Classify(tt.err)
		if status != tt.status || kind != tt.kind || retry != tt.retry {
			t.Errorf("Classify(%v) = %d %s %v, want %d %s %v", tt.err, status, kind, retry, tt.status, tt.kind, tt.retry)
		}
	}
}

// TestActionError: what the portal refused is said as such (no retry); the service owner failing
// is 502, or 504 for a timeout; Dialogporten's answers and the service's busy keep their meaning.
func TestActionError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
		kind   views.ErrorKind
	}{
		{inbox.ErrNotFound, http.StatusNotFound, views.ErrNotFound},
		{inbox.ErrExpired, http.StatusGone, views.ErrGone},
		{inbox.ErrNotAuthorized, http.StatusForbidden, views.ErrForbidden},
		{inbox.ErrCorrespondenceMismatch, http.StatusForbidden, views.ErrForbidden},
		{inbox.ErrNotOffered, http.StatusForbidden, views.ErrNotOffered},
		{outbound.ErrURLRefused, http.StatusForbidden, views.ErrNotOffered},
		{outbound.ErrRedirectRefused, http.StatusForbidden, views.ErrNotOffered},
		{inbox.ErrBusy, http.StatusTooManyRequests, views.ErrBusy},
		{&dpclient.Error{StatusCode: 401}, http.StatusUnauthorized, views.ErrUnauthorized},
		{&outbound.StatusError{StatusCode: 503}, http.StatusBadGateway, views.ErrServiceOwner},
		{fmt.Errorf("x: %w", outbound.ErrTimeout), http.StatusGatewayTimeout, views.ErrServiceOwner},
	}
	for _, tt := range tests {
		status, kind, _ := Classify(ActionError("act", tt.err))
		if status != tt.status || kind != tt.kind {
			t.Errorf("ActionError(%v): %d %s, want %d %s", tt.err, status, kind, tt.status, tt.kind)
		}
	}
}

// TestContentProblem: a retry is offered only where the service owner was down or slow.
func TestContentProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err   error
		retry bool
		key   string
	}{
		{inbox.ErrNotAuthorized, false, "dialog.contentNoAccess"},
		{inbox.ErrNotOffered, false, "dialog.notOffered"},
		{outbound.ErrTooLarge, false, "dialog.contentTooLarge"},
		{outbound.ErrRedirectRefused, false, "dialog.contentBlocked"},
		{&outbound.StatusError{StatusCode: 403}, false, "dialog.contentRefused"},
		{&outbound.StatusError{StatusCode: 429}, true, "dialog.contentDown"},
		{&outbound.StatusError{StatusCode: 503}, true, "dialog.contentDown"},
		{errors.New("reset"), true, "dialog.contentDown"},
	}
	for _, tt := range tests {
		if retry, key := ContentProblem(tt.err); retry != tt.retry || key != tt.key {
			t.Errorf("ContentProblem(%v) = %v %s, want %v %s", tt.err, retry, key, tt.retry, tt.key)
		}
	}
	if got := RefusalText(i18n.EN, nil); got != "" {
		t.Errorf("RefusalText(nil) = %q, want none", got)
	}
	if got, want := RefusalText(i18n.NB, inbox.ErrExpired), i18n.NB.T("dialog.expired"); got != want {
		t.Errorf("RefusalText(expired) = %q, want %q", got, want)
	}
}

// TestRequestHelpers: media-type labels, the cross-site check and the return path.
func TestRequestHelpers(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"application/pdf; charset=x": "PDF", "application/msword": "Word",
		"image/png": "PNG", "application/vnd.something-long": "", "": ""} {
		if got := TypeLabel(in); got != want {
			t.Errorf("TypeLabel(%q) = %q, want %q", in, got, want)
		}
	}
	for site, want := range map[string]bool{"cross-site": true, "same-site": true, "same-origin": false, "none": false, "": false} {
		r := httptest.NewRequest(http.MethodGet, "https://innboks.test/inbox", nil)
		r.Header.Set("Sec-Fetch-Site", site)
		if got := CrossSite(r); got != want {
			t.Errorf("CrossSite(%q) = %v, want %v", site, got, want)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "https://innboks.test/lang", nil)
	r.Header.Set("Referer", "https://innboks.test/inbox?folder=archive")
	for returnTo, want := range map[string]string{"/dialogs/x": "/dialogs/x", "//evil.example/": "/", "": "/inbox?folder=archive"} {
		if got := ReturnPath(r, returnTo); got != want {
			t.Errorf("ReturnPath(%q) = %q, want %q", returnTo, got, want)
		}
	}
	r.Header.Set("Referer", "https://evil.example/inbox")
	if got := ReturnPath(r, ""); got != "/" {
		t.Errorf("ReturnPath with a foreign Referer = %q, want /", got)
	}
}
