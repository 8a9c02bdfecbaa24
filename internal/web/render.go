package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/a-h/templ"
)

// Render renders a component into a buffer first, so a failing render becomes a clean error
// instead of half a page, then writes it with status (compressed where the browser takes it).
func Render(w http.ResponseWriter, r *http.Request, status int, comp templ.Component) error {
	var buf bytes.Buffer
	if err := comp.Render(r.Context(), &buf); err != nil {
		return fmt.Errorf("render: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if IsHTMX(r) {
		w.Header().Add("Vary", "HX-Request")
	}
	body := Compress(w.Header(), r, buf.Bytes())
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}

// CrossSite reports whether a browser says this navigation came from another site (a link
// elsewhere). A request without Sec-Fetch-Site (not a current browser) and one the user started
// (typed, bookmarked: "none") count as the user's own.
func CrossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return true
	}
	return false
}
