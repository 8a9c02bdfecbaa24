package serviceowner

import (
	"encoding/json"
	"errors"
	"net/http"
)

// problem is an RFC 9457 problem body as the service-owner endpoints write it.
type problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	ErrorCode int    `json:"errorCode,omitempty"`
}

// writeProblem writes application/problem+json with a safe detail message.
func writeProblem(w http.ResponseWriter, status int, detail string) {
	writeCodedProblem(w, status, 0, detail)
}

// writeCodedProblem writes a problem carrying a Correspondence error code (4001, 1001, …).
func writeCodedProblem(w http.ResponseWriter, status, code int, detail string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(problem{
		Type:      "https://tools.ietf.org/html/rfc9110#section-15." + statusSection(status),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    detail,
		ErrorCode: code,
	})
}

func statusSection(status int) string {
	switch {
	case status >= 500:
		return "6"
	default:
		return "5"
	}
}

// writeAuthError answers a refused credential (401 or 403), logging the internal cause.
func (s *Side) writeAuthError(w http.ResponseWriter, r *http.Request, err error, code int) {
	var ae *authError
	if !errors.As(err, &ae) {
		ae = unauthorized("invalid token", err)
	}
	s.log.InfoContext(r.Context(), "serviceowner: refused", "path", r.URL.Path, "status", ae.status, "reason", ae.reason)
	writeCodedProblem(w, ae.status, code, ae.reason)
}

// writeJSON writes v as uncached application/json with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
