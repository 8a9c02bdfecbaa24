package handlers

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLanguageReturnPath: the switch goes back to the page the user is on: the form's return_to
// (which app.js keeps on the address htmx pushed), else a same-origin Referer's path; never
// anywhere else.
func TestLanguageReturnPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, returnTo, referer string
		want                    string
	}{
		{"return_to wins", "/inbox?folder=bin", "https://innboks.test/inbox?folder=archive", "/inbox?folder=bin"},
		{"no return_to: same-origin referer", "", "https://innboks.test/inbox?folder=bin&q=skatt", "/inbox?folder=bin&q=skatt"},
		{"host compared without case", "", "https://INNBOKS.test/parties", "/parties"},
		{"bad return_to is not replaced by the referer", "//evil.test/x", "https://innboks.test/inbox", "/"},
		{"cross-origin referer", "", "https://evil.test/inbox", "/"},
		{"look-alike host", "", "https://innboks.test.evil.test/inbox", "/"},
		{"other port", "", "https://innboks.test:8443/inbox", "/"},
		{"referer with user info", "", "https://x@innboks.test/inbox", "/"},
		{"protocol-relative path in referer", "", "https://innboks.test//evil.test/x", "/"},
		{"backslash path in referer", "", "https://innboks.test/%5Cevil.test", "/%5Cevil.test"},
		{"not http", "", "javascript:alert(1)", "/"},
		{"nothing", "", "", "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			form := url.Values{"set": {"en"}}
			if tt.returnTo != "" {
				form.Set("return_to", tt.returnTo)
			}
			headers := map[string]string{}
			if tt.referer != "" {
				headers["Referer"] = tt.referer
			}
			rec := h.do("POST", "/lang", req{csrf: true, form: form, headers: headers})
			if rec.Code != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", rec.Code)
			}
			if got := rec.Header().Get("Location"); got != tt.want {
				t.Errorf("Location %q, want %q", got, tt.want)
			}
			htmx := h.do("POST", "/lang", req{csrf: true, htmx: true, form: form, headers: headers})
			if got := htmx.Header().Get("HX-Redirect"); htmx.Code != http.StatusNoContent || got != tt.want {
				t.Errorf("htmx: status %d HX-Redirect %q, want 204 %q", htmx.Code, got, tt.want)
			}
		})
	}
}
