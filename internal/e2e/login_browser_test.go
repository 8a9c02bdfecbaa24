package e2e

import (
	"strings"
	"testing"

	"github.com/innboks/innboks/internal/testlog"
)

// TestBrowserLoginPickerLogout is journey 1: a person logs in by clicking through the
// ID-porten double's test-user picker, sees their name, logs out, and the inbox then asks for a
// login again. axe checks every page on the way.
func TestBrowserLoginPickerLogout(t *testing.T) {
	st := startStack(t, "default")
	user := st.Users()[0]
	b := newBrowser(t, false)

	b.open(st.PortalURL + "/")
	b.waitVisible(`[data-testid="front"]`)
	if got := b.text(`[data-testid="page"]`); strings.Contains(strings.ToUpper(got), strings.ToUpper(user.Name)) {
		t.Fatalf("front page shows %q before login", user.Name)
	}
	b.CheckA11y("front page")
	b.Shot("01-front")

	b.clickNav(`[data-testid="login-button"]`)
	b.waitVisible(`[data-testid="devidporten-picker"]`)
	if got := b.url(); !strings.HasPrefix(got, st.IDPortenURL+"/") {
		t.Fatalf("after Log in: at %s, want the ID-porten double", got)
	}
	if n := b.count(`[data-testid="user"]`); n != len(st.Users()) {
		t.Errorf("picker offers %d users, want %d", n, len(st.Users()))
	}
	b.CheckA11y("ID-porten picker")
	b.Shot("02-picker")

	b.click(`[data-testid="user"] label`)
	b.clickNav(`button[value="login"]`)
	b.waitVisible(`[data-testid="current-user"]`)
	if got := b.url(); !strings.HasPrefix(got, st.PortalURL+"/") {
		t.Fatalf("after login: at %s, want the portal", got)
	}
	if got := b.text(`[data-testid="current-user"]`); !strings.Contains(strings.ToUpper(got), strings.ToUpper(user.Name)) {
		t.Errorf("logged-in header says %q, want the user's name %q", got, user.Name)
	}
	b.CheckA11y("logged-in page")
	b.Shot("03-logged-in")

	// Log out: the double's end-session page sends the browser on to the portal's logged-out
	// page (meta refresh, or its "continue" link).
	b.click(`[data-testid="logout-button"]`)
	b.waitPage(st.PortalURL+"/logged-out", `[data-testid="logged-out"]`)
	if n := b.count(`[data-testid="current-user"]`); n != 0 {
		t.Errorf("logged-out page still shows who is logged in")
	}
	b.CheckA11y("logged-out page")
	b.Shot("04-logged-out")

	// The session is gone: the inbox sends the browser to log in (the double's picker).
	b.open(st.PortalURL + "/inbox")
	b.waitVisible(`[data-testid="devidporten-picker"]`)
	if got := b.url(); !strings.HasPrefix(got, st.IDPortenURL+"/") {
		t.Errorf("inbox after logout: at %s, want the login at the double", got)
	}
	b.AssertCleanConsole()
	testlog.AssertNoSecrets(t, st.logs.String(), nil, user.PID)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\x3c`)
	return `"` + r.Replace(s) + `"`
}
