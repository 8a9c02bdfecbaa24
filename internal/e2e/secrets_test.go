package e2e

import (
	"strings"
	"testing"
)

// assertNoSecrets fails when a national identity number or a bearer token shows up in a log
// line or in a URL the client visited.
func assertNoSecrets(t *testing.T, logs string, visits []string, pid string) {
	t.Helper()
	if strings.Contains(logs, pid) {
		t.Errorf("a log line contains the national identity number")
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "eyJ") {
			t.Errorf("a log line contains what looks like a JWT: %.120s…", line)
		}
	}
	for _, v := range visits {
		if strings.Contains(v, pid) && !strings.Contains(v, "login_hint=") {
			t.Errorf("a URL contains the national identity number: %s", strings.ReplaceAll(v, pid, "<pid>"))
		}
		// The authorization code in the callback URL is the protocol (single use); nothing
		// else may look like a JWT.
		if strings.Contains(v, "eyJ") && !strings.Contains(v, "/auth/callback?code=") {
			t.Errorf("a URL contains what looks like a JWT: %.80s…", v)
		}
	}
}
