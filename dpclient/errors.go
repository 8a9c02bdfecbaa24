package dpclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors matched by *Error through errors.Is.
var (
	ErrBadRequest         = errors.New("dpclient: bad request")                  // 400
	ErrUnauthorized       = errors.New("dpclient: unauthorized")                 // 401: log in again
	ErrForbidden          = errors.New("dpclient: forbidden")                    // 403
	ErrAuthLevelTooLow    = errors.New("dpclient: authentication level too low") // 403 asking for a step-up
	ErrNotFound           = errors.New("dpclient: not found")                    // 404
	ErrConflict           = errors.New("dpclient: conflict")                     // 409
	ErrGone               = errors.New("dpclient: gone")                         // 410: the dialog was deleted
	ErrPreconditionFailed = errors.New("dpclient: precondition failed")          // 412: revision mismatch
	ErrUnprocessable      = errors.New("dpclient: unprocessable")                // 422, e.g. search too broad
	ErrRateLimited        = errors.New("dpclient: rate limited")                 // 429
	ErrUnavailable        = errors.New("dpclient: service unavailable")          // 502, 503, 504
)

// ErrResponseTooLarge is returned when a success body exceeds the client's limit.
var ErrResponseTooLarge = errors.New("dpclient: response body too large")

// maxErrorBody bounds how much of an error body is read and kept.
const maxErrorBody = 64 << 10

// ProblemDetails is an RFC 7807 problem body as Dialogporten writes it.
type ProblemDetails struct {
	Type     string `json:"type,omitempty"`
	Title    string `json:"title,omitempty"`
	Status   int    `json:"status,omitempty"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
	TraceID  string `json:"traceId,omitempty"`
	// Errors maps a property or entity name to its messages.
	Errors            map[string][]string `json:"errors,omitempty"`
	Code              string              `json:"code,omitempty"`
	StatusDescription string              `json:"statusDescription,omitempty"`
	ValidationErrors  []ValidationError   `json:"validationErrors,omitempty"`
}

// ValidationError is one entry of ProblemDetails.ValidationErrors.
type ValidationError struct {
	Title  string   `json:"title,omitempty"`
	Code   string   `json:"code,omitempty"`
	Detail string   `json:"detail,omitempty"`
	Paths  []string `json:"paths,omitempty"`
}

// Messages returns every message of the problem's errors map, in no particular order.
func (p *ProblemDetails) Messages() []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, msgs := range p.Errors {
		out = append(out, msgs...)
	}
	for _, v := range p.ValidationErrors {
		if v.Detail != "" {
			out = append(out, v.Detail)
		} else if v.Title != "" {
			out = append(out, v.Title)
		}
	}
	return out
}

// Error is an answer outside 2xx. Its message names the method, path and status only: no
// query string (which may hold a national identity number), no token.
type Error struct {
	Method     string
	Path       string
	StatusCode int
	// Problem is the decoded problem+json body, if there was one.
	Problem *ProblemDetails
	// RetryAfter is the parsed Retry-After header (seconds or HTTP date); 0 when absent.
	RetryAfter time.Duration
	// Body is the start of the raw body (at most 64 KiB), for diagnostics.
	Body string
	// Authenticate is the WWW-Authenticate header of a 401 (at most 512 bytes): why the token
	// was refused (a wrong audience, scope or issuer), for the log.
	Authenticate string
}

// Error implements error.
func (e *Error) Error() string {
	msg := fmt.Sprintf("dpclient: %s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Problem != nil && e.Problem.Title != "" {
		msg += ": " + e.Problem.Title
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) and friends work on an *Error.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrAuthLevelTooLow:
		return e.StatusCode == http.StatusForbidden && e.authLevelTooLow()
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrGone:
		return e.StatusCode == http.StatusGone
	case ErrPreconditionFailed:
		return e.StatusCode == http.StatusPreconditionFailed
	case ErrUnprocessable:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrUnavailable:
		return e.StatusCode == http.StatusBadGateway || e.StatusCode == http.StatusServiceUnavailable ||
			e.StatusCode == http.StatusGatewayTimeout
	}
	return false
}

// Temporary reports whether the same request may succeed later (429, 502, 503, 504).
func (e *Error) Temporary() bool {
	return e.Is(ErrRateLimited) || e.Is(ErrUnavailable)
}

// authLevelTooLow reports whether the problem says the token's authentication level is below
// the resource's minimum ("Altinn authentication level too low.").
func (e *Error) authLevelTooLow() bool {
	for _, m := range e.Problem.Messages() {
		if strings.Contains(strings.ToLower(m), "authentication level too low") {
			return true
		}
	}
	if e.Problem != nil && strings.Contains(strings.ToLower(e.Problem.Detail), "authentication level too low") {
		return true
	}
	return false
}

// newError builds an *Error from a non-2xx response whose body (at most maxErrorBody bytes)
// has already been read.
func newError(resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{
		Method:       resp.Request.Method,
		Path:         resp.Request.URL.EscapedPath(),
		StatusCode:   resp.StatusCode,
		RetryAfter:   parseRetryAfter(resp.Header.Get("Retry-After"), now),
		Authenticate: clipHeader(resp.Header.Get("WWW-Authenticate"), 512),
		Body:         string(body),
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if len(body) > 0 && (strings.HasSuffix(mt, "json") || mt == "") {
		var p ProblemDetails
		if err := json.Unmarshal(body, &p); err == nil {
			e.Problem = &p
		}
	}
	return e
}

// parseRetryAfter reads a Retry-After value given as delay seconds or as an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d.Round(time.Second)
		}
	}
	return 0
}

// UnmarshalJSON decodes a problem body, accepting "code" as a string or a number (Altinn
// Correspondence writes numeric codes such as 4001).
func (p *ProblemDetails) UnmarshalJSON(b []byte) error {
	type plain ProblemDetails
	var aux struct {
		*plain
		Code json.RawMessage `json:"code,omitempty"`
	}
	aux.plain = (*plain)(p)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	p.Code = ""
	if len(aux.Code) > 0 && string(aux.Code) != "null" {
		var s string
		if err := json.Unmarshal(aux.Code, &s); err == nil {
			p.Code = s
		} else {
			p.Code = string(aux.Code)
		}
	}
	return nil
}

// clipHeader keeps at most n bytes of a header value, cut on a UTF-8 boundary.
func clipHeader(v string, n int) string {
	if len(v) <= n {
		return v
	}
	return strings.ToValidUTF8(v[:n], "")
}
