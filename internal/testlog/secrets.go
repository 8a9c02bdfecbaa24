package testlog

import (
	"strings"
	"testing"
)

// AssertNoSecrets fails t (without stopping it) when the national identity number pid or what
// looks like a JWT shows up in a log line or in a URL a client visited. A pid in the login_hint
// of the ID-porten double's login shortcut is allowed, and so is the authorization code in the
// callback URL: that is the protocol (single use; the double happens to encode it as a JWE).
func AssertNoSecrets(t testing.TB, logs string, visits []string, pid string) {
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
		if strings.Contains(v, "eyJ") && !strings.Contains(v, "/auth/callback?code=") {
			t.Errorf("a URL contains what looks like a JWT: %.80s…", v)
		}
	}
}
