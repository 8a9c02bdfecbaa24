package serviceowner_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/innboks/innboks/internal/dpemu/serviceowner"
)

func TestDialogContent(t *testing.T) {
	t.Parallel()
	e := setup(t)
	path := "/serviceowner/skd/dialogs/" + e.app.ID.String() + "/content"
	good := e.dialogToken(e.app, "read;write", nil)
	_, strangerKey, _ := ed25519.GenerateKey(rand.Reader)
	tests := []struct {
		name       string
		path       string
		token      string
		hdr        []string
		wantStatus int
		wantIn     string
	}{
		{"nb by query", path + "?lang=nb", good, nil, 200, "# Mva-melding for 6. termin"},
		{"en by query", path + "?lang=en", good, nil, 200, "## Details"},
		{"nn by Accept-Language", path, good, []string{"Accept-Language", "nn-NO, en;q=0.5"}, 200, "## Detaljar"},
		{"default nb", path, good, nil, 200, "| Referanse | MVA-2026-6 |"},
		{"gfm table and list", path + "?lang=en", good, nil, 200, "|---|---|"},
		{"no token", path, "", nil, 401, "no bearer token"},
		{"expired", path, e.dialogToken(e.app, "read", func(c map[string]any) {
			c["iat"], c["exp"] = time.Now().Add(-20*time.Minute).Unix(), time.Now().Add(-10*time.Minute).Unix()
		}), nil, 401, ""},
		{"older than 10 min", path, e.dialogToken(e.app, "read", func(c map[string]any) {
			c["iat"] = time.Now().Add(-11 * time.Minute).Unix()
		}), nil, 401, "too old"},
		{"wrong issuer", path, e.dialogToken(e.app, "read", func(c map[string]any) { c["iss"] = "https://evil.invalid/api/v1" }), nil, 401, ""},
		{"unknown key", path, e.sign(jose.EdDSA, strangerKey, "dk1", map[string]any{"iss": e.base + "/dialogporten/api/v1",
			"exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(), "i": e.app.ID.String(), "p": e.app.Party, "a": "read"}), nil, 401, "bad signature"},
		{"RS256 not accepted", path, e.sign(jose.RS256, e.idpKey, "dk1", map[string]any{"iss": e.base + "/dialogporten/api/v1",
			"exp": time.Now().Add(time.Minute).Unix(), "iat": time.Now().Unix(), "i": e.app.ID.String(), "p": e.app.Party, "a": "read"}), nil, 401, ""},
		{"another dialog's token", path, e.dialogToken(e.corr, "read", nil), nil, 403, "another dialog"},
		{"wrong party", path, e.dialogToken(e.app, "read", func(c map[string]any) { c["p"] = orgURN }), nil, 403, "another party"},
		{"no read in a", path, e.dialogToken(e.app, "write", nil), nil, 403, "read"},
		{"wrong org", "/serviceowner/nav/dialogs/" + e.app.ID.String() + "/content", good, nil, 404, ""},
		{"bad id", "/serviceowner/skd/dialogs/nope/content", e.dialogToken(e.app, "read", func(c map[string]any) { c["i"] = "nope" }), nil, 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := e.do("GET", tc.path, tc.token, tc.hdr...)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status: got %d, want %d (%s)", resp.StatusCode, tc.wantStatus, body)
			}
			if !strings.Contains(body, tc.wantIn) {
				t.Errorf("body: got %q, want it to contain %q", body, tc.wantIn)
			}
			if tc.wantStatus == 200 {
				if got := resp.Header.Get("Content-Type"); got != "text/markdown; charset=utf-8" {
					t.Errorf("Content-Type: got %q, want text/markdown", got)
				}
				if strings.Contains(body, "<script") {
					t.Errorf("ordinary content contains hostile markup: %q", body)
				}
			}
			if tc.wantStatus == 401 && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
			if tc.wantStatus >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("error Content-Type: got %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

func TestHostileHTMLContent(t *testing.T) {
	t.Parallel()
	e := setup(t)
	resp, body := e.do("GET", "/serviceowner/skd/dialogs/"+e.html.ID.String()+"/content?lang=en", e.dialogToken(e.html, "read", nil))
	if resp.StatusCode != 200 {
		t.Fatalf("status: got %d, want 200", resp.StatusCode)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type: got %q, want text/html", got)
	}
	if !strings.Contains(body, "<h1>Old message</h1>") {
		t.Errorf("body lacks the title heading: %q", body)
	}
	lower := strings.ToLower(body)
	for _, n := range serviceowner.HostileNeedles() {
		if !strings.Contains(lower, n) {
			t.Errorf("hostile content lacks %q, so a sanitiser test would not cover it", n)
		}
	}
}

func TestTransmissionContentRecordsOpenedOnce(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tr := e.app.Transmissions[0]
	path := "/serviceowner/skd/dialogs/" + e.app.ID.String() + "/transmissions/" + tr.ID.String() + "/content"
	tok := e.dialogToken(e.app, "read", nil)
	for i := 0; i < 2; i++ {
		resp, body := e.do("GET", path+"?lang=en", tok)
		if resp.StatusCode != 200 {
			t.Fatalf("fetch %d: status %d (%s)", i, resp.StatusCode, body)
		}
		if !strings.Contains(body, "# Deadline notice") {
			t.Errorf("body: got %q, want the transmission title", body)
		}
	}
	d := e.dialog(e.app.ID)
	if got := countActivities(d, "TransmissionOpened"); got != 1 {
		t.Errorf("TransmissionOpened activities: got %d, want 1", got)
	}
	if !d.IsTransmissionOpened(tr.ID) {
		t.Error("transmission not marked opened")
	}
	resp, _ := e.do("GET", "/serviceowner/skd/dialogs/"+e.app.ID.String()+"/transmissions/"+e.corr.ID.String()+"/content", tok)
	if resp.StatusCode != 404 {
		t.Errorf("unknown transmission: got %d, want 404", resp.StatusCode)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	e := setup(t)
	path := "/serviceowner/skd/dialogs/" + e.app.ID.String() + "/content?lang=nb"
	tok := e.dialogToken(e.app, "read", nil)
	tests := []struct {
		fault      serviceowner.Fault
		wantStatus int
	}{
		{serviceowner.FaultDown, 500},
		{serviceowner.FaultForbidden, 403},
		{serviceowner.FaultTimeout, 504},
		{serviceowner.FaultRedirectOffHost, 302},
		{serviceowner.FaultRedirectSameHost, 302},
		{serviceowner.FaultNone, 200},
	}
	for _, tc := range tests {
		e.side.Faults().Set(e.app.ID, tc.fault)
		resp, body := e.do("GET", path, tok)
		if resp.StatusCode != tc.wantStatus {
			t.Errorf("%q: status got %d, want %d (%s)", tc.fault, resp.StatusCode, tc.wantStatus, body)
		}
		loc := resp.Header.Get("Location")
		switch tc.fault {
		case serviceowner.FaultRedirectOffHost:
			if u, err := url.Parse(loc); err != nil || u.Host == "" || strings.HasPrefix(e.base, "http://"+u.Host) {
				t.Errorf("off-host redirect: Location %q is not another host", loc)
			}
		case serviceowner.FaultRedirectSameHost:
			if !strings.Contains(loc, "redirected=1") || strings.HasPrefix(loc, "http") {
				t.Fatalf("same-host redirect: Location %q", loc)
			}
			resp2, body2 := e.do("GET", loc, tok)
			if resp2.StatusCode != 200 || !strings.Contains(body2, "# Mva") {
				t.Errorf("following the same-host redirect: got %d %q", resp2.StatusCode, body2)
			}
		}
	}
	// A fault also applies to attachments and actions of the dialog.
	e.side.Faults().Set(e.app.ID, serviceowner.FaultDown)
	resp, _ := e.do("GET", "/serviceowner/skd/attachments/"+e.app.Attachments[0].ID.String(), tok)
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("attachment of a down service owner: got %d, want 500", resp.StatusCode)
	}
}

func TestTimeoutFaultWritesNothingWhenClientGivesUp(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.side.Faults().Set(e.app.ID, serviceowner.FaultTimeout)
	e.side.Faults().SetHang(time.Hour)
	req, _ := http.NewRequest("GET", e.base+"/serviceowner/skd/dialogs/"+e.app.ID.String()+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+e.dialogToken(e.app, "read", nil))
	client := &http.Client{Timeout: 100 * time.Millisecond}
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got status %d, want the client to time out", resp.StatusCode)
	}
}
