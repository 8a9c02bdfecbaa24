package dpemu

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// problem is an RFC 7807 ProblemDetails body as Dialogporten writes it (§10).
type problem struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Instance string              `json:"instance,omitempty"`
	TraceID  string              `json:"traceId"`
	Errors   map[string][]string `json:"errors,omitempty"`
}

const rfc7231 = "https://datatracker.ietf.org/doc/html/rfc7231#section-"

// problemKinds holds the exact type URL and title of each status (§10).
var problemKinds = map[int]struct{ typ, title string }{
	400: {rfc7231 + "6.5.1", "One or more validation errors occurred."},
	403: {rfc7231 + "6.5.3", "Forbidden."},
	404: {rfc7231 + "6.5.4", "Resource not found."},
	406: {rfc7231 + "6.5.6", "Requested content type is not acceptable."},
	409: {rfc7231 + "6.5.8", "Conflict."},
	410: {rfc7231 + "6.5.9", "Resource no longer available."},
	412: {"https://datatracker.ietf.org/doc/html/rfc7232#section-4.2", "Precondition failed."},
	422: {"https://datatracker.ietf.org/doc/html/rfc4918#section-11.2", "Unprocessable request."},
	429: {"https://datatracker.ietf.org/doc/html/rfc6585#section-4", "Too many requests."},
	500: {rfc7231 + "6.6.1", "An error occurred while processing the request."},
}

// writeProblem writes a ProblemDetails response. errs maps a property or entity name to
// messages. instance is the path the service itself sees: APIM strips the /dialogporten prefix.
func writeProblem(w http.ResponseWriter, r *http.Request, status int, errs map[string][]string) {
	k := problemKinds[status]
	instance := strings.TrimPrefix(r.URL.Path, "/dialogporten")
	p := problem{Type: k.typ, Title: k.title, Status: status, Instance: instance, TraceID: traceID(), Errors: errs}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(p)
}

// badRequest writes a 400 with one validation message.
func badRequest(w http.ResponseWriter, r *http.Request, key, msg string) {
	writeProblem(w, r, http.StatusBadRequest, map[string][]string{key: {msg}})
}

// notFound writes Dialogporten's entity-not-found 404.
func notFound(w http.ResponseWriter, r *http.Request, entity, key string) {
	writeProblem(w, r, http.StatusNotFound, map[string][]string{
		entity: {"Entity '" + entity + "' with the following key(s) was not found: (" + key + ")."}})
}

// traceID returns a W3C traceparent-style id, as ASP.NET puts in ProblemDetails.
func traceID() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "00-" + hex.EncodeToString(b[:16]) + "-" + hex.EncodeToString(b[16:]) + "-00"
}

// writeJSON writes v as application/json with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
